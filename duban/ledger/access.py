"""Who may see and do what in the ledger, one condition per line.

- 督查室 (office) staff: every task of their own jurisdiction; they review, assign, set deadlines,
  close tasks and issue 督办单. A county's office sees its county only.
- 联络员 (unit liaison): the tasks their unit is named on; they report progress and answer their
  unit's 督办单. 单位工作人员 (unit staff): the same tasks, read only.
- 二级督查 / 一级督查: the tasks of the units they supervise (Unit.liaison_supervisor /
  first_level_supervisor), read only. 副总督查, 总督查 and the 督查落实委员会: their whole
  jurisdiction, read only.
- A superuser (系统管理员) may see and do what the office does, everywhere.

Pages answer 403 when a helper says no (404 only for objects that do not exist).
``tasks_visible`` is the same rule as ``access_task_view`` written as a query, for lists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from duban.accounts import roles
from duban.accounts.access import access_role_in, access_unit_member, in_role, person_of
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger.models import Reminder, SupervisionOrder, Task

SUPERVISORS_OF_UNITS = (roles.LIAISON_SUPERVISOR, roles.FIRST_LEVEL_SUPERVISOR)
WHOLE_JURISDICTION_READERS = (roles.DEPUTY_CHIEF_SUPERVISOR, roles.CHIEF_SUPERVISOR, roles.COMMITTEE)
UNIT_ROLES = (roles.UNIT_LIAISON, roles.UNIT_STAFF)


def _superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def access_office(user, jurisdiction: Jurisdiction) -> bool:
    """The user works in this jurisdiction's 督查室 (or is the system administrator)."""
    if _superuser(user):
        return True
    return access_role_in(user, roles.OFFICE, jurisdiction)


def access_review(user, jurisdiction: Jurisdiction) -> bool:
    """公文审核: confirm, correct or reject drafted tasks."""
    return access_office(user, jurisdiction)


def _unit_of_task(user, task: Task) -> bool:
    person = person_of(user)
    if person is None or person.unit_id is None:
        return False
    if person.jurisdiction_id != task.jurisdiction_id:
        return False
    return task.assignments.filter(unit_id=person.unit_id).exists()


def _supervises_task(user, task: Task) -> bool:
    person = person_of(user)
    if person is None or person.jurisdiction_id != task.jurisdiction_id:
        return False
    if in_role(user, roles.LIAISON_SUPERVISOR) and task.assignments.filter(unit__liaison_supervisor=person).exists():
        return True
    if (
        in_role(user, roles.FIRST_LEVEL_SUPERVISOR)
        and task.assignments.filter(unit__first_level_supervisor=person).exists()
    ):
        return True
    return False


def access_task_view(user, task: Task) -> bool:
    if task.status != Task.Status.CONFIRMED:
        return access_review(user, task.jurisdiction)  # drafts and rejected tasks: the office only
    if access_office(user, task.jurisdiction):
        return True
    if any(access_role_in(user, role, task.jurisdiction) for role in WHOLE_JURISDICTION_READERS):
        return True
    if _supervises_task(user, task):
        return True
    if any(in_role(user, role) for role in UNIT_ROLES) and _unit_of_task(user, task):
        return True
    return False


def access_task_manage(user, task: Task) -> bool:
    """Assign (cycle, 经办人), set and move deadlines, 办结, issue 督办单: the office of the task's jurisdiction."""
    if task.status != Task.Status.CONFIRMED:
        return False
    return access_office(user, task.jurisdiction)


def access_task_report(user, task: Task) -> bool:
    """Report progress: a liaison of a unit named on the confirmed task."""
    if task.status != Task.Status.CONFIRMED:
        return False
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    return _unit_of_task(user, task)


def access_order_issue(user, task: Task) -> bool:
    return access_task_manage(user, task)


def access_order_view(user, order: SupervisionOrder) -> bool:
    if access_office(user, order.jurisdiction):
        return True
    person = person_of(user)
    if person is not None and person.unit_id is not None:
        return access_unit_member(user, order.unit) and any(in_role(user, r) for r in UNIT_ROLES)
    return access_task_view(user, order.task)


def access_order_answer(user, order: SupervisionOrder) -> bool:
    """Answer a 督办单: the liaison of the unit it was issued to."""
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    if not access_unit_member(user, order.unit):
        return False
    return person_of(user).jurisdiction_id == order.jurisdiction_id


def access_reminder(user, reminder: Reminder) -> bool:
    return user.is_authenticated and reminder.recipient_id == user.pk


def tasks_visible(user, jurisdiction: Jurisdiction) -> QuerySet[Task]:
    """The confirmed tasks of ``jurisdiction`` the user may see (access_task_view as a query)."""
    tasks = Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED)
    if access_office(user, jurisdiction):
        return tasks
    if any(access_role_in(user, role, jurisdiction) for role in WHOLE_JURISDICTION_READERS):
        return tasks
    person = person_of(user)
    if person is None or person.jurisdiction_id != jurisdiction.pk:
        return tasks.none()
    condition = Q(pk__in=[])
    if in_role(user, roles.LIAISON_SUPERVISOR):
        condition |= Q(assignments__unit__liaison_supervisor=person)
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR):
        condition |= Q(assignments__unit__first_level_supervisor=person)
    if person.unit_id is not None and any(in_role(user, role) for role in UNIT_ROLES):
        condition |= Q(assignments__unit_id=person.unit_id)
    return tasks.filter(pk__in=tasks.filter(condition).values("pk"))


def units_for_filter(user, jurisdiction: Jurisdiction) -> QuerySet[Unit]:
    return Unit.objects.filter(task_assignments__task__in=tasks_visible(user, jurisdiction)).distinct().order_by("name")
