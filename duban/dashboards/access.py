"""Who reads the charts, one condition per line, on the ledger's and the scores' own rules.

- 统计图表 (the jurisdiction's): its 督查室 and its leaders (副总督查, 总督查, the committee), who read the whole
  ledger (ledger.access.WHOLE_JURISDICTION_READERS), and the system administrator. The Excel of its
  figures is for the same readers: a download shows no more than its page.
- a unit's page: the people of the unit (its 联络员, its staff), the unit's own 二级督查 and 一级督查, and
  whoever reads the jurisdiction's charts.
"""

from __future__ import annotations

from duban.accounts import roles
from duban.accounts.access import (
    access_by_id,
    access_office_or_administrator,
    access_role_in,
    access_unit_member,
    in_role,
    person_of,
)
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger.access import UNIT_ROLES, WHOLE_JURISDICTION_READERS

DASHBOARD_READERS = (roles.OFFICE, *WHOLE_JURISDICTION_READERS)
UNIT_DASHBOARD_ROLES = UNIT_ROLES


def access_dashboard(user, jurisdiction: Jurisdiction) -> bool:
    """统计图表 of ``jurisdiction`` and its Excel."""
    if access_office_or_administrator(user, jurisdiction):
        return True
    return any(access_role_in(user, role, jurisdiction) for role in WHOLE_JURISDICTION_READERS)


def _supervises_unit(user, unit: Unit) -> bool:
    person = person_of(user)
    if person is None:
        return False
    if in_role(user, roles.LIAISON_SUPERVISOR) and unit.liaison_supervisor_id == person.pk:
        return True
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR) and unit.first_level_supervisor_id == person.pk:
        return True
    return False


def access_unit_dashboard(user, unit: Unit) -> bool:
    """A unit's page: its tasks, lights, reports due and rank over months."""
    if access_dashboard(user, unit.jurisdiction):
        return True
    if any(in_role(user, role) for role in UNIT_ROLES) and access_unit_member(user, unit):
        return True
    if _supervises_unit(user, unit):
        return True
    return False


def access_unit_dashboard_by_id(user, unit_id: int) -> Unit:
    return access_by_id(Unit.objects.select_related("jurisdiction"), unit_id, lambda u: access_unit_dashboard(user, u))


def own_unit(user) -> Unit | None:
    """The unit a 联络员 or a unit's staff works in (their page in the header)."""
    person = person_of(user)
    if person is None or person.unit_id is None:
        return None
    if not any(in_role(user, role) for role in UNIT_ROLES):
        return None
    return person.unit


def access_unit_report(user, unit: Unit) -> bool:
    """The unit page's 报送 links: the unit's own 联络员 (ledger.access.access_task_report decides each task)."""
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    return access_unit_member(user, unit)
