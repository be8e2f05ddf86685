"""Who may see and do what in the ledger, one condition per line.

- 督查室 (office) staff: every task of their own jurisdiction; they review, assign, set deadlines,
  close tasks and issue 督办单. A county's office sees its county only.
- 联络员 (unit liaison): the tasks their unit is named on; they report progress and answer their
  unit's 督办单. 单位工作人员 (unit staff): the same tasks, read only.
- 二级督查 / 一级督查: the tasks of the units they supervise (Unit.liaison_supervisor /
  first_level_supervisor), read only. 副总督查, 总督查 and the 督查落实委员会: their whole
  jurisdiction, read only.
- The system administrator (a superuser) may see and do what the office does, everywhere
  (accounts.access.access_office_or_administrator).

Pages answer 403 when a helper says no (404 only for objects that do not exist).
``tasks_visible`` is the same rule as ``access_task_view`` written as a query, for lists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.http import Http404

from duban.accounts import roles
from duban.accounts.access import (
    access_by_id,
    access_jurisdiction,
    access_office_or_administrator,
    access_role_in,
    access_unit_member,
    in_role,
    is_administrator,
    person_of,
    require,
)
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger.models import (
    ClosureAttachment,
    ClosureRequest,
    Deadline,
    Document,
    ExtensionRequest,
    GazetteIssue,
    ProgressAttachment,
    Reminder,
    SupervisionOrder,
    Task,
    TaskSource,
    TaskUnit,
    UploadJob,
)

SUPERVISORS_OF_UNITS = (roles.LIAISON_SUPERVISOR, roles.FIRST_LEVEL_SUPERVISOR)
WHOLE_JURISDICTION_READERS = (roles.DEPUTY_CHIEF_SUPERVISOR, roles.CHIEF_SUPERVISOR, roles.COMMITTEE)
UNIT_ROLES = (roles.UNIT_LIAISON, roles.UNIT_STAFF)


def access_review(user, jurisdiction: Jurisdiction) -> bool:
    """公文审核: confirm, correct or reject drafted tasks."""
    return access_office_or_administrator(user, jurisdiction)


def access_upload(user, jurisdiction: Jurisdiction) -> bool:
    """上传公文 into ``jurisdiction``'s ledger: its 督查室 (or the system administrator), who then review it."""
    return access_office_or_administrator(user, jurisdiction)


def access_library(user, jurisdiction: Jurisdiction) -> bool:
    """公文库: read the issues and documents read into ``jurisdiction`` — whoever reads documents today
    (the office, as 公文审核 does: access_document_by_id), with the tasks drafted from them."""
    return access_review(user, jurisdiction)


def access_supervision_settings(user, jurisdiction: Jurisdiction | None) -> bool:
    """督办设置: read by everyone who works in ``jurisdiction`` (the windows and the ladder apply to them)
    and by the system administrator."""
    if jurisdiction is None:
        return False
    if is_administrator(user):
        return True
    return access_jurisdiction(user, jurisdiction)


def upload_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """The jurisdictions the user may upload for: the office's own; every one for the administrator."""
    codes = [j.pk for j in Jurisdiction.objects.order_by("pk") if access_upload(user, j)]
    return Jurisdiction.objects.filter(pk__in=codes).order_by("pk")


def access_task_open(user, jurisdiction: Jurisdiction) -> bool:
    """立项: open a task by hand, from any source: the office of the jurisdiction."""
    return access_office_or_administrator(user, jurisdiction)


LEADERS = (roles.DEPUTY_CHIEF_SUPERVISOR, roles.CHIEF_SUPERVISOR)


def access_task_lead(user, task: Task) -> bool:
    """关注 and 批示 on a task in the ledger: the 副总督查 and 总督查 of its jurisdiction."""
    if task.status != Task.Status.CONFIRMED:
        return False
    return any(access_role_in(user, role, task.jurisdiction) for role in LEADERS)


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
    if access_office_or_administrator(user, task.jurisdiction):
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
    return access_office_or_administrator(user, task.jurisdiction)


def access_task_report(user, task: Task) -> bool:
    """Report progress: a liaison of a unit named on the confirmed task, until it is 办结."""
    if task.status != Task.Status.CONFIRMED:
        return False
    if task.done_on is not None:
        return False
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    return _unit_of_task(user, task)


def access_order_issue(user, task: Task) -> bool:
    return access_task_manage(user, task)


def access_order_view(user, order: SupervisionOrder) -> bool:
    if access_office_or_administrator(user, order.jurisdiction):
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
    if access_office_or_administrator(user, jurisdiction):
        return tasks
    if any(access_role_in(user, role, jurisdiction) for role in WHOLE_JURISDICTION_READERS):
        return tasks
    person = person_of(user)
    if person is None or person.jurisdiction_id != jurisdiction.pk:
        return tasks.none()
    # The tasks named on the assignments of the person's units: read from the units (their supervisor's
    # index, then the assignments' unit index), not by walking every task of the jurisdiction.
    condition = Q(pk__in=[])
    if in_role(user, roles.LIAISON_SUPERVISOR):
        condition |= Q(unit__liaison_supervisor=person)
    if in_role(user, roles.FIRST_LEVEL_SUPERVISOR):
        condition |= Q(unit__first_level_supervisor=person)
    if person.unit_id is not None and any(in_role(user, role) for role in UNIT_ROLES):
        condition |= Q(unit_id=person.unit_id)
    return tasks.filter(pk__in=TaskUnit.objects.filter(condition).values("task_id"))


def units_for_filter(user, jurisdiction: Jurisdiction) -> QuerySet[Unit]:
    """The units the 台账 can be filtered by: the office's every unit of the jurisdiction (it sees every
    task); anyone else's the units named on the tasks they see (the units of those tasks' assignments, read
    once from the tasks they see: a liaison's or a supervisor's few, not a probe for each of the city's
    hundreds of units). A task's units are of its jurisdiction (ledger.services refuses others)."""
    units = Unit.objects.filter(jurisdiction=jurisdiction).order_by("name")
    if access_office_or_administrator(user, jurisdiction):
        return units
    named = TaskUnit.objects.filter(task__in=tasks_visible(user, jurisdiction), unit__isnull=False)
    return units.filter(pk__in=named.values("unit_id"))


# --- fetch and check ----------------------------------------------------------------------------------

TASKS = Task.objects.select_related("document", "source", "jurisdiction", "owner")
ORDERS = SupervisionOrder.objects.select_related(
    "task__document", "task__source", "task__jurisdiction", "unit", "jurisdiction", "issued_by", "answered_by"
)


def access_task_by_id(user, task_id: int, *, allowed: Callable[..., bool] = access_task_view) -> Task:
    """The task, if it exists (else 404) and ``allowed(user, task)`` (else 403)."""
    return access_by_id(TASKS, task_id, lambda task: allowed(user, task))


def access_order_by_id(user, order_id: int, *, allowed: Callable[..., bool] = access_order_view) -> SupervisionOrder:
    return access_by_id(ORDERS, order_id, lambda order: allowed(user, order))


def access_reminder_by_id(user, reminder_id: int) -> Reminder:
    return access_by_id(Reminder.objects.all(), reminder_id, lambda reminder: access_reminder(user, reminder))


def access_document_by_id(user, document_id: int) -> Document:
    """A gazette document under review: the office of its jurisdiction."""
    return access_by_id(
        Document.objects.select_related("jurisdiction"),
        document_id,
        lambda document: access_review(user, document.jurisdiction),
    )


def access_deadline_by_id(user, deadline_id: int) -> Deadline:
    """A task's deadline, to move it: whoever manages the task."""
    deadlines = Deadline.objects.select_related("task__jurisdiction", "task__document").filter(task__isnull=False)
    return access_by_id(deadlines, deadline_id, lambda deadline: access_task_manage(user, deadline.task))


def access_attachment_by_id(user, attachment_id: int) -> ProgressAttachment:
    """A report's attachment: whoever may see the task (never served straight from MEDIA_ROOT)."""
    attachments = ProgressAttachment.objects.select_related("report__task__jurisdiction")
    return access_by_id(attachments, attachment_id, lambda item: access_task_view(user, item.report.task))


def access_source_attachment_by_task_id(user, task_id: int) -> TaskSource:
    """A task's 批示件: whoever may see the task (403); 404 when the task or its 批示件 does not exist."""
    task = access_task_by_id(user, task_id)
    detail = TaskSource.objects.filter(task=task).exclude(attachment="").first()
    if detail is None:
        raise Http404("该任务没有批示件")
    return detail


# --- 任务分解表 (Excel) in and out ----------------------------------------------------------------------


def access_workbook_import(user, jurisdiction: Jurisdiction) -> bool:
    """Upload, preview and import a 任务分解表: the office of the jurisdiction (or the administrator)."""
    return access_office_or_administrator(user, jurisdiction)


def access_workbook_export(user, jurisdiction: Jurisdiction) -> bool:
    """Export the 台账 as a 任务分解表: the office of the jurisdiction (or the administrator)."""
    return access_office_or_administrator(user, jurisdiction)


def access_staged_workbook_by_token(user, token: str):
    """An uploaded sheet awaiting import: 404 when the token names none (forged, expired, discarded),
    403 unless the user uploaded it and still runs that jurisdiction's imports."""
    from duban.ledger.workbook_import import staged_workbook

    staged = staged_workbook(token)
    if staged is None:
        raise Http404("待导入的任务分解表不存在或已过期，请重新上传")
    require(staged.user_id == user.pk)
    require(access_workbook_import(user, staged.jurisdiction))
    return staged


def access_upload_job_by_id(user, job_id: int) -> UploadJob:
    """An upload and its progress: the office of the jurisdiction it reads into."""
    return access_by_id(
        UploadJob.objects.select_related("jurisdiction", "issue"),
        job_id,
        lambda job: access_upload(user, job.jurisdiction),
    )


def access_library_issue_by_id(user, issue_id: int) -> GazetteIssue:
    return access_by_id(
        GazetteIssue.objects.select_related("jurisdiction"),
        issue_id,
        lambda issue: access_library(user, issue.jurisdiction),
    )


def access_library_document_by_id(user, document_id: int) -> Document:
    return access_by_id(
        Document.objects.select_related("jurisdiction", "issue", "attachment_of"),
        document_id,
        lambda document: access_library(user, document.jurisdiction),
    )


# --- the task's life: 签收, 延期, 办结验收 (duban.ledger.lifecycle) ----------------------------------------


def _open_task(task: Task) -> bool:
    if task.status != Task.Status.CONFIRMED:
        return False
    return task.done_on is None


def access_task_acknowledge(user, task: Task) -> bool:
    """签收: a liaison of a unit named on the confirmed task, not yet 办结."""
    if not _open_task(task):
        return False
    if not in_role(user, roles.UNIT_LIAISON):
        return False
    return _unit_of_task(user, task)


def access_extension_request(user, task: Task) -> bool:
    """延期申请: a liaison of a unit named on the confirmed task, not yet 办结."""
    return access_task_acknowledge(user, task)


def access_closure_apply(user, task: Task) -> bool:
    """办结申请: a liaison of a lead unit (selectors.task_lead_unit_ids) of the confirmed task, not yet 办结."""
    from duban.ledger.selectors import task_lead_unit_ids

    if not access_task_acknowledge(user, task):
        return False
    return person_of(user).unit_id in task_lead_unit_ids(task)


def access_extension_decide(user, request: ExtensionRequest) -> bool:
    """Approve or refuse a 延期: whom the jurisdiction's settings name — the task's 经办人 (when it has a
    login), else the office of the task's jurisdiction (or the administrator)."""
    from duban.ledger.lifecycle_selectors import extension_approver_user

    if request.task.status != Task.Status.CONFIRMED:
        return False
    approver = extension_approver_user(request.task)
    if approver is not None:
        return user.is_authenticated and user.pk == approver.pk
    return access_office_or_administrator(user, request.task.jurisdiction)


def access_closure_decide(user, request: ClosureRequest) -> bool:
    """验收 a 办结申请 (accept or return): the office of the task's jurisdiction (or the administrator)."""
    if request.task.status != Task.Status.CONFIRMED:
        return False
    return access_office_or_administrator(user, request.task.jurisdiction)


def _request_view(user, task: Task, unit: Unit) -> bool:
    """A 延期 or 办结 request: the office; a unit's people their own unit's; others as they see the task."""
    if access_office_or_administrator(user, task.jurisdiction):
        return True
    person = person_of(user)
    if person is not None and person.unit_id is not None:
        return person.unit_id == unit.pk and any(in_role(user, r) for r in UNIT_ROLES)
    return access_task_view(user, task)


def access_extension_view(user, request: ExtensionRequest) -> bool:
    if access_extension_decide(user, request):
        return True
    return _request_view(user, request.task, request.unit)


def access_closure_view(user, request: ClosureRequest) -> bool:
    return _request_view(user, request.task, request.unit)


def access_life_lists(user, jurisdiction: Jurisdiction) -> bool:
    """The lists of 延期 and 办结 requests: the office (all of them), a task's 经办人 (those they decide) and a
    unit's people (their unit's)."""
    if access_office_or_administrator(user, jurisdiction):
        return True
    person = person_of(user)
    if person is None:
        return False
    return person.jurisdiction_id == jurisdiction.pk


def access_acknowledgements(user, jurisdiction: Jurisdiction) -> bool:
    """待签收 and 超时未签收 across the jurisdiction: its office (or the administrator)."""
    return access_office_or_administrator(user, jurisdiction)


def access_unit_acknowledgements(user, jurisdiction: Jurisdiction) -> bool:
    """待签收 of one's own unit: the people of a unit of the jurisdiction (its 联络员 and 承办人员)."""
    person = person_of(user)
    if person is None or person.unit_id is None:
        return False
    if person.jurisdiction_id != jurisdiction.pk:
        return False
    return any(in_role(user, role) for role in UNIT_ROLES)


EXTENSIONS = ExtensionRequest.objects.select_related(
    "task__jurisdiction", "task__owner__user", "task__document", "unit", "deadline", "requested_by", "decided_by"
)
CLOSURES = ClosureRequest.objects.select_related(
    "task__jurisdiction", "task__owner", "task__document", "unit", "requested_by", "decided_by"
)


def access_extension_by_id(user, request_id: int, *, allowed: Callable[..., bool] = access_extension_view):
    return access_by_id(EXTENSIONS, request_id, lambda request: allowed(user, request))


def access_closure_by_id(user, request_id: int, *, allowed: Callable[..., bool] = access_closure_view):
    return access_by_id(CLOSURES, request_id, lambda request: allowed(user, request))


def access_closure_attachment_by_id(user, attachment_id: int) -> ClosureAttachment:
    """A 办结申请's evidence: whoever may see the request (never served straight from MEDIA_ROOT)."""
    attachments = ClosureAttachment.objects.select_related("request__task__jurisdiction", "request__unit")
    return access_by_id(attachments, attachment_id, lambda item: access_closure_view(user, item.request))


def access_missed_reports(user, jurisdiction: Jurisdiction) -> bool:
    """漏报进度 (the missed periodic reports of a period): the office of the jurisdiction (or the administrator)."""
    return access_office_or_administrator(user, jurisdiction)
