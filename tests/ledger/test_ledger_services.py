"""The ledger's write layer: one audit row per write, nothing half-written, Chinese refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.accounts.models import AuditLog, Person
from duban.ledger import daily, services
from duban.ledger.models import (
    Deadline,
    ProgressAttachment,
    ProgressReport,
    Reminder,
    SupervisionOrder,
    TargetReading,
    Task,
)
from tests.factories import minimal_pdf

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def audit_count(action: str) -> int:
    return AuditLog.objects.filter(action=action).count()


def refused(call, *words: str) -> ValidationError:
    before = (
        AuditLog.objects.count(),
        ProgressReport.objects.count(),
        SupervisionOrder.objects.count(),
        Deadline.objects.count(),
        Reminder.objects.count(),
        TargetReading.objects.count(),
        ProgressAttachment.objects.count(),
    )
    with pytest.raises(ValidationError) as caught:
        call()
    text = "；".join(caught.value.messages)
    for word in words:
        assert word in text, text
    after = (
        AuditLog.objects.count(),
        ProgressReport.objects.count(),
        SupervisionOrder.objects.count(),
        Deadline.objects.count(),
        Reminder.objects.count(),
        TargetReading.objects.count(),
        ProgressAttachment.objects.count(),
    )
    assert after == before, "a refused write changed something"
    return caught.value


def report(lw, **kwargs):
    args = {
        "actor": lw.users["liaison_a"],
        "task": lw.task_a,
        "unit": lw.unit_a,
        "text": "开展健康科普活动",
        "percent": 40,
        "reported_on": D(2020, 6, 10),
        "today": D(2020, 6, 10),
    }
    args.update(kwargs)
    return services.progress_report_create(**args)


# --- progress -------------------------------------------------------------------------------------


def test_progress_report_with_reading_and_attachment_is_audited(lw):
    target = lw.task_a.targets.get()
    pdf = SimpleUploadedFile("宣传方案.pdf", minimal_pdf(), content_type="application/pdf")
    made = report(lw, readings={target: "20.5"}, attachments=[pdf])
    assert (made.period, made.percent) == ("2020-06", 40)
    assert made.readings.get().value == Decimal("20.5")
    attachment = made.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "宣传方案.pdf",
        "application/pdf",
        len(minimal_pdf()),
    )
    row = AuditLog.objects.get(action="progress_report_create")
    assert (
        row.actor_label == "liaison_a" and row.after["percent"] == 40 and row.after["attachments"] == ["宣传方案.pdf"]
    )


def test_a_second_report_in_the_same_period_is_refused(lw):
    report(lw)
    refused(
        lambda: report(lw, reported_on=D(2020, 6, 28), today=D(2020, 6, 28)), "已报送2020年6月的进度", "不能重复报送"
    )
    report(lw, reported_on=D(2020, 7, 2), today=D(2020, 7, 2))  # the next period is open
    assert ProgressReport.objects.count() == 2


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"percent": 101}, ["0 到 100"]),
        ({"percent": -1}, ["0 到 100"]),
        ({"text": "  "}, ["请填写进展情况"]),
        ({"reported_on": D(2020, 6, 11)}, ["不能晚于今天"]),
    ],
)
def test_bad_reports_change_nothing(lw, kwargs, words):
    refused(lambda: report(lw, **kwargs), *words)


def test_a_unit_not_on_the_task_cannot_report(lw):
    refused(lambda: report(lw, unit=lw.unit_b, actor=lw.users["liaison_b"]), "不是该任务的承办单位")


def test_attachments_are_checked_before_anything_is_written(lw, settings):
    target = lw.task_a.targets.get()
    exe = SimpleUploadedFile("run.exe", b"MZ....", content_type="application/octet-stream")
    refused(lambda: report(lw, readings={target: "21"}, attachments=[exe]), "类型不允许")
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    refused(lambda: report(lw, attachments=[fake]), "内容与扩展名不符")
    big = SimpleUploadedFile("big.txt", b"x" * (services.ATTACHMENT_MAX_BYTES + 1), content_type="text/plain")
    refused(lambda: report(lw, attachments=[big]), "超过")
    bad_value = {target: "二十"}
    refused(lambda: report(lw, readings=bad_value), "不是数字")


def test_a_task_closed_by_the_office_takes_no_more_reports(lw):
    services.task_mark_done(actor=lw.users["office_city"], task=lw.task_a, note="已核验", on=D(2020, 6, 5))
    refused(lambda: report(lw), "已办结")
    refused(lambda: services.task_mark_done(actor=lw.users["office_city"], task=lw.task_a), "不能重复办结")
    assert audit_count("task_mark_done") == 1


# --- assignment and deadlines ---------------------------------------------------------------------


def test_assigning_reminds_the_units_liaisons_once(lw):
    owner = Person.objects.get(name="周静")
    services.task_assign(actor=lw.users["office_city"], task=lw.task_b, reporting_cycle="weekly", owner=owner)
    services.task_assign(actor=lw.users["office_city"], task=lw.task_b, reporting_cycle="monthly", owner=owner)
    reminders = Reminder.objects.filter(kind="task_assigned")
    assert [r.recipient.username for r in reminders] == ["liaison_b"]
    assert "新交办任务" in reminders[0].text and reminders[0].link == f"/ledger/tasks/{lw.task_b.pk}/"
    assert audit_count("task_assign") == 2


def test_the_owner_must_be_office_staff_of_the_jurisdiction(lw):
    county_clerk = Person.objects.get(name="宋佳")
    liaison = Person.objects.get(name="谢芳")
    refused(
        lambda: services.task_assign(actor=None, task=lw.task_a, reporting_cycle="monthly", owner=county_clerk),
        "不属于本辖区",
    )
    refused(
        lambda: services.task_assign(actor=None, task=lw.task_a, reporting_cycle="monthly", owner=liaison),
        "不是督查室人员",
    )
    refused(lambda: services.task_assign(actor=None, task=lw.task_a, reporting_cycle="daily", owner=None), "报送周期")


def test_a_new_deadline_in_the_past_is_refused(lw):
    refused(
        lambda: services.deadline_add(actor=None, task=lw.task_a, date=D(2020, 6, 30), today=D(2020, 7, 1)), "早于今天"
    )
    deadline = lw.task_a.deadlines.get()
    refused(
        lambda: services.deadline_update(actor=None, deadline=deadline, date=D(2020, 6, 30), today=D(2020, 7, 1)),
        "早于今天",
    )
    services.deadline_update(actor=lw.users["office_city"], deadline=deadline, date=D(2020, 8, 31), today=D(2020, 7, 1))
    row = AuditLog.objects.get(action="deadline_update")
    assert row.before["deadlines"] == ["2020-06-15"] and row.after["deadlines"] == ["2020-08-31"]


def test_under_the_demo_clock_the_dates_of_the_story_are_accepted(lw, settings):
    settings.DUBAN_TODAY = D(2020, 11, 16)
    deadline = services.deadline_add(actor=lw.users["office_city"], task=lw.task_a, date=D(2020, 12, 15))
    assert deadline.date == D(2020, 12, 15)
    refused(lambda: services.deadline_add(actor=None, task=lw.task_a, date=D(2020, 11, 15)), "早于今天")


def test_review_update_keeps_printed_names_and_refuses_a_past_new_deadline(lw):
    draft = lw.draft
    refused(
        lambda: services.task_update(
            actor=None,
            task=draft,
            title="开展健康城市建设",
            lead_units=[lw.unit_a],
            units=[],
            deadlines=[D(2020, 1, 1)],
            today=D(2020, 7, 1),
        ),
        "早于今天",
    )
    services.task_update(
        actor=None,
        task=draft,
        title="开展健康城市建设",
        lead_units=[lw.unit_a],
        units=[lw.unit_b],
        deadlines=[D(2020, 12, 31)],
        today=D(2020, 7, 1),
    )
    names = list(draft.assignments.values_list("printed_name", flat=True))
    assert names == ["市卫健体委", "市教育局"]  # the document's spelling is kept for the unit it named
    services.task_confirm(actor=None, task=draft)
    refused(lambda: services.task_confirm(actor=None, task=draft), "不能重复操作")


def test_confirm_all_resolvable_leaves_the_unresolved(lw):
    confirmed, left = services.document_confirm_resolvable(actor=None, document=lw.draft.document)
    assert confirmed == [] and left == [lw.draft]  # 市委网信办 is unknown here
    refused(lambda: services.task_confirm(actor=None, task=lw.draft), "市委网信办", "未对应到机构名录")


# --- 督办单 -----------------------------------------------------------------------------------------


def test_orders_are_numbered_per_jurisdiction_and_year(lw):
    assert lw.order.number == "督办〔2020〕1号"
    services.order_answer(actor=lw.users["liaison_a"], order=lw.order, answer="已整改", answered_on=D(2020, 6, 25))
    second = services.order_issue(
        actor=None, task=lw.task_a, unit=lw.unit_a, reason="再次督办", reply_by=D(2020, 7, 10), issued_on=D(2020, 7, 1)
    )
    county = services.order_issue(
        actor=None, task=lw.county_task, unit=lw.unit_c, reason="逾期", reply_by=D(2021, 1, 10), issued_on=D(2021, 1, 4)
    )
    assert (second.number, county.number) == ("督办〔2020〕2号", "督办〔2021〕1号")


def test_an_order_needs_an_overdue_task_and_no_open_order(lw):
    refused(
        lambda: services.order_issue(
            actor=None,
            task=lw.task_b,
            unit=lw.unit_b,
            reason="提前督办",
            reply_by=D(2020, 7, 10),
            issued_on=D(2020, 7, 1),
        ),
        "未逾期",
    )
    refused(
        lambda: services.order_issue(
            actor=None,
            task=lw.task_a,
            unit=lw.unit_a,
            reason="再次督办",
            reply_by=D(2020, 7, 10),
            issued_on=D(2020, 7, 1),
        ),
        "尚待回复",
        "不能重复下发",
    )
    refused(
        lambda: services.order_issue(
            actor=None, task=lw.task_a, unit=lw.unit_b, reason="督办", reply_by=D(2020, 7, 10), issued_on=D(2020, 7, 1)
        ),
        "不是该任务的承办单位",
    )
    refused(
        lambda: services.order_issue(
            actor=None, task=lw.task_a, unit=lw.unit_a, reason="督办", reply_by=D(2020, 6, 30), issued_on=D(2020, 7, 1)
        ),
        "回复期限",
    )


def test_an_order_is_answered_once_and_the_issuer_is_reminded(lw):
    issued_reminder = Reminder.objects.get(kind="order_issued")
    assert issued_reminder.recipient == lw.users["liaison_a"] and issued_reminder.due == D(2020, 6, 30)
    services.order_answer(actor=lw.users["liaison_a"], order=lw.order, answer="已整改到位", answered_on=D(2020, 6, 25))
    refused(
        lambda: services.order_answer(actor=lw.users["liaison_a"], order=lw.order, answer="再次回复"),
        "已于 2020-06-25 回复",
        "不能重复回复",
    )
    lw.order.refresh_from_db()
    assert lw.order.status == "answered"
    assert Reminder.objects.get(kind="order_answered").recipient == lw.users["office_city"]
    issued_reminder.refresh_from_db()
    assert issued_reminder.read_at is not None  # answering settles the liaison's reminder
    assert audit_count("order_issue") == 1 and audit_count("order_answer") == 1


# --- reminders ------------------------------------------------------------------------------------


def test_the_daily_run_asks_the_lead_unit_for_its_report_once(lw):
    made = sum(run.made for run in daily.run_daily(D(2020, 6, 13)))  # the reports due, and the ladder's
    again = sum(run.made for run in daily.run_daily(D(2020, 6, 13)))
    due = Reminder.objects.filter(kind="report_due")
    assert made >= 1 and again == 0
    assert {(r.recipient.username, r.due) for r in due} == {
        ("liaison_a", D(2020, 6, 30)),
        ("liaison_b", D(2020, 6, 30)),
    }
    near = Reminder.objects.filter(kind="deadline_near")
    assert [r.recipient.username for r in near] == ["liaison_a"]  # task A is due 2020-06-15
    report(lw, reported_on=D(2020, 6, 13), today=D(2020, 6, 13))
    assert due.get(recipient=lw.users["liaison_a"]).read_at is not None  # the report settles it


def test_reminders_are_mailed_when_configured(lw, settings):
    settings.DUBAN_EMAIL_REMINDERS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lw.users["liaison_b"].email = "b@example.org"
    lw.users["liaison_b"].save()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
        services.task_assign(actor=None, task=lw.task_b, reporting_cycle="monthly", owner=None)
    assert len(mail.outbox) == 1 and "新交办任务" in mail.outbox[0].subject


def test_only_the_recipient_marks_a_reminder_read(lw):
    refused(lambda: services.reminder_mark_read(actor=lw.users["liaison_b"], reminder=lw.reminder), "本人")
    services.reminder_mark_read(actor=lw.users["liaison_a"], reminder=lw.reminder)
    services.reminder_mark_read(actor=lw.users["liaison_a"], reminder=lw.reminder)  # twice: nothing more
    assert audit_count("reminder_read") == 1


def test_views_show_service_refusals_in_chinese(client, lw):
    client.force_login(lw.users["office_city"])
    page = client.post(f"/ledger/tasks/{lw.task_a.pk}/deadlines/", {"date": "2000-01-01"}).content.decode()
    assert "早于今天" in page
    client.force_login(lw.users["liaison_a"])
    page = client.post(f"/ledger/tasks/{lw.task_a.pk}/report/", {"text": "", "percent": "120"}).content.decode()
    assert "请填写进展情况" in page and "完成进度不能大于 100" in page
    client.post(f"/ledger/tasks/{lw.task_a.pk}/report/", {"text": "进展", "percent": "50"})
    page = client.post(f"/ledger/tasks/{lw.task_a.pk}/report/", {"text": "进展", "percent": "60"}).content.decode()
    assert "不能重复报送" in page and ProgressReport.objects.count() == 1
    page = client.post(f"/ledger/orders/{lw.order.pk}/answer/", {"answer": "已整改"}, follow=True).content.decode()
    page = client.post(f"/ledger/orders/{lw.order.pk}/answer/", {"answer": "再次"}).content.decode()
    assert "不能重复回复" in page
    assert Task.objects.get(pk=lw.task_a.pk).status == "confirmed"
