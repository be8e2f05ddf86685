"""The escalation ladder run daily (duban/ledger/ladder.py, the rungs of supervision-settings/zhumadian.yaml):
task A is due 2020-06-15, its 督办单 (issued 06-20 to 市卫健体委) is to be answered by 06-30."""

import datetime as dt

import pytest

from duban.accountability.models import Case
from duban.accounts.models import Person
from duban.ledger import daily, ladder
from duban.ledger.models import Reminder, SupervisionOrder, Task
from duban.ledger.services import task_mark_done

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def owned(lw):
    """Task A's 经办人 is the city office's 周静; no report is asked for (the ladder alone)."""
    Task.objects.filter(pk=lw.task_a.pk).update(owner=Person.objects.get(user=lw.users["office_city"]))
    Reminder.objects.all().delete()
    return lw


def _climb(lw, day):
    made = ladder.ladder_run(jurisdiction=lw.city, today=day)
    return made, {
        (r.kind, r.recipient.username, r.link)
        for r in Reminder.objects.filter(task=lw.task_a).select_related("recipient")
    }


def test_the_ladder_is_a_daily_job():
    assert daily.jobs()["ledger.ladder"] is ladder.ladder_run


def test_three_days_before_the_deadline_the_units_and_the_owner_are_reminded(owned):
    task = f"/ledger/tasks/{owned.task_a.pk}/"
    assert _climb(owned, D(2020, 6, 11)) == (0, set())
    made, seen = _climb(owned, D(2020, 6, 12))
    assert seen == {("deadline_near", "liaison_a", task), ("deadline_near", "office_city", task)} and made == 2
    assert _climb(owned, D(2020, 6, 13))[0] == 0  # once


def test_the_day_after_the_deadline_the_units_are_told_and_a_督办单_is_proposed(owned):
    _, seen = _climb(owned, D(2020, 6, 16))
    order_form = f"/ledger/tasks/{owned.task_a.pk}/order/"
    assert ("task_overdue", "liaison_a", f"/ledger/tasks/{owned.task_a.pk}/") in seen
    assert ("propose_order", "office_city", order_form) in seen
    assert not {kind for kind, *_ in seen} & {"deadline_near", "propose_case"}  # past its rung's time


def test_no_督办单_is_proposed_once_one_was_issued(owned):
    _, seen = _climb(owned, D(2020, 6, 21))  # the 督办单 went out on 06-20
    assert "propose_order" not in {kind for kind, *_ in seen}


def test_fifteen_days_late_the_office_is_offered_立案_and_no_case_is_opened(owned):
    _, seen = _climb(owned, D(2020, 6, 30))
    assert ("propose_case", "office_city", f"/cases/from-task/{owned.task_a.pk}/") in seen
    proposal = Reminder.objects.get(kind="propose_case")
    assert "由督查室决定" in proposal.text and "已逾期 15 天" in proposal.text
    assert Case.objects.count() == 0 and SupervisionOrder.objects.count() == 1  # proposals, never a sanction


def test_the_督办单_reply_is_reminded_the_day_before_and_its_lateness_after(owned):
    order = owned.order
    _, seen = _climb(owned, D(2020, 6, 29))
    assert ("order_reply_due", "liaison_a", f"/ledger/orders/{order.pk}/answer/") in seen
    _, seen = _climb(owned, D(2020, 7, 1))
    assert ("order_overdue", "office_city", f"/ledger/orders/{order.pk}/") in seen
    late = Reminder.objects.get(kind="order_overdue")
    assert late.text.startswith(f"{order.number}逾期 1 天未回复（市卫健体委）")


def test_an_answered_督办单_and_a_done_task_climb_no_further(owned):
    from duban.ledger.services import order_answer

    order_answer(actor=owned.users["liaison_a"], order=owned.order, answer="已整改", answered_on=D(2020, 6, 25))
    Reminder.objects.all().delete()
    _, seen = _climb(owned, D(2020, 7, 1))
    assert not {kind for kind, *_ in seen} & {"order_reply_due", "order_overdue"}
    task_mark_done(actor=None, task=owned.task_a, on=D(2020, 6, 26))
    Reminder.objects.all().delete()
    assert _climb(owned, D(2020, 7, 20)) == (0, set())


def test_a_moved_deadline_starts_the_ladder_again(owned):
    _climb(owned, D(2020, 6, 12))
    owned.task_a.deadlines.update(date=D(2020, 8, 31))
    _, seen = _climb(owned, D(2020, 8, 28))
    assert len([s for s in seen if s[0] == "deadline_near"]) == 2
    assert Reminder.objects.filter(kind="deadline_near").count() == 4  # the new date's, once more each
