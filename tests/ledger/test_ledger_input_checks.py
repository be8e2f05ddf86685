"""The ledger's services refuse text no one can see and dates no plan has, and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duban.accounts.models import AuditLog
from duban.ledger import services
from duban.ledger.models import Deadline, ProgressReport, SupervisionOrder, Task

TODAY = dt.date(2020, 7, 1)
BLANK = ["\u200b", "\ufeff", "\u3000\u200b\u3000", " \u2060\u200d ", "\u3164"]
FAR = [dt.date(9999, 12, 31), dt.date(2101, 1, 1)]
PAST = [dt.date(1, 1, 1), dt.date(1948, 12, 31)]


def refused(call, *words: str) -> None:
    before = (
        AuditLog.objects.count(),
        ProgressReport.objects.count(),
        SupervisionOrder.objects.count(),
        Deadline.objects.count(),
        list(Task.objects.values_list("status", "title", "done_on")),
    )
    with pytest.raises(ValidationError) as caught:
        call()
    text = "；".join(caught.value.messages)
    for word in words:
        assert word in text, text
    assert before == (
        AuditLog.objects.count(),
        ProgressReport.objects.count(),
        SupervisionOrder.objects.count(),
        Deadline.objects.count(),
        list(Task.objects.values_list("status", "title", "done_on")),
    )


@pytest.mark.parametrize("blank", BLANK)
def test_blank_text_is_refused_everywhere_it_is_required(lw, blank):
    office, liaison = lw.user("office_city"), lw.user("liaison_a")
    refused(lambda: services.task_reject(actor=office, task=lw.draft, reason=blank), "理由")
    refused(
        lambda: services.task_update(actor=office, task=lw.draft, title=blank, lead_units=[lw.unit_a], units=[]),
        "任务名称",
    )
    refused(
        lambda: services.progress_report_create(
            actor=liaison, task=lw.task_a, unit=lw.unit_a, text=blank, percent=10, today=TODAY
        ),
        "进展情况",
    )
    refused(
        lambda: services.order_issue(
            actor=office, task=lw.task_a, unit=lw.unit_b, reason=blank, reply_by=TODAY, issued_on=TODAY
        ),
        "督办事由",
    )
    refused(lambda: services.order_answer(actor=liaison, order=lw.order, answer=blank), "回复内容")


def test_visible_text_is_kept_without_the_invisible_around_it(lw):
    task = services.task_reject(actor=None, task=lw.draft, reason="\u200b\u3000重复任务\ufeff ")
    assert task.review_note == "重复任务"


@pytest.mark.parametrize("day", FAR + PAST)
def test_implausible_dates_are_refused(lw, day):
    office, liaison = lw.user("office_city"), lw.user("liaison_a")
    refused(lambda: services.deadline_add(actor=office, task=lw.task_b, date=day, today=TODAY), "2100")
    deadline = lw.task_b.deadlines.get()
    refused(lambda: services.deadline_update(actor=office, deadline=deadline, date=day, today=TODAY), "2100")
    refused(
        lambda: services.task_update(
            actor=office, task=lw.draft, title="x", lead_units=[lw.unit_a], units=[], deadlines=[day], today=TODAY
        ),
        "2100",
    )
    refused(
        lambda: services.order_issue(
            actor=office, task=lw.task_a, unit=lw.unit_b, reason="逾期", reply_by=day, issued_on=TODAY
        ),
        "2100",
    )
    refused(lambda: services.task_mark_done(actor=office, task=lw.task_b, on=day), "2100")
    refused(
        lambda: services.progress_report_create(
            actor=liaison, task=lw.task_a, unit=lw.unit_a, text="进展", percent=10, reported_on=day, today=TODAY
        ),
        "2100",
    )


def test_an_empty_post_is_a_post_the_form_refuses_not_a_fresh_page(lw, client):
    client.force_login(lw.user("office_city"))
    before = AuditLog.objects.count()
    response = client.post(f"/ledger/review/tasks/{lw.draft.pk}/edit/", {})
    assert response.status_code == 200 and "任务名称不能为空" in response.content.decode()
    assert AuditLog.objects.count() == before
