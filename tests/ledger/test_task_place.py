"""台账顺序 (Task.ledger_place) follows a task's document and place through every door: an ingest, 立项, a save,
a queryset update that calls no save, a save of the document; and the 台账 lists in the order it always did
(gazette issue, the document's place in it, the task's place in the document; tasks without a document last)."""

import pytest
from django.db.models import F

from duban.ledger.models import NO_DOCUMENT_PLACE, PLACE_LIMIT, Document, Task, ledger_place_of
from duban.ledger.selectors import ledger_query
from duban.ledger.sources import INSTRUCTION

pytestmark = pytest.mark.django_db


def worked_out(task: Task) -> int:
    document = task.document
    return ledger_place_of(
        issue_id=document.issue_id if document else None,
        document_position=document.position if document else None,
        position=task.position,
    )


def assert_every_place_is_worked_out() -> None:
    tasks = list(Task.objects.select_related("document"))
    assert tasks
    assert {task.pk: task.ledger_place for task in tasks} == {task.pk: worked_out(task) for task in tasks}


def test_an_ingested_document_places_its_tasks(lw):
    assert_every_place_is_worked_out()


def test_the_ledger_reads_in_the_documents_order_as_it_did_by_joining_them(lw):
    tasks = Task.objects.filter(jurisdiction=lw.city)
    joined = tasks.filter(status=Task.Status.CONFIRMED).order_by(
        F("document__issue").asc(nulls_last=True), F("document__position").asc(nulls_last=True), "position", "pk"
    )
    assert list(ledger_query(tasks).values_list("pk", flat=True)) == list(joined.values_list("pk", flat=True))


def test_a_task_opened_by_hand_comes_after_every_document(lw):
    task = Task.objects.filter(document__isnull=False).first()
    opened = Task.objects.create(
        jurisdiction=task.jurisdiction, source_kind=INSTRUCTION, ref="立1", title="领导批示事项", position=3
    )
    assert opened.ledger_place == NO_DOCUMENT_PLACE + 3 > task.ledger_place


def test_a_save_of_a_new_place_moves_the_task(lw):
    lw.task_b.position = 7
    lw.task_b.save(update_fields=["position"])
    lw.task_b.refresh_from_db()
    assert lw.task_b.ledger_place == worked_out(lw.task_b)


def test_a_queryset_update_of_the_place_or_the_document_moves_the_task(lw):
    Task.objects.filter(pk=lw.task_a.pk).update(position=9)
    other = Document.objects.exclude(pk=lw.task_a.document_id).first()
    Task.objects.filter(pk=lw.task_b.pk).update(document=other)
    assert_every_place_is_worked_out()


def test_a_document_moved_within_its_issue_moves_its_tasks(lw):
    document = lw.task_a.document
    document.position = 5
    document.save()
    assert_every_place_is_worked_out()


def test_an_update_of_other_fields_leaves_the_place_alone(lw):
    before = Task.objects.get(pk=lw.task_a.pk).ledger_place
    Task.objects.filter(pk=lw.task_a.pk).update(title="改了标题")
    assert Task.objects.get(pk=lw.task_a.pk).ledger_place == before


def test_a_place_beyond_the_limit_sorts_at_the_limit():
    assert ledger_place_of(issue_id=1, document_position=0, position=PLACE_LIMIT + 5) == ledger_place_of(
        issue_id=1, document_position=0, position=PLACE_LIMIT
    )
    assert ledger_place_of(issue_id=1, document_position=PLACE_LIMIT, position=PLACE_LIMIT) < ledger_place_of(
        issue_id=2, document_position=0, position=0
    )
