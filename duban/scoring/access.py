"""Who may read the scores. The unit ranking is public; the annual assessment is the supervisors';
each person's consequences (平时考核奖, 优秀等次) are personnel matters for the office and the chain's top."""

from __future__ import annotations

from duban.accounts import roles
from duban.accounts.access import access_jurisdiction, in_role
from duban.accounts.models import Jurisdiction

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
