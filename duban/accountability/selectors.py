"""Reads for the accountability pages: which cases a user sees, a case's chain and history, the
accountable party's decisions with their appeal deadlines, referrals and rectification items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from duban import clock
from duban.accountability import access
from duban.accountability.models import (
    Appeal,
    Case,
    CaseOpinion,
    Decision,
    DecisionResponsible,
    Matter,
    RectificationItem,
    Referral,
)
from duban.accountability.procedure import (
    Step,
    case_chain,
    case_rulebook,
    chain_of,
    decision_rulebook,
    exemption_text,
    rulebook_version,
    situation_text,
)
from duban.accountability.rulebooks import rulebook_in_force, rulebook_in_force_or_none, rulebooks_for
from duban.accounts import roles
from duban.accounts.access import access_jurisdiction, access_office, in_role, person_of, signed_in
from duban.accounts.history import HistoryRow, audit_history
from duban.accounts.models import Jurisdiction, Person
from duban.rules import model as rules
from duban.rules.loader import Rulebook
from duban.rules.model import RECTIFICATION


def cases_visible(user) -> QuerySet[Case]:
    """The cases ``user`` may read (the same rule as access.access_case_read, as a query)."""
    cases = Case.objects.select_related("jurisdiction", "unit", "matter", "person", "decision")
    if not signed_in(user):
        return cases.none()
    if user.is_superuser:
        return cases
    person = person_of(user)
    if person is None:
        return cases.none()
    cases = cases.filter(jurisdiction=person.jurisdiction)
    if any(in_role(user, role) for role in access.JURISDICTION_READERS):
        return cases
    condition = Q(pk__in=[])
    if in_role(user, roles.LIAISON_SUPERVISOR):
        condition |= Q(unit__liaison_supervisor=person)
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR):
        condition |= Q(unit__first_level_supervisor=person)
    if in_role(user, roles.UNIT_LIAISON) and person.unit_id:
        condition |= Q(unit=person.unit, rulebook_id__in=_rulebooks_telling(person.jurisdiction, rules.AUDIENCE_UNIT))
    return cases.filter(condition)


def _rulebooks_telling(jurisdiction: Jurisdiction, audience: str) -> list[str]:
    """The rulebook versions of the jurisdiction's cases under which ``audience`` is told a case exists."""
    # order_by(): the model's ordering would take part in DISTINCT (one id per case, not per version)
    ids = Case.objects.filter(jurisdiction=jurisdiction).order_by().values_list("rulebook_id", flat=True).distinct()
    return [
        rulebook_id
        for rulebook_id in ids
        if audience in rulebook_version(jurisdiction, rulebook_id).data["procedure"]["visible_to"]["existence"]["value"]
    ]


def cases_awaiting(user) -> list[Case]:
    """Open cases whose current step is the user's to act on."""
    return list(cases_awaiting_query(user))


def cases_awaiting_query(user) -> QuerySet[Case]:
    """cases_awaiting as a query (access.access_case_act stated per rulebook version and step): the open
    visible cases at a step whose role the user holds in the case's jurisdiction, and for a step the
    unit's own supervisor takes, whose unit names the user for it."""
    visible = cases_visible(user).filter(state=Case.State.OPEN)
    person = person_of(user)
    condition = Q(pk__in=[])
    versions = visible.order_by().values_list("jurisdiction_id", "rulebook_id").distinct()
    jurisdictions = {j.pk: j for j in Jurisdiction.objects.filter(pk__in={j for j, _ in versions})}
    for jurisdiction_id, rulebook_id in versions:
        jurisdiction = jurisdictions[jurisdiction_id]
        if not access_jurisdiction(user, jurisdiction):
            continue
        for step in chain_of(rulebook_version(jurisdiction, rulebook_id)):
            if not in_role(user, step.role):
                continue
            at_step = Q(jurisdiction_id=jurisdiction_id, rulebook_id=rulebook_id, step=step.code)
            if step.unit_field:
                at_step &= Q(**{f"unit__{step.unit_field}": person})
            condition |= at_step
    return visible.filter(condition)


def case_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases matching every word of ``text`` in what the list shows every reader: the number, the unit
    (name or short name) and the 督查事项 (title or code). The confidential parts (the investigation, the
    persons) are not searched: the list's readers do not all read them."""
    for word in text.replace("\u3000", " ").split():
        cases = cases.filter(
            Q(number__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
            | Q(matter__title__icontains=word)
            | Q(matter__code__icontains=word)
        )
    return cases


@dataclass
class ChainRow:
    step: Step
    state: str  # "done", "current", "todo"
    actor_label: str
    opinions: list[CaseOpinion] = field(default_factory=list)


def case_chain_rows(case: Case) -> list[ChainRow]:
    """Each step of the case's chain with who acts there and the opinions given at it."""
    chain = case_chain(case)
    opinions = list(case.opinions.order_by("at", "id"))
    current_index = next((i for i, s in enumerate(chain) if s.code == case.step), len(chain))
    rows = []
    for index, step in enumerate(chain):
        if case.state == Case.State.DECIDED:
            state = "done"
        elif case.state == Case.State.WITHDRAWN:
            state = "done" if index < current_index else ("current" if index == current_index else "todo")
        else:
            state = "done" if index < current_index else ("current" if index == current_index else "todo")
        rows.append(ChainRow(step, state, step_actor_label(case, step), [o for o in opinions if o.step == step.code]))
    return rows


def step_actor_label(case: Case, step: Step) -> str:
    """Who acts at the step: for a unit's own supervisor, by name (or that the unit names none)."""
    if not step.unit_field:
        return step.actor
    person = getattr(case.unit, step.unit_field)
    if person is not None:
        return f"{step.actor} {person.name}"
    field = str(case.unit._meta.get_field(step.unit_field).verbose_name)
    return f"{step.actor}（该单位未指定{field}）"


def case_last_return(case: Case) -> CaseOpinion | None:
    """The latest return, if the case now waits at the step it was returned to."""
    last = max(case.opinions.all(), key=lambda o: (o.at, o.pk), default=None)  # prefetched on the list
    if last is not None and last.verdict == CaseOpinion.Verdict.RETURN and case.state == Case.State.OPEN:
        return last
    return None


def case_facts(case: Case) -> dict[str, Any]:
    rulebook = case_rulebook(case)
    return {
        "situation_text": situation_text(rulebook, case.situation_number),
        "exemption_text": exemption_text(rulebook, case.exemption_ground),
        "chain": case_chain_rows(case),
        "current_step": next((s for s in case_chain(case) if s.code == case.step), None),
        "responsibles": list(case.responsibles.select_related("person").order_by("role", "person__name")),
        "last_return": case_last_return(case),
    }


def case_history(case: Case) -> list[HistoryRow]:
    """操作记录 of the case and of what it produced (matter, decision, appeals, referrals, rectification)."""
    decision_ids = [pk for pk in (case.decision_id, case.exempted_decision_id) if pk]
    step_names = {step.code: step.name for step in case_chain(case)}
    return audit_history(
        [
            (Case, [case.pk]),
            (Matter, [case.matter_id]),
            (Decision, decision_ids),
            (Appeal, Appeal.objects.filter(decision_id__in=decision_ids).values_list("pk", flat=True)),
            (Referral, Referral.objects.filter(decision_id__in=decision_ids).values_list("pk", flat=True)),
            (
                RectificationItem,
                RectificationItem.objects.filter(decision_id__in=decision_ids).values_list("pk", flat=True),
            ),
        ],
        labels={"responsible": "责任人"},
        formatters={"step": lambda code: step_names.get(code, code)},
    )


def overdue_tasks_without_case(jurisdiction: Jurisdiction) -> list:
    """The ledger's overdue tasks with no open case yet: each can be opened in one click."""
    from duban.ledger.models import TaskUnit
    from duban.ledger.selectors import task_standing, tasks_overdue

    busy = set(
        Case.objects.filter(jurisdiction=jurisdiction, state=Case.State.OPEN, matter__task__isnull=False).values_list(
            "matter__task_id", flat=True
        )
    )
    rows = []
    for task in tasks_overdue(jurisdiction=jurisdiction):
        if task.pk in busy:
            continue
        units = [a for a in task.assignments.all() if a.unit_id]
        lead = next((a for a in units if a.role == TaskUnit.Role.LEAD), units[0] if units else None)
        task.lead_unit = lead.unit if lead else None
        task.deadline = task_standing(task).deadline
        rows.append(task)
    return sorted(rows, key=lambda t: (t.deadline, t.pk))


# --- the accountable party ------------------------------------------------------------------------


@dataclass
class PartyDecision:
    decision: Decision
    deadline: dt.date | None
    days_left: int | None
    can_appeal: bool
    appeal: Appeal | None
    case: Case | None


def decisions_of_party_query(user) -> QuerySet[Decision]:
    """The decisions ``user`` is accountable for (as subject, a responsible, or a unit's 联络员 for a unit
    decision), newest first."""
    person = person_of(user)
    if person is None:
        return Decision.objects.none()
    # Each of the three ways in by its own index (person, responsible's person, unit), the jurisdiction's
    # decisions only, then those few read and sorted: not a walk of every decision of the jurisdiction.
    of_jurisdiction = Decision.objects.filter(jurisdiction=person.jurisdiction).order_by()
    ways = [
        of_jurisdiction.filter(person=person).values("pk"),
        of_jurisdiction.filter(responsibles__person=person).values("pk"),
    ]
    if in_role(user, roles.UNIT_LIAISON) and person.unit_id:
        ways.append(of_jurisdiction.filter(subject=Decision.Subject.UNIT, unit=person.unit).values("pk"))
    return (
        Decision.objects.filter(pk__in=ways[0].union(*ways[1:]))
        .select_related("unit", "matter", "person", "jurisdiction")
        .order_by("-date", "-id")
    )


def party_rows(decisions: Iterable[Decision], today: dt.date | None = None) -> list[PartyDecision]:
    """A page of the party's decisions with the appeal deadline (第八条第（三）项), the latest appeal and
    the case that decided it."""
    today = today or clock.today()
    decisions = list(decisions)
    prefetch_related_objects(
        decisions,
        Prefetch("appeals", queryset=Appeal.objects.order_by("-filed_on", "-id")),
        Prefetch("cases", queryset=Case.objects.select_related("unit", "jurisdiction").order_by("-opened_on", "-id")),
    )
    rows = []
    for decision in decisions:
        deadline = appeal_deadline(decision)
        appeal = next(iter(decision.appeals.all()), None)
        open_window = deadline is not None and today <= deadline
        can_appeal = decision.status == Decision.Status.EFFECTIVE and appeal is None and open_window
        rows.append(
            PartyDecision(
                decision,
                deadline,
                (deadline - today).days if deadline else None,
                can_appeal,
                appeal,
                next(iter(decision.cases.all()), None),
            )
        )
    return rows


def decisions_of_party(user, today: dt.date | None = None) -> list[PartyDecision]:
    """The decisions ``user`` is accountable for, with the appeal deadline (第八条第（三）项)."""
    return party_rows(decisions_of_party_query(user), today)


def decisions_open_to_party(user, today: dt.date | None = None) -> list[PartyDecision]:
    """The party's decisions still open to them (the workbench's 我的问责决定): under appeal, or effective
    with no appeal filed and the appeal window open. Chosen in SQL to those whose letter was received within
    the longest window of the jurisdiction's rulebook versions (a bound that the data's size does not move),
    then each checked against the window of the version in force on its date (party_rows)."""
    today = today or clock.today()
    person = person_of(user)
    if person is None:
        return []
    try:
        versions = rulebooks_for(person.jurisdiction).versions
    except ValidationError:
        versions = ()
    longest = max((v.appeal_window_days for v in versions if v.has_appeal), default=None)
    open_now = Q(status=Decision.Status.UNDER_APPEAL)
    if longest is not None:
        open_now |= Q(
            status=Decision.Status.EFFECTIVE,
            opinion_letter_received__gte=today - dt.timedelta(days=longest),
        ) & ~Exists(Appeal.objects.filter(decision=OuterRef("pk")))
    rows = party_rows(decisions_of_party_query(user).filter(open_now), today)
    return [row for row in rows if row.can_appeal or row.decision.status == Decision.Status.UNDER_APPEAL]


@dataclass(frozen=True)
class Article:
    reference: str
    text: str


def consequence_articles(decision: Decision) -> list[Article]:
    """第九条 as it applies to the decision's methods and subject, in the article's words (the rulebook's
    consequences.rules[].text), for the 意见书 to quote."""
    rulebook = rulebook_in_force_or_none(decision.jurisdiction, decision.date)
    if rulebook is None:
        return []
    articles: list[Article] = []
    for rule in rulebook.rules:
        when = rule.get("when") or {}
        if not set(rule["methods"]) & set(decision.methods):
            continue
        if "subject" in when and when["subject"] != decision.subject:
            continue
        if when.get("sanctioned_after_referral") and not decision.sanctioned_after_referral:
            continue
        article = Article(str(rule["reference"]), str(rule.get("text", "")))
        if article.text and article not in articles:
            articles.append(article)
    return articles


def decision_situation_text(decision: Decision) -> str:
    rulebook = rulebook_in_force_or_none(decision.jurisdiction, decision.date)
    return situation_text(rulebook, decision.situation_number) if rulebook else ""


# --- appeals, referrals, rectification -------------------------------------------------------------


def appeal_deadline(decision: Decision) -> dt.date | None:
    """The last day to appeal: the window of the rulebook in force, counted from receipt (第八条第（三）项); None
    before receipt, or where the rulebook provides no appeal."""
    if decision.opinion_letter_received is None:
        return None
    window = decision_rulebook(decision).appeal_window_days
    return None if window is None else decision.opinion_letter_received + dt.timedelta(days=window)


def referral_routes(decision: Decision, person: Person | None = None) -> list[str]:
    """Where a decision goes (第八条第（二）项), as the rulebook in force on its date routes it: a
    vertically managed unit by letter to its superior; otherwise by the methods it applies
    (referral.routes), a 科级及以下 cadre to their county or department."""
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    if decision.unit.vertically_managed:
        return [str(rulebook.value("referral.vertically_managed"))]
    by_method = {m: route for route, entry in rulebook.referral_routes().items() for m in entry.get("methods", [])}
    named = list(dict.fromkeys(by_method[m] for m in decision.methods if m in by_method))
    if not named:
        return []
    if person is not None and person.cadre_level == Person.CadreLevel.SECTION_AND_BELOW:
        return [str(rulebook.value("referral.section_level_and_below"))]
    return named


def referral_body(decision: Decision, route: str) -> str:
    """The body a referral goes to: the rulebook's for a route by method (市委组织部, 区纪委监委 …); the
    unit's superior for a letter; the unit's own county or department for 科级及以下."""
    if route == Referral.Route.VERTICAL_LETTER:
        return f"{decision.unit.name}的上级主管部门"
    if route == Referral.Route.COUNTY_OR_DEPARTMENT:
        return decision.unit.name
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    return str(rulebook.referral_routes().get(route, {}).get("body", ""))


def referral_people(decision: Decision) -> list[Person]:
    """The decision's person and its responsibles (from referrals_awaiting_rows' prefetch on a list)."""
    people = [decision.person] if decision.person_id else []
    if "responsibles" in getattr(decision, "_prefetched_objects_cache", {}):
        responsibles = decision.responsibles.all()
    else:
        responsibles = decision.responsibles.select_related("person").order_by("role", "person__name")
    for row in responsibles:
        if row.person not in people:
            people.append(row.person)
    return people


# --- lists in SQL: what the rulebook in force says, stated per version as a condition on the rows ----


class JsonListHasAny(Func):
    """True when the JSON list in ``field`` holds any of ``values`` (strings): json_each on SQLite,
    ``?|`` on PostgreSQL's jsonb. Decisions keep their 第五条 methods as such a list."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, values: Iterable[str]) -> None:
        super().__init__(F(field))
        self.values = tuple(values)

    def as_sql(self, compiler, connection, **extra_context):  # SQLite
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.values:
            return "0 = 1", ()
        marks = ", ".join(["%s"] * len(self.values))
        return f"EXISTS (SELECT 1 FROM json_each({sql}) WHERE json_each.value IN ({marks}))", (*params, *self.values)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.values:
            return "0 = 1", ()
        return f"({sql} ?| %s::text[])", (*params, list(self.values))


def _methods_in_force(jurisdiction: Jurisdiction, methods_of: Callable[[Rulebook], Iterable[str]]) -> Q:
    """Decisions whose date falls in a version of the jurisdiction's rulebook and whose methods include
    one that version names through ``methods_of`` (the version in force on the decision's date, as
    rulebook_in_force reads it: versions do not overlap)."""
    condition = Q(pk__in=[])
    try:
        versions = rulebooks_for(jurisdiction).versions
    except ValidationError:
        return condition
    for version in versions:
        methods = sorted(set(methods_of(version)))
        if not methods:
            continue
        in_force = Q(date__gte=version.effective_from)
        if version.effective_until is not None:
            in_force &= Q(date__lte=version.effective_until)
        condition |= in_force & Q(JsonListHasAny("methods", methods))
    return condition


def decision_search(decisions: QuerySet[Decision], text: str, *, through: str = "") -> QuerySet[Decision]:
    """Rows matching every word of ``text`` in their decision's number (the 案件编号 that decided it),
    unit (name or short name) and 督查事项 (title or code). ``through`` is the path from the rows to
    their decision (``"decision__"`` for appeals, referrals, rectification items)."""
    for word in text.replace("\u3000", " ").split():
        decided_by = Case.objects.filter(decision=OuterRef(f"{through}pk" if through else "pk"), number__icontains=word)
        decisions = decisions.filter(
            Q(Exists(decided_by))
            | Q(**{f"{through}unit__name__icontains": word})
            | Q(**{f"{through}unit__short_name__icontains": word})
            | Q(**{f"{through}matter__title__icontains": word})
            | Q(**{f"{through}matter__code__icontains": word})
        )
    return decisions


def appeals_for(jurisdiction: Jurisdiction) -> tuple[QuerySet[Decision], QuerySet[Appeal]]:
    """Decisions now under appeal (oldest first), and decided appeals (newest first), as queries; a
    page's pending decisions get their pending appeal and deadline from appeals_pending_rows."""
    pending = (
        Decision.objects.filter(jurisdiction=jurisdiction, status=Decision.Status.UNDER_APPEAL)
        .select_related("unit", "matter", "person", "jurisdiction")
        .order_by("date", "id")
    )
    decided = (
        Appeal.objects.filter(decision__jurisdiction=jurisdiction)
        .exclude(outcome=Appeal.Outcome.PENDING)
        .select_related("decision__unit", "decision__matter")
        .order_by("-decided_on", "-id")
    )
    return pending, decided


def appeals_pending_rows(decisions: Iterable[Decision]) -> list[Decision]:
    """A page of pending decisions, each with ``pending_appeal`` (if filed here) and ``appeal_deadline``."""
    rows = list(decisions)
    prefetch_related_objects(rows, "appeals")
    for decision in rows:
        decision.pending_appeal = next((a for a in decision.appeals.all() if a.outcome == Appeal.Outcome.PENDING), None)
        decision.appeal_deadline = appeal_deadline(decision)
    return rows


@dataclass
class ReferralRow:
    referral: Referral
    overdue: bool
    days_left: int | None


def referrals_for(jurisdiction: Jurisdiction) -> QuerySet[Referral]:
    """The jurisdiction's referrals: those waiting for a result first (the nearest report-back deadline
    first, then those without one), then the answered ones; newest sent first within each."""
    return (
        Referral.objects.filter(decision__jurisdiction=jurisdiction)
        .select_related("decision__unit", "decision__matter", "decision__jurisdiction", "person")
        .order_by(F("result_on").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "-sent_on", "-id")
    )


def referral_rows(referrals: Iterable[Referral], today: dt.date | None = None) -> list[ReferralRow]:
    """A page of referrals with whether each is past its report-back deadline and the days left."""
    today = today or clock.today()
    rows = []
    for referral in referrals:
        waiting = referral.result_on is None and referral.due_on is not None
        rows.append(
            ReferralRow(
                referral, waiting and referral.due_on < today, (referral.due_on - today).days if waiting else None
            )
        )
    return rows


def referrals_awaiting_rows(decisions: Iterable[Decision]) -> list[Decision]:
    """A page of decisions awaiting referral with their responsibles (for referral_people) in one query."""
    rows = list(decisions)
    responsibles = DecisionResponsible.objects.select_related("person").order_by("role", "person__name")
    prefetch_related_objects(rows, Prefetch("responsibles", queryset=responsibles))
    return rows


def _referred_methods(rulebook: Rulebook) -> list[str]:
    return [m for entry in rulebook.referral_routes().values() for m in entry.get("methods", [])]


def decisions_awaiting_referral(jurisdiction: Jurisdiction) -> QuerySet[Decision]:
    """Decisions in force that must be handed on and are not yet: a vertically managed unit's (by letter),
    or one whose methods the rulebook in force on its date routes (建议组织部门处理 …) — referral_routes
    names a route for exactly these."""
    return (
        Decision.objects.filter(
            jurisdiction=jurisdiction, status__in=[Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL]
        )
        .filter(Q(unit__vertically_managed=True) | _methods_in_force(jurisdiction, _referred_methods))
        .exclude(Exists(Referral.objects.filter(decision=OuterRef("pk"))))
        .select_related("unit", "matter", "person", "jurisdiction")
        .order_by("-date", "-id")
    )


def rectification_methods(decision: Decision) -> tuple[str, ...]:
    """The methods that oblige the unit to rectify (第九条第（一）项: 问题通报), per the rulebook in force."""
    rulebook = rulebook_in_force_or_none(decision.jurisdiction, decision.date)
    return rulebook.methods_with_effect(RECTIFICATION) if rulebook is not None else ()


def decisions_needing_rectification(jurisdiction: Jurisdiction) -> QuerySet[Decision]:
    """Decisions in force whose methods oblige rectification (问题通报) without an item yet (e.g. recorded
    before cases existed)."""
    return (
        Decision.objects.filter(
            jurisdiction=jurisdiction, status__in=[Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL]
        )
        .filter(_methods_in_force(jurisdiction, lambda rulebook: rulebook.methods_with_effect(RECTIFICATION)))
        .exclude(Exists(RectificationItem.objects.filter(decision=OuterRef("pk"))))
        .select_related("unit", "matter", "jurisdiction")
        .order_by("-date", "-id")
    )


def rectifications_for(user, today: dt.date | None = None) -> QuerySet[RectificationItem]:
    """Office: every item of the jurisdiction; a 联络员: their unit's."""
    person = person_of(user)
    items = RectificationItem.objects.select_related("decision__matter", "unit", "decision__jurisdiction")
    if person is None:
        return items.none()
    # An item's unit is its decision's (services.rectification_create), of the decision's jurisdiction: found
    # through the jurisdiction's units, not by walking every decision of the jurisdiction.
    items = items.filter(unit__jurisdiction=person.jurisdiction)
    if access_office(user, person.jurisdiction):
        return items
    if in_role(user, roles.UNIT_LIAISON) and person.unit_id:
        return items.filter(unit=person.unit)
    return items.none()
