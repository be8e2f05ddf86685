"""Leaders' 关注 and 批示 on a task: audited services; the task's units and the office see them on the
task page and are reminded; only the jurisdiction's 副总督查 / 总督查 may write them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.accounts.models import AuditLog
from duban.ledger import services
from duban.ledger.models import Reminder, TaskInstruction, TaskWatch


@pytest.fixture(autouse=True)
def _today(settings):
    settings.DUBAN_TODAY = dt.date(2020, 7, 1)


def test_watch_is_audited_and_reminds_the_units_and_the_office(lw):
    leader = lw.users["fuzong"]
    watch = services.task_watch(actor=leader, task=lw.task_a)
    assert watch.leader_name == "副总督查马卫东"
    assert AuditLog.objects.filter(action="task_watch", object_id=str(lw.task_a.pk), actor=leader).count() == 1
    told = set(
        Reminder.objects.filter(kind="task_watched", task=lw.task_a).values_list("recipient__username", flat=True)
    )
    assert told == {"liaison_a", "office_city"}


def test_watching_twice_or_unwatching_what_is_not_watched_is_refused(lw):
    leader = lw.users["fuzong"]
    services.task_watch(actor=leader, task=lw.task_a)
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError, match="您已关注该任务"):
        services.task_watch(actor=leader, task=lw.task_a)
    services.task_unwatch(actor=leader, task=lw.task_a)
    assert not TaskWatch.objects.exists()
    assert AuditLog.objects.filter(action="task_unwatch").count() == 1
    with pytest.raises(ValidationError, match="您尚未关注该任务"):
        services.task_unwatch(actor=leader, task=lw.task_a)
    assert AuditLog.objects.count() == audits + 1


def test_an_instruction_is_audited_and_reminds(lw):
    leader = lw.users["fuzong"]
    instruction = services.task_instruct(actor=leader, task=lw.task_a, text="  请加快进度，月底前报结果。 ")
    assert instruction.text == "请加快进度，月底前报结果。"
    assert AuditLog.objects.filter(action="task_instruct", object_id=str(lw.task_a.pk)).count() == 1
    told = set(
        Reminder.objects.filter(kind="task_instructed", task=lw.task_a).values_list("recipient__username", flat=True)
    )
    assert told == {"liaison_a", "office_city"}


@pytest.mark.parametrize("text, words", [("\u3000\u200b", "请填写批示内容"), ("批" * 2001, "过长")])
def test_an_empty_or_huge_instruction_is_refused(lw, text, words):
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError, match=words):
        services.task_instruct(actor=lw.users["fuzong"], task=lw.task_a, text=text)
    assert AuditLog.objects.count() == audits and not TaskInstruction.objects.exists()


def test_a_draft_takes_no_instruction(lw):
    with pytest.raises(ValidationError, match="尚未入台账"):
        services.task_instruct(actor=lw.users["fuzong"], task=lw.draft, text="阅")


def test_the_task_page_shows_them_to_the_unit_and_the_office(client, lw):
    client.force_login(lw.users["fuzong"])
    page = client.get(reverse("ledger:task", args=[lw.task_a.pk])).content.decode()
    assert "发出批示" in page and ">关注<" in page
    client.post(reverse("ledger:task_watch", args=[lw.task_a.pk]), {"watch": "1"})
    response = client.post(reverse("ledger:task_instruct", args=[lw.task_a.pk]), {"text": "请加快进度"})
    assert response.status_code == 302
    assert "取消关注" in client.get(reverse("ledger:task", args=[lw.task_a.pk])).content.decode()
    for role in ("liaison_a", "office_city", "staff_a"):
        client.force_login(lw.users[role])
        page = client.get(reverse("ledger:task", args=[lw.task_a.pk])).content.decode()
        assert "领导关注" in page and "副总督查马卫东批示" in page and "请加快进度" in page
        assert "发出批示" not in page


def test_an_empty_instruction_on_the_page_is_named(client, lw):
    client.force_login(lw.users["fuzong"])
    response = client.post(reverse("ledger:task_instruct", args=[lw.task_a.pk]), {"text": " "})
    assert response.status_code == 200 and "请填写批示内容" in response.content.decode()
    assert not TaskInstruction.objects.exists()


def test_a_second_watch_click_gets_a_message(client, lw):
    client.force_login(lw.users["fuzong"])
    client.post(reverse("ledger:task_watch", args=[lw.task_a.pk]), {"watch": "1"})
    response = client.post(reverse("ledger:task_watch", args=[lw.task_a.pk]), {"watch": "1"}, follow=True)
    assert "您已关注该任务" in response.content.decode()
    assert TaskWatch.objects.count() == 1
