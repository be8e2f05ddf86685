"""The task's life as scenarios through duban.ledger.lifecycle: 签收 within the window (and the daily
job past it), 延期 asked and approved or refused (the deadline's history), 办结 applied, returned,
applied again and accepted — each write audited, each refusal in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.accounts.models import AuditLog, Person
from duban.ledger import access, lifecycle, selectors, services, supervision
from duban.ledger import lifecycle_selectors as life
from duban.ledger.models import (
    ClosureAttachment,
    ClosureRequest,
    Deadline,
    DeadlineChange,
    ExtensionRequest,
    Reminder,
    Task,
    TaskUnit,
)
from tests.factories import evidence

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _state():
    models = (AuditLog, Reminder, ExtensionRequest, ClosureRequest, ClosureAttachment, DeadlineChange)
    return (
        *(m.objects.count() for m in models),
        tuple(Deadline.objects.order_by("pk").values_list("date", flat=True)),
        tuple(TaskUnit.objects.order_by("pk").values_list("acknowledged_at", flat=True)),
        tuple(Task.objects.order_by("pk").values_list("done_on", flat=True)),
    )


def refused(call, *words: str) -> None:
    before = _state()
    with pytest.raises(ValidationError) as caught:
        call()
    text = "；".join(caught.value.messages)
    for word in words:
        assert word in text, text
    assert _state() == before  # nothing half-written


def actions(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))


def reminders_of(user, kind: str) -> list[Reminder]:
    return list(Reminder.objects.filter(recipient=user, kind=kind))


def fresh(task: Task) -> Task:
    return selectors.tasks_confirmed(jurisdiction=task.jurisdiction).get(pk=task.pk)


# --- 签收 -------------------------------------------------------------------------------------------


def _assign(lw, task, day: str, settings):
    settings.DUBAN_TODAY = day
    return services.task_assign(actor=lw.user("office_city"), task=task, reporting_cycle="monthly", owner=None)


def test_a_liaison_acknowledges_once_and_the_assignment_reminder_is_settled(lw, settings):
    _assign(lw, lw.task_b, "2020-07-01", settings)  # a Wednesday
    liaison = lw.user("liaison_b")
    (assigned,) = reminders_of(liaison, "task_assigned")
    assert assigned.read_at is None and "请于 2020-07-03 前签收" in assigned.text and assigned.due == D(2020, 7, 3)
    assert life.acknowledgements_pending(jurisdiction=lw.city, unit=lw.unit_b)[0].due == D(2020, 7, 3)

    lifecycle.task_acknowledge(actor=liaison, task=lw.task_b, unit=lw.unit_b)
    row = TaskUnit.objects.get(task=lw.task_b, unit=lw.unit_b)
    assert row.acknowledged_by == liaison and row.acknowledged_at is not None
    (audit,) = actions("task_acknowledge")
    assert audit.before["acknowledged"][0]["acknowledged_at"] is None
    assert audit.after["acknowledged"][0]["acknowledged_by"] == liaison.pk
    assigned.refresh_from_db()
    assert assigned.read_at is not None
    assert life.acknowledgements_pending(jurisdiction=lw.city, unit=lw.unit_b) == []

    refused(lambda: lifecycle.task_acknowledge(actor=liaison, task=lw.task_b, unit=lw.unit_b), "已于", "签收")
    refused(lambda: lifecycle.task_acknowledge(actor=liaison, task=lw.task_b, unit=lw.unit_a), "不是该任务的承办单位")


def test_a_closed_task_takes_no_acknowledgement(lw):
    services.task_mark_done(actor=None, task=lw.task_b, on=D(2020, 7, 1))
    refused(lambda: lifecycle.task_acknowledge(actor=None, task=lw.task_b, unit=lw.unit_b), "已于 2020-07-01 办结")


def test_past_the_window_the_daily_job_reminds_the_units_liaisons_and_the_office_once(lw, settings):
    _assign(lw, lw.task_b, "2020-07-01", settings)  # window: 2 working days, to Friday 07-03
    office, liaison = lw.user("office_city"), lw.user("liaison_b")
    assert lifecycle.acknowledgement_reminders(jurisdiction=lw.city, today=D(2020, 7, 3)) == 0
    made = lifecycle.acknowledgement_reminders(jurisdiction=lw.city, today=D(2020, 7, 6))
    assert made == 2
    (to_unit,) = reminders_of(liaison, "acknowledge_overdue")
    (to_office,) = reminders_of(office, "acknowledge_overdue")
    assert "2020-07-03" in to_unit.text and "市教育局逾期未签收" in to_office.text
    assert lifecycle.acknowledgement_reminders(jurisdiction=lw.city, today=D(2020, 7, 7)) == 0  # once each
    assert [item.task for item in life.acknowledgements_overdue(jurisdiction=lw.city, today=D(2020, 7, 6))] == [
        lw.task_b
    ]
    lifecycle.task_acknowledge(actor=liaison, task=lw.task_b, unit=lw.unit_b)
    to_unit.refresh_from_db()
    to_office.refresh_from_db()
    assert to_unit.read_at is not None and to_office.read_at is not None
    assert life.acknowledgements_overdue(jurisdiction=lw.city, today=D(2020, 7, 6)) == []


def test_the_window_counts_working_days_over_the_national_holiday(lw, settings):
    _assign(lw, lw.task_b, "2020-09-30", settings)  # 10-01..10-08 off, Saturday 10-10 worked
    (item,) = life.acknowledgements_pending(jurisdiction=lw.city, unit=lw.unit_b)
    assert item.due == D(2020, 10, 10)
    assert life.acknowledgements_overdue(jurisdiction=lw.city, today=D(2020, 10, 10)) == []
    assert len(life.acknowledgements_overdue(jurisdiction=lw.city, today=D(2020, 10, 11))) == 1


def test_the_overdue_query_agrees_with_the_due_day_on_every_day_of_a_year(lw):
    """acknowledge_overdue_before (one moment, for SQL) says what acknowledge_due says of each 交办 day."""
    work = supervision.calendar()
    days = supervision.settings_for(lw.city).acknowledge_working_days
    start = D(2020, 1, 1)
    for offset in range(0, 366, 3):
        today = start + dt.timedelta(days=offset)
        cutoff = life.acknowledge_overdue_before(lw.city, today).date()
        for back in range(20):
            assigned = today - dt.timedelta(days=back)
            assert (assigned < cutoff) == (today > work.add_working_days(assigned, days)), (assigned, today)


def _counts_agree(lw, today) -> int:
    """The jurisdiction's 待签收 count (summed from the tasks' stored counts) is the list's length, all of it and
    past the window."""
    for overdue_on in (None, today):
        listed = life.unacknowledged(jurisdiction=lw.city, overdue_on=overdue_on).count()
        assert life.unacknowledged_count(jurisdiction=lw.city, overdue_on=overdue_on) == listed, overdue_on
    return life.unacknowledged_count(jurisdiction=lw.city)


def test_the_stored_count_of_units_yet_to_sign_follows_assignment_acknowledgement_and_closing(lw, settings):
    assert _counts_agree(lw, D(2020, 7, 6)) == 0
    _assign(lw, lw.task_a, "2020-07-01", settings)
    _assign(lw, lw.task_b, "2020-07-01", settings)
    assert _counts_agree(lw, D(2020, 7, 6)) == 2
    # a unit named twice on a task is one to sign
    TaskUnit.objects.create(task=lw.task_b, unit=lw.unit_b, role=TaskUnit.Role.COOPERATING, position=9)
    assert Task.objects.get(pk=lw.task_b.pk).unacknowledged_units == 1
    assert _counts_agree(lw, D(2020, 7, 6)) == 2
    lifecycle.task_acknowledge(actor=lw.user("liaison_b"), task=lw.task_b, unit=lw.unit_b)
    assert Task.objects.get(pk=lw.task_b.pk).unacknowledged_units == 0
    assert _counts_agree(lw, D(2020, 7, 6)) == 1
    assert _counts_agree(lw, D(2020, 7, 2)) == 1  # within the window: none past it
    settings.DUBAN_TODAY = "2020-07-08"
    services.task_mark_done(actor=None, task=lw.task_a, on=D(2020, 7, 8))
    assert _counts_agree(lw, D(2020, 7, 9)) == 0


# --- 延期 -------------------------------------------------------------------------------------------


AUGUST_END, JULY_FIRST = D(2020, 8, 31), D(2020, 7, 1)


def _ask(lw, requested=AUGUST_END, reason="受汛期影响，现场施工暂停", today=JULY_FIRST):
    return lifecycle.extension_request(
        actor=lw.user("liaison_a"),
        task=lw.task_a,
        unit=lw.unit_a,
        deadline=lw.task_a.deadlines.get(),
        requested_date=requested,
        reason=reason,
        today=today,
    )


def test_an_approved_extension_moves_the_deadline_and_keeps_its_history(lw):
    request = _ask(lw)
    assert request.status == "pending" and request.current_date == D(2020, 6, 15)
    office = lw.user("office_city")
    (asked,) = reminders_of(office, "extension_requested")
    assert "延至 2020-08-31" in asked.text and asked.link == f"/ledger/extensions/{request.pk}/"
    assert actions("extension_request")[0].after["requested_date"] == "2020-08-31"
    assert selectors.task_standing(fresh(lw.task_a), D(2020, 7, 2)).is_overdue

    lifecycle.extension_approve(actor=office, request=request, note="同意", today=D(2020, 7, 2))
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == office
    deadline = lw.task_a.deadlines.get()
    assert deadline.date == D(2020, 8, 31)
    (change,) = life.deadline_history(lw.task_a)
    assert (change.from_date, change.to_date, change.extension, change.changed_by) == (
        D(2020, 6, 15),
        D(2020, 8, 31),
        request,
        office,
    )
    (audit,) = actions("extension_approve")
    assert (audit.before["status"], audit.after["status"]) == ("pending", "approved")
    assert (audit.before["deadline_date"], audit.after["deadline_date"]) == ("2020-06-15", "2020-08-31")
    assert actions("deadline_update")  # the move is the ledger's own write
    asked.refresh_from_db()
    assert asked.read_at is not None
    (told,) = reminders_of(lw.user("liaison_a"), "extension_approved")
    assert "2020-08-31" in told.text
    assert selectors.task_standing(fresh(lw.task_a), D(2020, 7, 2)).code == "open"
    refused(lambda: lifecycle.extension_refuse(actor=office, request=request, note="不同意"), "已审批", "不能重复审批")


def test_a_refused_extension_changes_nothing_but_its_status(lw):
    request = _ask(lw)
    office = lw.user("office_city")
    refused(lambda: lifecycle.extension_refuse(actor=office, request=request, note="  "), "须说明理由")
    lifecycle.extension_refuse(actor=office, request=request, note="理由不充分")
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "理由不充分"
    assert lw.task_a.deadlines.get().date == D(2020, 6, 15)
    assert DeadlineChange.objects.count() == 0
    (told,) = reminders_of(lw.user("liaison_a"), "extension_refused")
    assert "理由不充分" in told.text and "仍为 2020-06-15" in told.text
    _ask(lw, requested=D(2020, 9, 30))  # refused, the unit may ask again


def test_an_extension_request_is_checked_before_anything_is_written(lw):
    refused(lambda: _ask(lw, reason=" \u200b "), "请填写延期理由")
    refused(lambda: _ask(lw, requested=D(2020, 6, 10)), "须晚于现在的完成时限 2020-06-15")
    refused(lambda: _ask(lw, requested=D(2020, 6, 30), today=D(2020, 7, 1)), "须晚于今天")
    refused(
        lambda: lifecycle.extension_request(
            actor=None,
            task=lw.task_a,
            unit=lw.unit_a,
            deadline=lw.task_b.deadlines.get(),
            requested_date=D(2031, 1, 1),
            reason="x",
        ),
        "请选择该任务的完成时限",
    )
    refused(
        lambda: lifecycle.extension_request(
            actor=None,
            task=lw.task_a,
            unit=lw.unit_b,
            deadline=lw.task_a.deadlines.get(),
            requested_date=D(2020, 8, 31),
            reason="x",
            today=D(2020, 7, 1),
        ),
        "不是该任务的承办单位",
    )
    _ask(lw)
    refused(lambda: _ask(lw, requested=D(2020, 9, 30)), "已有待审批的延期申请")


def test_an_extension_whose_date_has_passed_cannot_be_approved(lw):
    request = _ask(lw, requested=D(2020, 7, 10))
    refused(
        lambda: lifecycle.extension_approve(actor=None, request=request, today=D(2020, 7, 10)),
        "申请延至的日期 2020-07-10 已过",
    )


def test_the_office_moving_a_deadline_writes_its_history_too(lw):
    deadline = lw.task_b.deadlines.get()
    services.deadline_update(
        actor=lw.user("office_city"), deadline=deadline, date=D(2030, 6, 30), reason="按市政府要求提前"
    )
    (change,) = life.deadline_history(lw.task_b)
    assert (change.from_date, change.to_date, change.extension, change.reason) == (
        D(2030, 12, 31),
        D(2030, 6, 30),
        None,
        "按市政府要求提前",
    )


@pytest.fixture
def owner_decides(settings, tmp_path):
    """The city's settings with 延期 decided by the task's 经办人."""
    folder = tmp_path / "supervision"
    shutil.copytree(Path(django_settings.DUBAN_SUPERVISION_DIR), folder)
    city = folder / "zhumadian.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("approver: office", "approver: owner"), encoding="utf-8")
    settings.DUBAN_SUPERVISION_DIR = str(folder)
    assert supervision.settings_for(Person.objects.first().jurisdiction).extension_approver == "owner"


def test_where_the_settings_name_the_owner_the_owner_decides_and_is_reminded(lw, owner_decides):
    owner = Person.objects.get(user=lw.user("office_city"))
    services.task_assign(actor=None, task=lw.task_a, reporting_cycle="monthly", owner=owner)
    colleague = lw.user("office_city").__class__.objects.create_user("office_city_2", password="pw-12345678")
    request = _ask(lw)
    assert reminders_of(lw.user("office_city"), "extension_requested")
    request = ExtensionRequest.objects.get(pk=request.pk)
    assert access.access_extension_decide(lw.user("office_city"), request)
    assert not access.access_extension_decide(lw.user("admin"), request)
    assert not access.access_extension_decide(colleague, request)
    assert not access.access_extension_decide(lw.user("liaison_a"), request)


def test_without_an_owner_the_office_decides_even_where_the_settings_name_the_owner(lw, owner_decides):
    request = ExtensionRequest.objects.get(pk=_ask(lw).pk)
    assert life.extension_approver_user(request.task) is None
    assert access.access_extension_decide(lw.user("office_city"), request)
    assert not access.access_extension_decide(lw.user("office_county"), request)


def _decides_as_the_query_says(lw, users) -> None:
    """life.extensions_to_decide (the workbench's count, in SQL) holds the same requests as
    access_extension_decide asked of each pending request, for every user."""
    city = lw.task_a.jurisdiction
    for user in users:
        office = access.access_office_or_administrator(user, city)
        found = set(life.extensions_to_decide(user, jurisdiction=city, office=office).values_list("pk", flat=True))
        pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING, task__jurisdiction=city)
        assert found == {e.pk for e in pending if access.access_extension_decide(user, e)}, user


def test_the_workbench_query_of_extensions_to_decide_agrees_with_the_check(lw, owner_decides):
    _ask(lw)  # task A: no 经办人 yet, the office decides
    colleague = lw.user("office_city").__class__.objects.create_user("office_city_2", password="pw-12345678")
    users = [lw.user("office_city"), lw.user("admin"), lw.user("liaison_a"), lw.user("office_county"), colleague]
    _decides_as_the_query_says(lw, users)
    owner = Person.objects.get(user=lw.user("office_city"))
    services.task_assign(actor=None, task=lw.task_a, reporting_cycle="monthly", owner=owner)
    _decides_as_the_query_says(lw, users)  # now the 经办人 (office_city's own login), not the administrator
    assert life.extensions_to_decide(lw.user("admin"), jurisdiction=lw.task_a.jurisdiction, office=True).count() == 0
    owner.user.is_active = False
    owner.user.save()
    _decides_as_the_query_says(lw, users)  # a 经办人 whose login is off: the office again


def test_where_the_office_decides_the_query_of_extensions_to_decide_is_the_office_s(lw):
    _ask(lw)
    users = [lw.user("office_city"), lw.user("admin"), lw.user("liaison_a"), lw.user("office_county")]
    _decides_as_the_query_says(lw, users)
    assert (
        life.extensions_to_decide(lw.user("office_city"), jurisdiction=lw.task_a.jurisdiction, office=True).count() == 1
    )


# --- 办结申请 → 验收 ----------------------------------------------------------------------------------


def _apply(lw, summary="已完成健康知识普及行动各项工作", files=None):
    return lifecycle.closure_apply(
        actor=lw.user("liaison_a"),
        task=lw.task_a,
        unit=lw.unit_a,
        summary=summary,
        attachments=[evidence()] if files is None else files,
    )


def test_a_100_percent_report_closes_nothing_the_office_accepts_after_a_return(lw):
    services.progress_report_create(
        actor=lw.user("liaison_a"), task=lw.task_a, unit=lw.unit_a, text="完成", percent=100, today=D(2020, 7, 1)
    )
    assert selectors.task_standing(fresh(lw.task_a), D(2020, 7, 2)).is_overdue

    first = _apply(lw)
    office = lw.user("office_city")
    (applied,) = reminders_of(office, "closure_applied")
    assert applied.link == f"/ledger/closures/{first.pk}/"
    assert actions("closure_apply")[0].after["attachments"] == ["办结佐证.pdf"]
    refused(lambda: _apply(lw), "已有待验收的办结申请")

    refused(lambda: lifecycle.closure_return(actor=office, request=first, note=""), "退回须说明理由")
    lifecycle.closure_return(actor=office, request=first, note="缺少现场照片")
    first.refresh_from_db()
    assert first.status == "returned" and first.decision_note == "缺少现场照片"
    assert selectors.task_standing(fresh(lw.task_a), D(2020, 7, 2)).is_overdue  # back to 办理中
    (returned,) = reminders_of(lw.user("liaison_a"), "closure_returned")
    assert "缺少现场照片" in returned.text
    applied.refresh_from_db()
    assert applied.read_at is not None

    second = _apply(lw, files=[evidence("现场照片.png"), evidence("验收报告.docx")])
    lifecycle.closure_accept(actor=office, request=second, note="资料齐全，同意办结", today=D(2020, 7, 5))
    task = fresh(lw.task_a)
    assert (task.done_on, task.done_by, task.done_note) == (D(2020, 7, 5), office, "资料齐全，同意办结")
    assert selectors.task_standing(task, D(2020, 7, 5)).code == "done"
    assert selectors.with_standing(Task.objects.filter(pk=task.pk), D(2020, 7, 5)).get().ledger_standing == "done"
    (accepted,) = actions("closure_accept")
    assert (accepted.before["task_done_on"], accepted.after["task_done_on"]) == (None, "2020-07-05")
    assert (accepted.before["status"], accepted.after["status"]) == ("pending", "accepted")
    assert reminders_of(lw.user("liaison_a"), "closure_accepted")
    refused(lambda: lifecycle.closure_return(actor=office, request=second, note="x"), "已验收")
    refused(lambda: _apply(lw), "已于 2020-07-05 办结")
    refused(
        lambda: services.progress_report_create(
            actor=None, task=task, unit=lw.unit_a, text="x", percent=100, today=D(2020, 8, 1)
        ),
        "已办结",
    )


def test_a_closure_application_is_checked_before_anything_is_written(lw):
    refused(lambda: _apply(lw, summary=""), "请填写办结情况")
    refused(lambda: _apply(lw, files=[]), "请上传办结佐证材料")
    fake = SimpleUploadedFile("照片.png", b"%PDF-1.4 not an image")
    refused(lambda: _apply(lw, files=[fake]), "无法作为")
    refused(lambda: _apply(lw, files=[evidence(f"f{i}.txt") for i in range(6)]), "最多上传 5 个")
    refused(
        lambda: lifecycle.closure_apply(
            actor=None, task=lw.task_a, unit=lw.unit_b, summary="x", attachments=[evidence()]
        ),
        "不是该任务的承办单位",
    )


def test_only_a_lead_unit_applies_for_closure(lw):
    task = lw.task_b
    TaskUnit.objects.create(task=task, role=TaskUnit.Role.COOPERATING, printed_name="A", unit=lw.unit_a, position=0)
    refused(
        lambda: lifecycle.closure_apply(actor=None, task=task, unit=lw.unit_a, summary="x", attachments=[evidence()]),
        "不是该任务的牵头单位",
    )
    task = Task.objects.get(pk=task.pk)
    assert access.access_closure_apply(lw.user("liaison_b"), task)
    assert not access.access_closure_apply(lw.user("liaison_a"), task)
    assert access.access_extension_request(lw.user("liaison_a"), task)


def test_the_daily_run_carries_the_acknowledgement_job(lw, settings):
    from duban.ledger import daily

    assert daily.jobs()["ledger.acknowledgements"] is lifecycle.acknowledgement_reminders
    _assign(lw, lw.task_b, "2020-07-01", settings)
    runs = {(run.jurisdiction.code, run.name): run for run in daily.run_daily(today=D(2020, 7, 6))}
    assert runs[(lw.city.code, "ledger.acknowledgements")].made == 2
    assert reminders_of(lw.user("liaison_b"), "acknowledge_overdue")
