"""The pages of the task's life: 签收 (the liaison), 延期申请 and its approval, 办结申请 and 验收.

Thin, as the ledger's other pages: check access (ledger.access), parse a form, call a service of
duban.ledger.lifecycle. A forbidden page or action answers 403; an object that does not exist, 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban import clock
from duban.accounts import roles
from duban.accounts.access import in_role, person_of, request_jurisdiction, require
from duban.ledger import access, lifecycle, selectors, supervision
from duban.ledger import lifecycle_selectors as life
from duban.ledger.lifecycle_forms import (
    CLOSURE_DECISIONS,
    EXTENSION_DECISIONS,
    ClosureForm,
    DecisionForm,
    ExtensionForm,
)
from duban.ledger.models import ClosureRequest, ExtensionRequest, Task
from duban.ledger.views import LIST_PER_PAGE, _errors, _form_error, _posted, _search_text
from duban.web.paging import Counted, paginate


def _unit(request: HttpRequest):
    return person_of(request.user).unit


# --- 签收 -------------------------------------------------------------------------------------------


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_acknowledge)
    try:
        lifecycle.task_acknowledge(actor=request.user, task=task, unit=_unit(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已签收任务：{task.title}")
    if request.POST.get("next") == "workbench":
        return redirect("workbench")
    return redirect("ledger:task", pk=task.pk)


@login_required
def acknowledgements(request: HttpRequest) -> HttpResponse:
    """待签收 across the jurisdiction, 超时未签收 first flagged (the office)."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None)
    whole = access.access_acknowledgements(request.user, jurisdiction)
    require(whole or access.access_unit_acknowledgements(request.user, jurisdiction))
    today = clock.today()
    overdue_only = request.GET.get("overdue") == "1"
    search = _search_text(request)
    rows = life.unacknowledged(
        jurisdiction=jurisdiction, unit=None if whole else _unit(request), overdue_on=today if overdue_only else None
    )
    if search:
        rows = rows.filter(task__in=selectors.task_search(Task.objects.filter(jurisdiction=jurisdiction), search))
    elif whole:  # the jurisdiction's count from each task's stored count, not a COUNT of every assignment
        overdue_on = today if overdue_only else None
        rows = Counted(rows, life.unacknowledged_count(jurisdiction=jurisdiction, overdue_on=overdue_on))
    page = paginate(request, rows, per_page=LIST_PER_PAGE)
    return render(
        request,
        "ledger/acknowledgements.html",
        {
            "page": page,
            "items": life.pending_items(page.object_list),
            "today": today,
            "search": search,
            "overdue_only": overdue_only,
            "filtered": bool(search or overdue_only),
            "can_acknowledge": not whole and in_role(request.user, roles.UNIT_LIAISON),
            "window": supervision.settings_for(jurisdiction).acknowledge_working_days,
        },
    )


# --- 延期 -------------------------------------------------------------------------------------------


@login_required
def extension_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_extension_request)
    form = ExtensionForm(_posted(request), task=task)
    if request.method == "POST" and form.is_valid():
        try:
            made = lifecycle.extension_request(
                actor=request.user,
                task=task,
                unit=_unit(request),
                deadline=form.cleaned_data["deadline"],
                requested_date=form.cleaned_data["requested_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已提交延期申请（延至 {made.requested_date:%Y-%m-%d}），请等待审批。")
            return redirect("ledger:task", pk=task.pk)
    return render(
        request,
        "ledger/extension_new.html",
        {
            "task": task,
            "form": form,
            "unit": _unit(request),
            "approver": supervision.settings_for(task.jurisdiction).extension_approver_label,
            "history": life.extensions_for(jurisdiction=task.jurisdiction).filter(task=task),
        },
    )


def _lists_scope(request: HttpRequest, found, jurisdiction):
    """What a list of requests shows this user: the office all; a unit's people their unit's; a 经办人
    the tasks they own."""
    if access.access_office_or_administrator(request.user, jurisdiction):
        return found
    person = person_of(request.user)
    if person.unit_id is not None:
        return found.filter(unit_id=person.unit_id)
    return found.filter(task__owner=person)


def _status(request: HttpRequest, choices) -> str:
    status = request.GET.get("status", "pending")
    return status if status in dict(choices) or status == "" else "pending"


def _requests_list(request: HttpRequest, *, selector, choices, template: str) -> HttpResponse:
    """The 延期 or 办结 requests of the jurisdiction the user may see, by status, one page."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_life_lists(request.user, jurisdiction))
    status = _status(request, choices)
    found = _lists_scope(request, selector(jurisdiction=jurisdiction, status=status), jurisdiction)
    page = paginate(request, found, per_page=LIST_PER_PAGE)
    return render(request, template, {"page": page, "items": page.object_list, "status": status, "statuses": choices})


@login_required
def extensions(request: HttpRequest) -> HttpResponse:
    return _requests_list(
        request,
        selector=life.extensions_for,
        choices=ExtensionRequest.Status.choices,
        template="ledger/extensions.html",
    )


@login_required
def extension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_extension_by_id(request.user, pk)
    can_decide = access.access_extension_decide(request.user, item) and item.status == ExtensionRequest.Status.PENDING
    form = DecisionForm(_posted(request), choices=EXTENSION_DECISIONS, label="审批结果")
    if request.method == "POST":
        require(access.access_extension_decide(request.user, item))
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    lifecycle.extension_approve(actor=request.user, request=item, note=form.cleaned_data["note"])
                    messages.success(request, f"已同意延期，完成时限调整为 {item.requested_date:%Y-%m-%d}。")
                else:
                    lifecycle.extension_refuse(actor=request.user, request=item, note=form.cleaned_data["note"])
                    messages.success(request, "已不同意延期，完成时限不变。")
            except ValidationError as error:
                _form_error(form, error)
            else:
                return redirect("ledger:extension", pk=item.pk)
    return render(
        request,
        "ledger/extension.html",
        {"item": item, "form": form, "can_decide": can_decide, "changes": item.changes.select_related("changed_by")},
    )


# --- 办结申请 → 验收 ----------------------------------------------------------------------------------


@login_required
def closure_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_closure_apply)
    form = ClosureForm(_posted(request), request.FILES if request.method == "POST" else None)
    pending = ClosureRequest.objects.filter(task=task, status=ClosureRequest.Status.PENDING).first()
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.closure_apply(
                actor=request.user,
                task=task,
                unit=_unit(request),
                summary=form.cleaned_data["summary"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "已提交办结申请，请等待督查室验收。")
            return redirect("ledger:task", pk=task.pk)
    return render(
        request,
        "ledger/closure_new.html",
        {
            "task": task,
            "form": form,
            "unit": _unit(request),
            "pending": pending,
            "history": life.closures_for(jurisdiction=task.jurisdiction).filter(task=task),
        },
    )


@login_required
def closures(request: HttpRequest) -> HttpResponse:
    return _requests_list(
        request, selector=life.closures_for, choices=ClosureRequest.Status.choices, template="ledger/closures.html"
    )


@login_required
def closure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_closure_by_id(request.user, pk)
    can_decide = access.access_closure_decide(request.user, item) and item.status == ClosureRequest.Status.PENDING
    form = DecisionForm(_posted(request), choices=CLOSURE_DECISIONS, label="验收结果")
    if request.method == "POST":
        require(access.access_closure_decide(request.user, item))
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    lifecycle.closure_accept(actor=request.user, request=item, note=form.cleaned_data["note"])
                    messages.success(request, "验收通过，任务已办结。")
                else:
                    lifecycle.closure_return(actor=request.user, request=item, note=form.cleaned_data["note"])
                    messages.success(request, "已退回办结申请，任务继续办理。")
            except ValidationError as error:
                _form_error(form, error)
            else:
                return redirect("ledger:closure", pk=item.pk)
    return render(
        request,
        "ledger/closure.html",
        {
            "item": item,
            "form": form,
            "can_decide": can_decide,
            "attachments": list(item.attachments.all()),
            "reports": item.task.progress_reports.select_related("unit").order_by("-reported_on", "-id")[:3],
        },
    )


@login_required
def closure_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A 办结申请's evidence, served through the request's access check."""
    item = access.access_closure_attachment_by_id(request.user, pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type or "application/octet-stream",
    )
