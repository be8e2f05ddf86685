"""The ledger's demo (make demo): the seed reviewed, assigned and reported on; idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from duban.accounts.models import AuditLog
from duban.ledger import demo as ledger_demo
from duban.ledger import selectors
from duban.ledger.models import ProgressReport, Reminder, SupervisionOrder, TargetReading, Task
from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db

needs_seed = pytest.mark.skipif(
    not ledger_demo.SEEDS_DIR.is_dir(), reason="the seed gazette (../shared/seeds) is absent"
)


def counts():
    return tuple(m.objects.count() for m in (Task, ProgressReport, TargetReading, SupervisionOrder, Reminder, AuditLog))


@needs_seed
def test_demo_ledger_looks_like_a_working_ledger(client):
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first  # idempotent

    city = Task.objects.filter(jurisdiction__code="zhumadian")
    assert city.filter(status="confirmed").count() >= 40 and city.filter(status="draft").exists()
    standings = Counter(
        selectors.task_standing(t).code for t in selectors.tasks_confirmed(jurisdiction=city[0].jurisdiction)
    )
    assert standings["done"] >= 20 and 3 <= standings["overdue"] <= 10 and standings["open"] >= 10
    months = {r.reported_on.month for r in ProgressReport.objects.all()}
    assert months == set(range(5, 11))
    assert TargetReading.objects.exists()
    orders = SupervisionOrder.objects.all()
    assert orders.count() >= 2 and orders.filter(status="answered").exists() and orders.filter(status="issued").exists()
    assert Reminder.objects.filter(recipient__username="lianluoyuan", read_at__isnull=True).exists()

    # The task's life: 签收 (a few late), 延期 approved and refused, 办结 returned, accepted and pending.
    from duban.ledger import lifecycle_selectors as life
    from duban.ledger.models import ClosureRequest, DeadlineChange, ExtensionRequest, TaskUnit

    city_j = city[0].jurisdiction
    assert TaskUnit.objects.filter(task__jurisdiction=city_j, acknowledged_at__isnull=False).count() >= 40
    assert 1 <= len(life.acknowledgements_overdue(jurisdiction=city_j, today=dt.date(2020, 12, 10))) <= 10
    assert Reminder.objects.filter(kind="acknowledge_overdue", recipient__username="duchashi").exists()
    assert set(ExtensionRequest.objects.values_list("status", flat=True)) == {"approved", "refused"}
    (change,) = DeadlineChange.objects.all()
    assert change.extension.status == "approved" and change.deadline.date == dt.date(2020, 10, 31)
    closures = Counter(ClosureRequest.objects.filter(task__jurisdiction=city_j).values_list("status", flat=True))
    assert closures["returned"] == 1 and closures["pending"] == 1 and closures["accepted"] >= 20
    assert all(r.attachments.exists() for r in ClosureRequest.objects.all())

    client.force_login(Task.objects.model._meta.apps.get_model("auth", "User").objects.get(username="lianluoyuan"))
    page = client.get("/ledger/tasks/").content.decode()
    assert "已逾期" in page and "已办结" in page and "实施健康知识普及行动" in page
    workbench = client.get("/workbench/").content.decode()
    assert "督办单待回复" in workbench and "未读提醒" in workbench


def test_reminder_command_runs(capsys):
    call_command("ledger_reminders", "--date", "2020-10-28")
    assert "共生成提醒" in capsys.readouterr().out
