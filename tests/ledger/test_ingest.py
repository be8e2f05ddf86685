import pytest
from django.core.exceptions import ValidationError

from duban.accounts.models import AuditLog
from duban.errors import InputError
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Deadline, Document, GazetteIssue, Target, Task, TaskUnit
from duban.ledger.search import search_documents
from duban.ledger.services import task_confirm, task_reject, task_update

CONTENT = b"the gazette's bytes"


def ingest(city, extraction, content=CONTENT):
    return issue_ingest(actor=None, jurisdiction=city, source_name="small.txt", content=content, extraction=extraction)


def test_ingest_stores_documents_tasks_targets_and_deadlines(city, health_commission, education, extraction):
    result = ingest(city, extraction)
    assert result.created and result.documents == 2 and result.tasks == 2
    issue = result.issue
    assert issue.number == "第4号（总第96号）"
    health = Document.objects.get(doc_no="驻政〔2020〕23号")
    assert health.kind == "意见" and health.date.isoformat() == "2020-04-23"
    task = Task.objects.get(ref="三.(一).1")
    assert task.status == Task.Status.DRAFT
    lead = task.assignments.get(role=TaskUnit.Role.LEAD)
    assert lead.printed_name == "市卫健委" and lead.unit == health_commission  # alias resolved, printed name kept
    assert [t.year for t in task.targets.all()] == [2022, 2030]
    assert [int(t.value) for t in task.targets.all()] == [22, 30]
    assert Deadline.objects.get(task__ref="三.(一).2").date.isoformat() == "2020-12-31"
    speech_deadline = Deadline.objects.get(task__isnull=True)
    assert speech_deadline.document.kind == "讲话" and speech_deadline.date.isoformat() == "2020-06-15"
    assert AuditLog.objects.filter(action="ingest", object_id=str(issue.pk)).count() == 1


def test_a_name_the_directory_cannot_resolve_is_reported_not_dropped(city, health_commission, education, extraction):
    result = ingest(city, extraction)
    assert result.unresolved == ["市委网信办"]
    kept = TaskUnit.objects.get(printed_name="市委网信办")
    assert kept.unit is None and kept.task.ref == "三.(一).1"


def test_ingesting_the_same_file_again_changes_nothing(city, health_commission, extraction):
    first = ingest(city, extraction)
    counts = (
        GazetteIssue.objects.count(),
        Document.objects.count(),
        Task.objects.count(),
        Target.objects.count(),
        AuditLog.objects.count(),
    )
    again = ingest(city, extraction)
    assert not again.created and again.issue == first.issue and again.tasks == 2
    assert counts == (
        GazetteIssue.objects.count(),
        Document.objects.count(),
        Task.objects.count(),
        Target.objects.count(),
        AuditLog.objects.count(),
    )


def test_a_failing_ingest_leaves_nothing_half_written(city, extraction):
    extraction["documents"][1]["deadlines"] = [{"text": "x", "date": "2020-06-15"}]
    extraction["documents"][1]["targets"] = [
        {"text": "x", "indicator": "x", "year": 2020, "comparator": ">=", "value": "not a number", "unit": "%"}
    ]
    with pytest.raises(InputError):
        ingest(city, extraction)
    assert (GazetteIssue.objects.count(), Document.objects.count(), Task.objects.count()) == (0, 0, 0)


def test_full_text_search_finds_chinese_words(city, extraction):
    ingest(city, extraction)
    assert [d.doc_no for d in search_documents("健康知识")] == ["驻政〔2020〕23号"]
    assert [d.kind for d in search_documents("整改到位")] == ["讲话"]
    assert list(search_documents("殡葬改革")) == []
    assert list(search_documents("   ")) == []


def test_confirming_a_task_with_an_unresolved_unit_is_refused(city, health_commission, education, extraction):
    ingest(city, extraction)
    task = Task.objects.get(ref="三.(一).1")
    with pytest.raises(ValidationError) as error:
        task_confirm(actor=None, task=task)
    assert "市委网信办" in str(error.value)
    task.refresh_from_db()
    assert task.status == Task.Status.DRAFT


def test_a_reviewer_corrects_then_confirms_a_task(city, health_commission, education, extraction):
    ingest(city, extraction)
    task = Task.objects.get(ref="三.(一).1")
    task_update(actor=None, task=task, title="实施健康知识普及行动", lead_units=[health_commission], units=[education])
    confirmed = task_confirm(actor=None, task=task)
    assert confirmed.status == Task.Status.CONFIRMED and confirmed.reviewed_at is not None
    assert AuditLog.objects.filter(action="task_confirm", object_id=str(task.pk)).get().before["status"] == "draft"
    with pytest.raises(ValidationError):
        task_confirm(actor=None, task=task)  # a double submit changes nothing


def test_rejecting_needs_a_reason(city, health_commission, education, extraction):
    ingest(city, extraction)
    task = Task.objects.get(ref="三.(一).2")
    with pytest.raises(ValidationError):
        task_reject(actor=None, task=task, reason="  ")
    rejected = task_reject(actor=None, task=task, reason="重复任务")
    assert rejected.status == Task.Status.REJECTED and rejected.review_note == "重复任务"


def test_a_unit_cannot_be_both_lead_and_responsible(city, health_commission, extraction):
    ingest(city, extraction)
    task = Task.objects.get(ref="三.(一).2")
    with pytest.raises(ValidationError):
        task_update(actor=None, task=task, title="x", lead_units=[health_commission], units=[health_commission])


NOTICE_WITHOUT_NUMBER = """江临县人民政府办公室关于印发江临县2024年河道整治工作方案的通知
各乡镇人民政府，县直各部门：
《江临县2024年河道整治工作方案》已经县政府同意，现印发给你们，请认真贯彻落实。
江临县人民政府办公室
2024年3月5日
江临县2024年河道整治工作方案
一、清理河道垃圾。6月底前完成主要河道垃圾清理。（责任单位：县水利局）
"""


def test_an_attachment_is_linked_to_its_notice_that_has_no_doc_no(city):
    from duban.intake.extract import extract_text

    extraction = extract_text(NOTICE_WITHOUT_NUMBER, directory=False)
    notice_title, plan_title = (document["title"] for document in extraction["documents"])
    assert extraction["documents"][1]["attachment_of_title"] == notice_title
    ingest(city, extraction, content=NOTICE_WITHOUT_NUMBER.encode())
    plan = Document.objects.get(title=plan_title)
    assert plan.attachment_of == Document.objects.get(title=notice_title)
