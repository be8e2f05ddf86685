"""Who may see and do what in accountability: one helper per permission, one condition per line.

第八条 fixes the actors: the 督查室 investigates; the unit's own 二级督查 and 一级督查, then the 副总督查,
give opinions; the 总督查 reviews; the 督查落实委员会 approves and decides appeals. Each acts only at
their own step of the rulebook's chain, and only in their own jurisdiction (city staff in the city,
a county's staff in their county). The accountable party sees their own decisions; a unit's
联络员 reads the unit's cases and reports its rectification. A decided case is read-only for
everybody, and so is the score ledger (no helper here grants a change to either).
"""

from __future__ import annotations

from collections.abc import Callable

from duban.accountability.models import Case, Decision, RectificationItem, Referral
from duban.accountability.procedure import Step, case_chain, case_rulebook, decision_rulebook
from duban.accounts import roles
from duban.accounts.access import (
    access_by_id,
    access_jurisdiction,
    access_office,
    access_role_in,
    access_unit_member,
    in_role,
    person_of,
    signed_in,
)
from duban.accounts.models import Jurisdiction
from duban.rules import model as rules

# Who reads every case of their jurisdiction (the others read their units' cases only).
JURISDICTION_READERS = (roles.OFFICE, roles.DEPUTY_CHIEF_SUPERVISOR, roles.CHIEF_SUPERVISOR, roles.COMMITTEE)


def access_cases_page(user) -> bool:
    """The case list: anyone signed in who acts for a person, and the administrator (reading)."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return person_of(user) is not None


def access_cases_reader(user) -> bool:
    """Whether the user's roles read any case at all (a unit's other staff read none)."""
    if user.is_superuser:
        return True
    readers = (*JURISDICTION_READERS, roles.LIAISON_SUPERVISOR, roles.FIRST_LEVEL_SUPERVISOR, roles.UNIT_LIAISON)
    return any(in_role(user, role) for role in readers)


def case_audiences(user, case: Case) -> frozenset[str]:
    """Who the user is to this case, in the rulebook's words (procedure.visible_to's audiences)."""
    if not signed_in(user) or not access_jurisdiction(user, case.jurisdiction):
        return frozenset()
    person = person_of(user)
    found = set()
    if in_role(user, roles.OFFICE):
        found.add(rules.AUDIENCE_OFFICE)
    if any(in_role(user, role) for role in JURISDICTION_READERS):
        found.add(rules.AUDIENCE_SUPERVISORS)
    if in_role(user, roles.LIAISON_SUPERVISOR) and case.unit.liaison_supervisor_id == person.pk:
        found.add(rules.AUDIENCE_SUPERVISORS)
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR) and case.unit.first_level_supervisor_id == person.pk:
        found.add(rules.AUDIENCE_SUPERVISORS)
    if in_role(user, roles.UNIT_LIAISON) and access_unit_member(user, case.unit):
        found.add(rules.AUDIENCE_UNIT)
    if case.decision_id is not None and access_decision_party(user, case.decision):
        found.add(rules.AUDIENCE_PARTIES)
    return frozenset(found)


def case_parts_visible(user, case: Case) -> frozenset[str]:
    """The parts of the case the user reads: the rulebook's procedure.visible_to for the user's audiences
    (the system administrator reads every part). The decision part exists once the case is decided."""
    if signed_in(user) and user.is_superuser:
        parts = set(rules.CASE_PARTS)
    else:
        audiences = case_audiences(user, case)
        visible_to = case_rulebook(case).data["procedure"]["visible_to"]
        parts = {part for part in rules.CASE_PARTS if audiences & set(visible_to[part]["value"])}
    if case.state != Case.State.DECIDED:
        parts.discard("decision")
    return frozenset(parts)


def access_case_read(user, case: Case) -> bool:
    """The case page: whoever is told the case exists (procedure.visible_to.existence)."""
    return "existence" in case_parts_visible(user, case)


def access_case_part(user, case: Case, part: str) -> bool:
    return part in case_parts_visible(user, case)


def access_case_open(user, jurisdiction: Jurisdiction) -> bool:
    return access_office(user, jurisdiction)


def access_decision_import(user, jurisdiction: Jurisdiction) -> bool:
    """历史导入: the 督查室 of the jurisdiction, holding the permission for it (a decision made before duban,
    with its source document; every other decision is made through the 第八条 chain)."""
    if not access_office(user, jurisdiction):
        return False
    return user.has_perm("accountability.import_historical_decision")


def access_step_actor(user, case: Case, step: Step) -> bool:
    """Whether ``user`` is the actor of ``step`` for this case (第八条): the role the rulebook names,
    and, for a step the unit's own supervisor takes, the person the unit names for it."""
    if not signed_in(user):
        return False
    if not access_jurisdiction(user, case.jurisdiction):
        return False
    if not in_role(user, step.role):
        return False
    if step.unit_field:
        return getattr(case.unit, f"{step.unit_field}_id") == person_of(user).pk
    return True


def access_case_act(user, case: Case) -> bool:
    """Agree or return at the case's current step: only its actor, only while the case is open."""
    if case.state != Case.State.OPEN:
        return False
    step = next((s for s in case_chain(case) if s.code == case.step), None)
    if step is None:
        return False
    return access_step_actor(user, case, step)


def access_case_edit(user, case: Case) -> bool:
    """Record the investigation (and withdraw): the office, while the case is at the first step."""
    if case.state != Case.State.OPEN:
        return False
    if case.step != case_chain(case)[0].code:
        return False
    return access_office(user, case.jurisdiction)


def access_letter_manage(user, case: Case) -> bool:
    """Record the 意见书's issue and receipt: the office, once the case is decided."""
    if case.state != Case.State.DECIDED or case.kind != Case.Kind.ACCOUNTABILITY:
        return False
    return access_office(user, case.jurisdiction)


def access_decision_party(user, decision: Decision) -> bool:
    """The accountable party: the subject person, a responsible person, or for a unit the unit's 联络员."""
    person = person_of(user)
    if person is None or not signed_in(user):
        return False
    if person.jurisdiction_id != decision.jurisdiction_id:
        return False
    if decision.person_id == person.pk:
        return True
    # Through .all(): a page listing many decisions prefetches their responsibles (no query per row).
    if any(responsible.person_id == person.pk for responsible in decision.responsibles.all()):
        return True
    if (
        decision.subject == Decision.Subject.UNIT
        and in_role(user, roles.UNIT_LIAISON)
        and person.unit_id == decision.unit_id
    ):
        return True
    return False


def access_letter_read(user, decision: Decision) -> bool:
    if access_decision_party(user, decision):
        return True
    if user.is_authenticated and user.is_superuser:
        return True
    case = decision.cases.first()
    if case is not None:
        return access_case_part(user, case, "decision")
    return access_office(user, decision.jurisdiction) or access_role_in(user, roles.COMMITTEE, decision.jurisdiction)


def access_appeal_file(user, decision: Decision) -> bool:
    if not decision_rulebook(decision).has_appeal:  # the regulation provides no 申诉复核 (appeal: none)
        return False
    return access_decision_party(user, decision)


def access_appeals_page(user, jurisdiction: Jurisdiction) -> bool:
    if access_office(user, jurisdiction):
        return True
    return access_role_in(user, roles.COMMITTEE, jurisdiction)


def access_appeal_decide(user, decision: Decision) -> bool:
    """申诉复核 is the 督查落实委员会's (第八条第（三）项)."""
    return access_role_in(user, roles.COMMITTEE, decision.jurisdiction)


def access_appeals_to_decide(user, jurisdiction: Jurisdiction) -> bool:
    """The appeals waiting for 复核 on the workbench: the 督查落实委员会 of the jurisdiction, who decides them."""
    return access_role_in(user, roles.COMMITTEE, jurisdiction)


def access_referrals_page(user, jurisdiction: Jurisdiction) -> bool:
    if access_office(user, jurisdiction):
        return True
    if access_role_in(user, roles.COMMITTEE, jurisdiction):
        return True
    return access_role_in(user, roles.CHIEF_SUPERVISOR, jurisdiction)


def access_referral_manage(user, jurisdiction: Jurisdiction) -> bool:
    return access_office(user, jurisdiction)


def access_rectifications_page(user) -> bool:
    """The rectification list: the office (all of its jurisdiction), a 联络员 (their unit's)."""
    person = person_of(user)
    if person is None or not signed_in(user):
        return False
    if access_office(user, person.jurisdiction):
        return True
    return in_role(user, roles.UNIT_LIAISON) and person.unit_id is not None


def access_rectification_read(user, item: RectificationItem) -> bool:
    if access_office(user, item.decision.jurisdiction):
        return True
    return in_role(user, roles.UNIT_LIAISON) and access_unit_member(user, item.unit)


def access_rectification_report(user, item: RectificationItem) -> bool:
    """The unit's 联络员 reports the result (第九条第（一）项: 上报整改结果)."""
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    if not access_jurisdiction(user, item.decision.jurisdiction):
        return False
    return access_unit_member(user, item.unit)


def access_rectification_create(user, decision: Decision) -> bool:
    """Open a rectification item for a 问题通报 decision that has none: the office."""
    return access_office(user, decision.jurisdiction)


def access_rectification_review(user, item: RectificationItem) -> bool:
    return access_office(user, item.decision.jurisdiction)


def access_referral_result(user, referral: Referral) -> bool:
    """Record what the receiving body decided: the office."""
    return access_referral_manage(user, referral.decision.jurisdiction)


# --- fetch and check ----------------------------------------------------------------------------------

CASES = Case.objects.select_related("jurisdiction", "unit", "matter", "person", "decision")
DECISIONS = Decision.objects.select_related("jurisdiction", "unit", "matter", "person")
REFERRALS = Referral.objects.select_related("decision__jurisdiction", "decision__unit")
RECTIFICATION_ITEMS = RectificationItem.objects.select_related("decision__jurisdiction", "unit")


def access_case_by_id(user, case_id: int, *, allowed: Callable[..., bool] = access_case_read) -> Case:
    """The case, if it exists (else 404), the user reads it and ``allowed(user, case)`` (else 403)."""
    return access_by_id(CASES, case_id, lambda case: access_case_read(user, case) and allowed(user, case))


def access_decision_by_id(user, decision_id: int, *, allowed: Callable[..., bool]) -> Decision:
    return access_by_id(DECISIONS, decision_id, lambda decision: allowed(user, decision))


def access_referral_by_id(user, referral_id: int, *, allowed: Callable[..., bool]) -> Referral:
    return access_by_id(REFERRALS, referral_id, lambda referral: allowed(user, referral))


def access_rectification_by_id(user, item_id: int, *, allowed: Callable[..., bool]) -> RectificationItem:
    return access_by_id(RECTIFICATION_ITEMS, item_id, lambda item: allowed(user, item))
