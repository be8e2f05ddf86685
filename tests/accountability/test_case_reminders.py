"""Accountability's reminders reach each actor: the next step's actor as the case reaches them (and the
reminder of the step it leaves is settled), the 督查室 for the 意见书 once decided, the party when the
意见书 is served and when its receipt fixes the appeal deadline, the committee when an appeal is filed,
the party when it is decided, and the 督查室 when a rectification is due (the daily job). None of them
is posted to a group robot: a case is confidential until decided."""

from __future__ import annotations

import datetime as dt

from accountability_cast import STEP_USERS, open_ready_case, run_chain

from duban.accountability import services
from duban.accountability.models import RectificationItem
from duban.accountability.procedure import case_chain
from duban.ledger.channels import channel_create
from duban.ledger.models import Delivery, Reminder

D = dt.date


def unread(user, kind: str | None = None) -> list[Reminder]:
    rows = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    return list(rows.filter(kind=kind) if kind else rows)


def test_each_step_reminds_its_actor_only_and_settles_the_step_it_leaves(cast):
    case = open_ready_case(cast)
    chain = case_chain(case)
    assert unread(cast.users["office"]) == []  # the office opened it: its own step, no reminder to itself
    for index, step in enumerate(chain):
        actor = cast.users[STEP_USERS[index]]
        if index:
            mine = unread(actor, "case_step")
            assert len(mine) == 1 and step.name in mine[0].text and mine[0].link == f"/cases/{case.pk}/"
        case = services.case_agree(actor=actor, case=case, step=step.code, decided_on=D(2020, 6, 20))
        assert unread(actor, "case_step") == []  # agreeing settles it
    for name in ("erji_other", "liaison_unit", "party", "county_office"):
        assert unread(cast.users[name], "case_step") == [], name  # never the actor of a step of this case
    assert case.state == "decided"
    letter_due = unread(cast.users["office"], "case_letter_due")
    assert len(letter_due) == 1 and "意见书" in letter_due[0].text


def test_a_returned_case_reminds_the_step_it_returns_to_again(cast):
    case = run_chain(cast, open_ready_case(cast), until=3)  # at 副总督查 (index 3)
    erji = cast.users["erji_unit"]
    assert unread(erji, "case_step") == []
    chain = case_chain(case)
    case = services.case_return(actor=cast.users["fuzong"], case=case, step=chain[3].code, reason="证据不足")
    assert unread(cast.users["fuzong"], "case_step") == []
    back = unread(cast.users["yiji"], "case_step")  # the city's rulebook returns one step
    assert len(back) == 1 and chain[2].name in back[0].text
    assert Reminder.objects.filter(recipient=cast.users["yiji"], kind="case_step").count() == 2


def decided(cast, **extra):
    return run_chain(cast, open_ready_case(cast, **extra), decided_on=D(2020, 6, 20))


def test_the_party_is_told_when_the_letter_is_served_and_the_deadline_once_received(cast):
    case = decided(cast)
    services.case_letter_issue(
        actor=cast.users["office"], case=case, letter_number="驻督问〔2020〕9号", issued_on=D(2020, 6, 22)
    )
    party, liaison = cast.users["party"], cast.users["liaison_unit"]  # a responsible person, the unit's 联络员
    for user in (party, liaison):
        served = unread(user, "letter_served")
        assert len(served) == 1 and "驻督问〔2020〕9号" in served[0].text and "15日内申诉" in served[0].text
    assert unread(cast.users["other_staff"]) == [] and unread(cast.users["liaison_other"]) == []
    assert unread(cast.users["office"], "case_letter_due") == []  # served: the office's reminder is settled
    services.decision_letter_received(actor=cast.users["office"], decision=case.decision, received_on=D(2020, 6, 23))
    for user in (party, liaison):
        assert unread(user, "letter_served") == []
        (deadline,) = unread(user, "appeal_deadline")
        assert deadline.due == D(2020, 7, 8) and "2020年07月08日前申诉" in deadline.text


def test_an_appeal_reminds_the_committee_and_its_outcome_the_party(cast):
    case = decided(cast)
    services.case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕9号", issued_on=D(2020, 6, 22))
    services.decision_letter_received(actor=None, decision=case.decision, received_on=D(2020, 6, 23))
    party = cast.users["party"]
    services.appeal_file(actor=party, decision=case.decision, reason="资金未到位", filed_on=D(2020, 6, 30))
    assert unread(party, "appeal_deadline") == []  # appealed: the window's reminder is settled
    (filed,) = unread(cast.users["committee"], "appeal_filed")
    assert filed.link == "/cases/appeals/"
    assert unread(cast.users["zongducha"], "appeal_filed") == []
    services.appeal_decide(
        actor=cast.users["committee"],
        decision=case.decision,
        outcome="upheld",
        reason="理由不成立",
        decided_on=D(2020, 7, 5),
    )
    assert unread(cast.users["committee"], "appeal_filed") == []
    (outcome,) = unread(party, "appeal_decided")
    assert "维持" in outcome.text and "理由不成立" in outcome.text
    assert len(unread(cast.users["liaison_unit"], "appeal_decided")) == 1


def test_the_office_is_reminded_of_a_rectification_due_and_overdue_once_each(cast):
    case = decided(cast, methods=["问题通报"], rectification_due=D(2020, 7, 31))
    item = RectificationItem.objects.get(decision=case.decision)
    jurisdiction = cast.world.city
    assert services.rectification_reminders(jurisdiction=jurisdiction, today=D(2020, 7, 27)) == 0  # 4 days ahead
    soon = services.rectification_reminders(jurisdiction=jurisdiction, today=D(2020, 7, 28))  # warning_days: 3
    assert soon >= 1 and services.rectification_reminders(jurisdiction=jurisdiction, today=D(2020, 7, 29)) == 0
    (due,) = unread(cast.users["office"], "rectification_due")
    assert "即将到期" in due.text and due.due == D(2020, 7, 31)
    assert services.rectification_reminders(jurisdiction=jurisdiction, today=D(2020, 8, 1)) == soon
    assert any("逾期" in r.text for r in unread(cast.users["office"], "rectification_due"))
    services.rectification_report(
        actor=cast.users["liaison_unit"], item=item, report="已整改", reported_on=D(2020, 8, 2)
    )
    assert unread(cast.users["office"], "rectification_due") == []
    assert services.rectification_reminders(jurisdiction=jurisdiction, today=D(2020, 8, 3)) == 0


def test_case_reminders_are_never_posted_to_a_group_robot(cast):
    channel_create(
        actor=None,
        jurisdiction=cast.world.city,
        kind="wecom",
        name="督查室群",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=office",
    )
    decided(cast, methods=["问题通报"], rectification_due=D(2020, 7, 31))
    assert Reminder.objects.filter(kind="case_step").exists()
    assert not Delivery.objects.filter(channel__isnull=False).exists()
    services.rectification_reminders(jurisdiction=cast.world.city, today=D(2020, 8, 1))
    posted = Delivery.objects.filter(channel__isnull=False)  # the office's own work item goes to its group
    assert posted.count() == 1 and posted.get().reminder.kind == "rectification_due"


def appealed(cast):
    case = decided(cast)
    services.case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕9号", issued_on=D(2020, 6, 22))
    services.decision_letter_received(actor=None, decision=case.decision, received_on=D(2020, 6, 23))
    services.appeal_file(
        actor=cast.users["party"], decision=case.decision, reason="资金未到位", filed_on=D(2020, 6, 30)
    )
    return case


def test_every_reminder_opens_a_page_its_recipient_may_read(client, cast):
    case = appealed(cast)
    services.appeal_decide(
        actor=None, decision=case.decision, outcome="upheld", reason="维持", decided_on=D(2020, 7, 5)
    )
    kinds = set()
    for reminder in Reminder.objects.select_related("recipient"):
        client.force_login(reminder.recipient)
        assert client.get(reminder.link).status_code == 200, (reminder.kind, reminder.link, reminder.recipient)
        kinds.add(reminder.kind)
    assert {
        "case_step",
        "case_letter_due",
        "letter_served",
        "appeal_deadline",
        "appeal_filed",
        "appeal_decided",
    } <= kinds


def test_the_committees_workbench_lists_the_pending_appeals(client, cast):
    case = appealed(cast)
    client.force_login(cast.users["committee"])
    page = client.get("/workbench/").content.decode()
    assert "待复核的申诉（1）" in page and cast.party.name in page and case.matter.title in page
    for other in ("zongducha", "party", "county_office"):
        client.force_login(cast.users[other])
        assert "待复核的申诉" not in client.get("/workbench/").content.decode(), other
    services.appeal_decide(
        actor=None, decision=case.decision, outcome="upheld", reason="维持", decided_on=D(2020, 7, 5)
    )
    client.force_login(cast.users["committee"])
    assert "待复核的申诉" not in client.get("/workbench/").content.decode()


def test_the_daily_run_reminds_of_a_rectification_due(cast):
    """The job is registered with the daily run (duban.ledger.daily), as the worker's scheduler calls it."""
    from duban.ledger.daily import jobs, run_daily

    assert jobs()["accountability.rectification_due"] is services.rectification_reminders
    decided(cast, methods=["问题通报"], rectification_due=D(2020, 7, 31))
    runs = run_daily(today=D(2020, 8, 1))
    (city,) = [r for r in runs if r.name == "accountability.rectification_due" and r.jurisdiction == cast.world.city]
    assert city.made >= 1 and not city.error
    assert len(unread(cast.users["office"], "rectification_due")) == 1
