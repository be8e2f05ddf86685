"""立项 (services.task_open): a task from each source kind enters the ledger at once, audited; each
refusal names its field in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.accounts.models import AuditLog, Person
from duban.accounts.services import person_create, unit_create
from duban.ledger import selectors, services
from duban.ledger.models import Deadline, Reminder, Target, Task, TaskSource, TaskUnit, given_on_expression
from duban.ledger.sources import (
    CPPCC_PROPOSAL,
    DOCUMENT,
    INSTRUCTION,
    MEETING,
    NPC_SUGGESTION,
    PUBLIC,
    SOURCE_KINDS,
    SUPERIOR,
    WORKBOOK,
    TaskSourceInput,
)
from tests.factories import minimal_pdf

D = dt.date
TODAY = D(2020, 7, 1)


@pytest.fixture(autouse=True)
def _today(settings, tmp_path):
    settings.DUBAN_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("批示件.pdf", minimal_pdf("pishi"), content_type="application/pdf")


SOURCES = {
    INSTRUCTION: lambda lw: TaskSourceInput(
        kind=INSTRUCTION, person="王市长", date=D(2020, 6, 28), words="请督查室跟踪落实。", attachment=scan()
    ),
    MEETING: lambda lw: TaskSourceInput(
        kind=MEETING, origin="市政府第12次常务会议", date=D(2020, 6, 20), number="纪要〔2020〕12号"
    ),
    SUPERIOR: lambda lw: TaskSourceInput(kind=SUPERIOR, origin="省政府督查室", number="豫政督〔2020〕8号"),
    NPC_SUGGESTION: lambda lw: TaskSourceInput(kind=NPC_SUGGESTION, number="第0123号", person="李代表"),
    CPPCC_PROPOSAL: lambda lw: TaskSourceInput(kind=CPPCC_PROPOSAL, number="第0456号", person="赵委员"),
    PUBLIC: lambda lw: TaskSourceInput(kind=PUBLIC, origin="12345热线", number="GD20200601"),
    WORKBOOK: lambda lw: TaskSourceInput(kind=WORKBOOK, file_name="2020年任务分解表.xlsx", sheet="Sheet1", row=7),
    DOCUMENT: lambda lw: TaskSourceInput(kind=DOCUMENT, document=lw.task_a.document),
}


def open_task(lw, source, **extra):
    values = {
        "actor": lw.user("office_city"),
        "jurisdiction": lw.city,
        "source": source,
        "title": "推进老旧小区加装电梯",
        "text": "年内完成20部。",
        "lead_units": [lw.unit_a],
        "responsible_units": [lw.unit_b],
        "deadlines": [(D(2020, 12, 31), "年底前")],
    }
    values.update(extra)
    return services.task_open(**values)


def counts():
    return (
        Task.objects.count(),
        TaskSource.objects.count(),
        TaskUnit.objects.count(),
        Deadline.objects.count(),
        Target.objects.count(),
        AuditLog.objects.count(),
        Reminder.objects.count(),
    )


def refused(lw, field: str, words: str, source=None, **extra) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        open_task(lw, source or SOURCES[MEETING](lw), **extra)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert words in "；".join(caught.value.message_dict[field]), caught.value.message_dict
    assert counts() == before


def test_every_kind_has_a_case_here():
    assert set(SOURCES) == set(SOURCE_KINDS)


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_a_task_from_each_source_is_in_the_ledger_at_once(lw, kind):
    housing = unit_create(actor=None, jurisdiction=lw.city, name="市住房和城乡建设局")
    task = open_task(lw, SOURCES[kind](lw), cooperating_units=[housing])
    task.refresh_from_db()
    assert task.status == Task.Status.CONFIRMED and task.assigned_at is not None
    assert task.source_kind == kind
    assert (task.document is not None) == (kind == DOCUMENT)
    assert TaskSource.objects.filter(task=task).exists() == (kind != DOCUMENT)
    roles = sorted(task.assignments.values_list("role", flat=True))
    assert roles == ["cooperating", "lead", "responsible"]
    assert [(d.date, d.text) for d in task.deadlines.all()] == [(D(2020, 12, 31), "年底前")]
    assert task in selectors.tasks_confirmed(jurisdiction=lw.city)
    assert selectors.task_lead_unit_ids(task) == [lw.unit_a.pk]
    audit = AuditLog.objects.get(action="task_open", object_id=str(task.pk))
    assert audit.actor == lw.user("office_city") and audit.after["source"]["kind"] == kind
    assert SOURCE_KINDS[kind].label in task.source_summary or kind == DOCUMENT
    # the lead unit's liaison is told
    assert Reminder.objects.filter(recipient=lw.user("liaison_a"), task=task, kind="task_assigned").exists()


def test_the_instruction_keeps_its_scan_and_its_words(lw):
    task = open_task(lw, SOURCES[INSTRUCTION](lw))
    detail = TaskSource.objects.get(task=task)
    assert detail.person == "王市长" and detail.words == "请督查室跟踪落实。" and detail.date == D(2020, 6, 28)
    assert detail.attachment_name == "批示件.pdf" and detail.attachment_type == "application/pdf"
    assert detail.attachment.read().startswith(b"%PDF")
    rows = dict(task.source_rows)
    assert rows["来源类型"] == "领导批示" and rows["批示领导"] == "王市长" and rows["批示内容"] == "请督查室跟踪落实。"


def test_targets_text_yields_the_quantitative_targets(lw):
    task = open_task(lw, SOURCES[PUBLIC](lw), targets_text="到2022年，加装电梯不少于20部。")
    task.refresh_from_db()
    assert task.targets_text == "到2022年，加装电梯不少于20部。"
    target = task.targets.get()
    assert (target.year, target.comparator, int(target.value), target.unit_label) == (2022, ">=", 20, "部")


def test_cycle_and_owner(lw):
    owner = Person.objects.get(name="周静")
    task = open_task(lw, SOURCES[PUBLIC](lw), reporting_cycle="weekly", owner=owner, ref="立-1")
    assert (task.reporting_cycle, task.owner, task.ref) == ("weekly", owner, "立-1")


# --- refusals ---------------------------------------------------------------------------------------


def test_refuses_an_unknown_kind(lw):
    refused(lw, "kind", "请选择任务来源", source=TaskSourceInput(kind="rumour"))


def test_refuses_a_missing_required_field_of_each_kind(lw):
    refused(lw, "person", "请填写批示领导", source=TaskSourceInput(kind=INSTRUCTION, date=D(2020, 6, 1), words="阅"))
    refused(lw, "words", "请填写批示内容", source=TaskSourceInput(kind=INSTRUCTION, person="王", date=D(2020, 6, 1)))
    refused(lw, "date", "请填写会议日期", source=TaskSourceInput(kind=MEETING, origin="常务会"))
    refused(lw, "origin", "请填写交办机关", source=TaskSourceInput(kind=SUPERIOR, origin="\u3000"))
    refused(lw, "number", "请填写建议编号", source=TaskSourceInput(kind=NPC_SUGGESTION, person="李"))
    refused(lw, "person", "请填写提案人", source=TaskSourceInput(kind=CPPCC_PROPOSAL, number="1"))
    refused(lw, "origin", "请填写反映渠道", source=TaskSourceInput(kind=PUBLIC))
    refused(lw, "row", "请填写行号", source=TaskSourceInput(kind=WORKBOOK, file_name="a.xlsx", sheet="S"))
    refused(lw, "document", "请选择来源公文", source=TaskSourceInput(kind=DOCUMENT))


def test_refuses_a_field_of_another_kind(lw):
    refused(lw, "words", "没有这一项", source=TaskSourceInput(kind=PUBLIC, origin="12345", words="阅"))


def test_refuses_a_source_date_after_today_or_implausible(lw):
    refused(lw, "date", "不能晚于今天", source=TaskSourceInput(kind=MEETING, origin="常务会", date=D(2020, 7, 2)))
    refused(lw, "date", "1949", source=TaskSourceInput(kind=MEETING, origin="常务会", date=D(1900, 1, 1)))


def test_refuses_a_damaged_scan(lw):
    bad = SimpleUploadedFile("批示件.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    source = TaskSourceInput(kind=INSTRUCTION, person="王", date=D(2020, 6, 1), words="阅", attachment=bad)
    refused(lw, "attachment", "无法作为 PDF 文件打开", source=source)


def test_refuses_a_bad_row_number(lw):
    refused(lw, "row", "正整数", source=TaskSourceInput(kind=WORKBOOK, file_name="a.xlsx", sheet="S", row=0))


def test_refuses_a_document_of_another_jurisdiction(lw):
    refused(lw, "document", "不属于本辖区", source=TaskSourceInput(kind=DOCUMENT, document=lw.county_task.document))


def test_refuses_an_empty_title(lw):
    refused(lw, "title", "请填写任务名称", title=" \u200b ")


def test_refuses_no_lead_or_responsible_unit(lw):
    refused(lw, "lead_units", "至少指定一个牵头单位或责任单位", lead_units=[], responsible_units=[])


def test_refuses_a_unit_twice(lw):
    refused(lw, "responsible_units", "同一单位只能列一次", responsible_units=[lw.unit_a])


def test_refuses_a_unit_of_another_jurisdiction(lw):
    refused(lw, "cooperating_units", "不属于本辖区", cooperating_units=[lw.unit_c])


def test_refuses_a_deadline_in_the_past_or_twice(lw):
    refused(lw, "deadlines", "早于今天", deadlines=[(D(2020, 6, 30), "")])
    refused(lw, "deadlines", "重复", deadlines=[(D(2020, 12, 31), "a"), (D(2020, 12, 31), "b")])


def test_refuses_a_bad_cycle(lw):
    refused(lw, "reporting_cycle", "报送周期", reporting_cycle="daily")


def test_refuses_an_owner_who_is_not_office_staff(lw):
    liaison = Person.objects.get(name="谢芳")
    refused(lw, "owner", "不是督查室人员", owner=liaison)
    other = person_create(actor=None, jurisdiction=lw.county, name="区督查员", role="督查室工作人员")
    refused(lw, "owner", "不属于本辖区", owner=other)


def test_without_a_lead_unit_the_first_responsible_unit_leads_never_a_cooperating_one(lw):
    task = open_task(
        lw, SOURCES[PUBLIC](lw), lead_units=[], responsible_units=[lw.unit_b], cooperating_units=[lw.unit_a]
    )
    task = Task.objects.prefetch_related("assignments").get(pk=task.pk)
    assert selectors.task_lead_unit_ids(task) == [lw.unit_b.pk]


def _given_on_agrees() -> None:
    """Every task's stored 在账日期 is what its document, source, 入台账 and 交办 say now."""
    rows = Task.objects.annotate(expected=given_on_expression()).values_list("pk", "given_on", "expected")
    assert [(pk, stored) for pk, stored, _ in rows] == [(pk, expected) for pk, _, expected in rows]


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_a_tasks_given_day_is_stored_and_follows_its_document_and_its_source(lw, kind):
    # 在账日期 (the 督查通报 counts a task from it): the document's 成文日期, else the source's date, else the day
    # it entered the ledger; stored with the task, it follows a later correction of either.
    task = open_task(lw, SOURCES[kind](lw))
    _given_on_agrees()
    stored = Task.objects.get(pk=task.pk).given_on
    if kind == DOCUMENT:
        assert stored == lw.task_a.document.date
        document = lw.task_a.document
        document.date = D(2020, 3, 3)
        document.save()
        assert Task.objects.get(pk=task.pk).given_on == D(2020, 3, 3)
    elif TaskSource.objects.get(task=task).date is not None:
        assert stored == TaskSource.objects.get(task=task).date
        source = TaskSource.objects.get(task=task)
        source.date = D(2020, 5, 5)
        source.save()
        assert Task.objects.get(pk=task.pk).given_on == D(2020, 5, 5)
        source.delete()
        assert Task.objects.get(pk=task.pk).given_on == Task.objects.get(pk=task.pk).started_on
    else:
        assert stored == Task.objects.get(pk=task.pk).started_on
    _given_on_agrees()
