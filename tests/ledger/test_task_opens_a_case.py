"""An overdue task's page opens an accountability case in one click (第八条), for the office only."""

from duban.accountability.models import Case


def page(client, user, task):
    client.force_login(user)
    return client.get(f"/ledger/tasks/{task.pk}/").content.decode()


def test_the_office_sees_the_button_on_an_overdue_task_and_opens_a_case(client, lw):
    office = lw.user("office_city")
    assert "立案问责" in page(client, office, lw.task_a)  # due 2020-06-15: overdue
    assert "立案问责" not in page(client, office, lw.task_b)  # due 2030: not overdue
    response = client.post(f"/cases/from-task/{lw.task_a.pk}/")
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.matter.task == lw.task_a and case.unit == lw.unit_a
    assert f"/cases/{case.pk}/" in page(client, office, lw.task_a)  # the task page lists its case


def test_a_liaison_sees_no_button_and_cannot_open_a_case(client, lw):
    liaison = lw.user("liaison_a")
    assert "立案问责" not in page(client, liaison, lw.task_a)
    assert client.post(f"/cases/from-task/{lw.task_a.pk}/").status_code == 403
    assert not Case.objects.exists()
