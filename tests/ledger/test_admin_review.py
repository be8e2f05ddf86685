"""The 督查室 confirms drafted tasks from the admin; the action goes through task_confirm."""

from django.contrib.auth import get_user_model

from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Task


def test_confirm_action_confirms_resolvable_drafts_and_reports_the_rest(
    client, city, health_commission, education, extraction
):
    issue_ingest(actor=None, jurisdiction=city, source_name="small.txt", content=b"x", extraction=extraction)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
    client.force_login(admin)
    response = client.post(
        "/admin/ledger/task/",
        {"action": "confirm_tasks", "_selected_action": [t.pk for t in Task.objects.all()]},
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Task.objects.values_list("ref", "status"))
    assert statuses == {"三.(一).1": "draft", "三.(一).2": "confirmed"}  # the first names 市委网信办, unknown here
    text = response.content.decode()
    assert "已确认入台账 1 项" in text and "市委网信办" in text
