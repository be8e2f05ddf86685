"""Who may read the scores. The unit ranking is public; the annual assessment is the supervisors';
each person's consequences (平时考核奖, 优秀等次) are personnel matters for the office and the chain's top.
A unit's own score page (why it has its points: every deduction with its decision and article) is the
unit's 联络员 and leaders', its own supervisors' (二级督查, 一级督查), the chain's top and the office's;
a person reads their own consequences."""

from __future__ import annotations

from duban.accountability.access import access_case_part, access_letter_read
from duban.accounts import roles
from duban.accounts.access import (
    access_by_id,
    access_jurisdiction,
    access_unit_member,
    in_role,
    is_administrator,
    person_of,
    signed_in,
)
from duban.accounts.models import Jurisdiction, Person, Unit

ASSESSMENT_READERS = (
    roles.OFFICE,
    roles.LIAISON_SUPERVISOR,
    roles.FIRST_LEVEL_SUPERVISOR,
    roles.DEPUTY_CHIEF_SUPERVISOR,
    roles.CHIEF_SUPERVISOR,
    roles.COMMITTEE,
)
PERSONNEL_READERS = (roles.OFFICE, roles.CHIEF_SUPERVISOR, roles.COMMITTEE)


def access_assessment(user, jurisdiction: Jurisdiction) -> bool:
    if user.is_superuser:
        return True
    if not access_jurisdiction(user, jurisdiction):
        return False
    return any(in_role(user, role) for role in ASSESSMENT_READERS)


def access_personnel_consequences(user, jurisdiction: Jurisdiction) -> bool:
    if user.is_superuser:
        return True
    if not access_jurisdiction(user, jurisdiction):
        return False
    return any(in_role(user, role) for role in PERSONNEL_READERS)


# Who reads every unit's score page of their jurisdiction (the supervisors of one unit read that unit's).
UNIT_SCORE_JURISDICTION_READERS = (
    roles.OFFICE,
    roles.DEPUTY_CHIEF_SUPERVISOR,
    roles.CHIEF_SUPERVISOR,
    roles.COMMITTEE,
)
# A unit's leaders (第三条): they read their unit's score with its 联络员.
UNIT_LEADER_ROLES = (Person.Role.LEADER_IN_CHARGE, Person.Role.PRINCIPAL)


def access_unit_scores(user, unit: Unit) -> bool:
    """A unit's score page (月排名积分 and 年度考核, every deduction behind them)."""
    if is_administrator(user):
        return True
    if not access_jurisdiction(user, unit.jurisdiction):
        return False
    if any(in_role(user, role) for role in UNIT_SCORE_JURISDICTION_READERS):
        return True
    person = person_of(user)
    if in_role(user, roles.LIAISON_SUPERVISOR) and unit.liaison_supervisor_id == person.pk:
        return True
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR) and unit.first_level_supervisor_id == person.pk:
        return True
    if in_role(user, roles.UNIT_LIAISON) and access_unit_member(user, unit):
        return True
    return access_unit_member(user, unit) and person.role in UNIT_LEADER_ROLES


def access_all_unit_scores(user, jurisdiction: Jurisdiction) -> bool:
    """Every unit's deductions at once (the ranking's and the assessment's 扣分明细): the office and the
    chain's top, who read each unit's score page."""
    if is_administrator(user):
        return True
    if not access_jurisdiction(user, jurisdiction):
        return False
    return any(in_role(user, role) for role in UNIT_SCORE_JURISDICTION_READERS)


def access_own_consequences(user) -> bool:
    """我的问责结果: anyone signed in who acts for a person reads their own."""
    if not signed_in(user):
        return False
    return person_of(user) is not None


def access_unit_scores_by_id(user, unit_id: int) -> Unit:
    """The unit whose score page is asked for: 404 when there is none, 403 when the user may not read it."""
    units = Unit.objects.select_related("jurisdiction")
    return access_by_id(units, unit_id, lambda unit: access_unit_scores(user, unit))


def decision_page_for(user, decision) -> tuple[str, int] | None:
    """Where a reader of a score may follow a deduction to its decision: the case page when the rulebook
    lets them read the case's decision, else the 意见书 when they may read it, else nowhere. Reads the
    decision's prefetched cases and responsibles (duban.scoring.selectors.consequence_lines)."""
    case = next(iter(decision.cases.all()), None)
    if case is not None and access_case_part(user, case, "decision"):
        return ("case", case.pk)
    if access_letter_read(user, decision):
        return ("letter", decision.pk)
    return None


def units_scores_readable(user, jurisdiction: Jurisdiction, units) -> set[int]:
    """Which of ``units`` (of ``jurisdiction``: a ranking's rows) the user may follow to their score page,
    without a query per unit."""
    readable = set()
    for unit in units:
        if unit.jurisdiction_id == jurisdiction.pk:
            unit.jurisdiction = jurisdiction  # the ranking's units are the jurisdiction's: no fetch per unit
        if access_unit_scores(user, unit):
            readable.add(unit.pk)
    return readable
