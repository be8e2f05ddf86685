"""The ledger's pages. Thin: check access (ledger.access), parse a form, call a service or a selector.

A forbidden page or action answers 403; an object that does not exist, 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from duban import clock, panels
from duban.accounts.access import person_of, request_jurisdiction, require
from duban.ledger import access, lights, selectors, services
from duban.ledger.filters import SEARCH_MAX_LENGTH, ledger_filters
from duban.ledger.forms import (
    AssignForm,
    DeadlineForm,
    DeadlineMoveForm,
    DoneForm,
    InstructionForm,
    OrderAnswerForm,
    OrderIssueForm,
    ProgressForm,
    RejectForm,
    TaskEditForm,
    TaskOpenForm,
)
from duban.ledger.models import (
    ProgressReport,
    SupervisionOrder,
    TargetReading,
    Task,
    TaskUnit,
)
from duban.ledger.sources import KIND_CHOICES
from duban.ledger.supervision import settings_for
from duban.web.paging import Counted, paginate

TASKS_PER_PAGE = 30
REVIEW_PER_PAGE = 40
LIST_PER_PAGE = 30


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one, which then fails the form's checks), else None."""
    return request.POST if request.method == "POST" else None


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _form_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else str(item))
    else:
        form.add_error(None, _errors(error))


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


# --- 公文审核 ---------------------------------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_review(request.user, jurisdiction))
    search = _search_text(request)
    page = paginate(request, selectors.drafts_query(jurisdiction=jurisdiction, search=search), per_page=REVIEW_PER_PAGE)
    counts = dict.fromkeys(Task.Status.values, 0)
    for row in Task.objects.filter(jurisdiction=jurisdiction).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return render(
        request,
        "ledger/review.html",
        {
            "jurisdiction": jurisdiction,
            "groups": selectors.drafts_grouped(page.object_list),
            "page": page,
            "search": search,
            "counts": counts,
            "reject_form": RejectForm(),
            "can_upload": access.access_upload(request.user, jurisdiction),
        },
    )


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(
        request.user, pk, allowed=lambda user, task: access.access_review(user, task.jurisdiction)
    )
    if task.status != Task.Status.DRAFT:
        messages.error(request, f"该任务已审核（{task.get_status_display()}），不能修改")
        return redirect("ledger:review")
    assignments = list(task.assignments.all())
    initial = {
        "title": task.title,
        "lead_units": [a.unit_id for a in assignments if a.role == TaskUnit.Role.LEAD and a.unit_id],
        "units": [a.unit_id for a in assignments if a.role == TaskUnit.Role.RESPONSIBLE and a.unit_id],
        "deadlines": "\n".join(d.date.isoformat() for d in task.deadlines.all()),
    }
    form = TaskEditForm(_posted(request), task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(
                actor=request.user,
                task=task,
                title=form.cleaned_data["title"],
                lead_units=list(form.cleaned_data["lead_units"]),
                units=list(form.cleaned_data["units"]),
                deadlines=form.cleaned_data["deadlines"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已修改任务 {task.ref}。")
            return redirect(f"{_url('ledger:review')}#doc-{task.document_id}")
    return render(request, "ledger/task_edit.html", {"task": task, "form": form, "assignments": assignments})


@login_required
@require_POST
def task_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(
        request.user, pk, allowed=lambda user, task: access.access_review(user, task.jurisdiction)
    )
    try:
        services.task_confirm(actor=request.user, task=task)
    except ValidationError as error:
        messages.error(request, f"{task.ref} {task.title}：{_errors(error)}")
    else:
        messages.success(request, f"已确认入台账：{task.ref} {task.title}")
    return redirect(f"{_url('ledger:review')}#doc-{task.document_id}")


@login_required
@require_POST
def task_reject(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(
        request.user, pk, allowed=lambda user, task: access.access_review(user, task.jurisdiction)
    )
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"][0])
        services.task_reject(actor=request.user, task=task, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, f"{task.ref} {task.title}：{_errors(error)}")
    else:
        messages.success(request, f"已退回：{task.ref} {task.title}")
    return redirect(f"{_url('ledger:review')}#doc-{task.document_id}")


@login_required
@require_POST
def document_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document_by_id(request.user, pk)
    try:
        confirmed, left = services.document_confirm_resolvable(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        note = f"，{len(left)} 项单位未识别，仍待审核" if left else ""
        messages.success(request, f"《{document.title}》已确认入台账 {len(confirmed)} 项{note}。")
    return redirect("ledger:review")


# --- 督查台账 ---------------------------------------------------------------------------------------


def _search_text(request: HttpRequest) -> str:
    """The search words of a list page (``?q=``), at most 100 characters."""
    return request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None)
    visible = access.tasks_visible(request.user, jurisdiction)
    units = access.units_for_filter(request.user, jurisdiction)
    chosen = ledger_filters(request, jurisdiction)
    for line in chosen.refused:
        messages.warning(request, line)
    unit, standing, source, search = chosen.unit, chosen.standing, chosen.source, chosen.search
    today = clock.today()
    every = chosen.tasks(visible, with_standing=False, jurisdiction=jurisdiction)  # the cards count all standings
    grid = lights.ledger_grid(every)
    counts, light_counts = lights.grid_counts(grid)
    # The page's rows with their lights: one LIMIT/OFFSET read in the 台账's order (an index of the
    # jurisdiction's tasks), counted from the cards' grid.
    listed = Counted(selectors.for_list(chosen.narrowed(every)), chosen.count_in(grid))
    page = paginate(request, listed, per_page=TASKS_PER_PAGE)
    keep = request.GET.copy()
    for name in ("standing", "light", "page"):
        keep.pop(name, None)
    thresholds = settings_for(jurisdiction)
    return render(
        request,
        "ledger/tasks.html",
        {
            "jurisdiction": jurisdiction,
            "page": page,
            "rows": lights.attach_lights(selectors.ledger_page_rows(page.object_list), today, settings=thresholds),
            "units": units,
            "unit": unit,
            "search": search,
            "standing": standing,
            "filtered": chosen.active,
            "standing_query": keep.urlencode(),
            "standings": selectors.STANDING_LABELS,
            "standing_cards": [
                {"code": code, "label": selectors.DUE_SOON_LABEL if code == "due_soon" else label, "count": count}
                for (code, label), count in zip(selectors.STANDING_LABELS.items(), counts.values(), strict=True)
            ],
            "light": chosen.light,
            "lights": lights.LIGHT_LABELS,
            "light_cards": [
                {"code": code, "label": label, "count": light_counts[code]}
                for code, label in lights.LIGHT_LABELS.items()
            ],
            "thresholds": thresholds,
            "source": source,
            "sources": KIND_CHOICES,
            "can_open": access.access_task_open(request.user, jurisdiction),
            "today": today,
            "is_office": access.access_office_or_administrator(request.user, jurisdiction),
        },
    )


@login_required
def task_open(request: HttpRequest) -> HttpResponse:
    """立项: the office opens a task from a leader's 批示, a meeting, a superior body, a 建议/提案 or the public."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_task_open(request.user, jurisdiction))
    form = TaskOpenForm(_posted(request), request.FILES or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_open(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(form.service_field(field), message)
        else:
            messages.success(request, f"已立项：{task.title}（{task.source_summary}），已进入督查台账。")
            return redirect("ledger:task", task.pk)
    return render(request, "ledger/task_open.html", {"form": form, "jurisdiction": jurisdiction})


@login_required
@require_POST
def task_watch(request: HttpRequest, pk: int) -> HttpResponse:
    """关注 / 取消关注 (a leader of the task's jurisdiction)."""
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_lead)
    try:
        if request.POST.get("watch") == "0":
            services.task_unwatch(actor=request.user, task=task)
            messages.success(request, "已取消关注。")
        else:
            services.task_watch(actor=request.user, task=task)
            messages.success(request, "已关注该任务，承办单位和督查室已收到提醒。")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("ledger:task", task.pk)


@login_required
def task_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    """领导批示 on a task (a leader of the task's jurisdiction)."""
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_lead)
    form = InstructionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.task_instruct(actor=request.user, task=task, text=form.cleaned_data["text"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "批示已发出，承办单位和督查室已收到提醒。")
            return redirect("ledger:task", task.pk)
    return render(request, "ledger/task_instruct.html", {"task": task, "form": form})


def _source_attachment(task: Task):
    detail = getattr(task, "source", None)
    return detail if detail is not None and detail.attachment else None


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_view)
    today = clock.today()
    reports = (
        ProgressReport.objects.filter(task=task)
        .select_related("unit", "reporter")
        .prefetch_related("attachments", Prefetch("readings", queryset=TargetReading.objects.select_related("target")))
    )
    person = person_of(request.user)
    orders = task.supervision_orders.select_related("unit", "issued_by")
    if (
        person is not None
        and person.unit_id is not None
        and not access.access_office_or_administrator(request.user, task.jurisdiction)
    ):
        orders = orders.filter(unit_id=person.unit_id)
    can_manage = access.access_task_manage(request.user, task)
    standing = selectors.task_standing(task, today)
    thresholds = settings_for(task.jurisdiction)
    return render(
        request,
        "ledger/task_detail.html",
        {
            "task": task,
            "standing": standing,
            "light": lights.task_light(task, today, settings=thresholds),
            "missed": lights.task_missed_reports(task, today, settings=thresholds),
            "thresholds": thresholds,
            "source_attachment": _source_attachment(task),
            "assignments": selectors.task_assignments_in_order(task),
            "lead_ids": selectors.task_lead_unit_ids(task),
            "targets": selectors.task_targets(task, today),
            "deadlines": task.deadlines.prefetch_related("changes"),
            "reports": reports,
            "orders": orders,
            "history": selectors.task_history(task),
            "can_manage": can_manage,
            "can_report": access.access_task_report(request.user, task),
            "can_lead": access.access_task_lead(request.user, task),
            "watches": list(task.watches.all()),
            "watching": task.watches.filter(leader=request.user).exists(),
            "instructions": list(task.instructions.all()),
            "instruction_form": InstructionForm(),
            "can_issue": can_manage and standing.is_overdue,
            "done_form": DoneForm(),
            # What later stages show here (accountability: 立案问责 and the task's cases; scoring: points).
            "action_panels": panels.build(panels.TASK_ACTIONS, request, task=task, standing=standing),
            "section_panels": panels.build(panels.TASK_SECTIONS, request, task=task, standing=standing),
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_report)
    unit = person_of(request.user).unit
    targets = list(task.targets.order_by("indicator", "year"))
    form = ProgressForm(_posted(request), request.FILES if request.method == "POST" else None, targets=targets)
    today = clock.today()
    period = selectors.period_of(task.reporting_cycle, today)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_create(
                actor=request.user,
                task=task,
                unit=unit,
                text=form.cleaned_data["text"],
                percent=form.cleaned_data["percent"],
                readings=form.readings(),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已报送{selectors.period_label(period)}进度。")
            return redirect("ledger:task", pk=task.pk)
    already = ProgressReport.objects.filter(task=task, unit=unit, period=period).first()
    return render(
        request,
        "ledger/report.html",
        {
            "task": task,
            "unit": unit,
            "form": form,
            "period": selectors.period_label(period),
            "due": selectors.period_end(task.reporting_cycle, today),
            "already": already,
            "previous": ProgressReport.objects.filter(task=task, unit=unit).first(),
        },
    )


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_manage)
    form = AssignForm(
        _posted(request), task=task, initial={"reporting_cycle": task.reporting_cycle, "owner": task.owner_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.task_assign(
                actor=request.user,
                task=task,
                reporting_cycle=form.cleaned_data["reporting_cycle"],
                owner=form.cleaned_data["owner"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "已保存交办信息。")
            return redirect("ledger:task", pk=task.pk)
    return _assign_page(request, task, form=form)


def _assign_page(request, task: Task, *, form=None, deadline_form=None, move_forms=None) -> HttpResponse:
    deadlines = list(task.deadlines.all())
    move_forms = move_forms or {}
    return render(
        request,
        "ledger/assign.html",
        {
            "task": task,
            "form": form
            or AssignForm(task=task, initial={"reporting_cycle": task.reporting_cycle, "owner": task.owner_id}),
            "deadline_form": deadline_form or DeadlineForm(),
            "deadlines": [(d, move_forms.get(d.pk) or DeadlineMoveForm(initial={"date": d.date})) for d in deadlines],
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def deadline_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_manage)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_add(
                actor=request.user, task=task, date=form.cleaned_data["date"], text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已设置完成时限 {form.cleaned_data['date']:%Y-%m-%d}。")
            return redirect("ledger:assign", pk=task.pk)
    return _assign_page(request, task, deadline_form=form)


@login_required
@require_POST
def deadline_move(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = access.access_deadline_by_id(request.user, pk)
    task = deadline.task
    form = DeadlineMoveForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_update(actor=request.user, deadline=deadline, date=form.cleaned_data["date"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已将完成时限调整为 {form.cleaned_data['date']:%Y-%m-%d}。")
            return redirect("ledger:assign", pk=task.pk)
    return _assign_page(request, task, move_forms={deadline.pk: form})


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_task_manage)
    form = DoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("办结说明过长（最多 300 字）")
        services.task_mark_done(actor=request.user, task=task, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "任务已办结。")
    return redirect("ledger:task", pk=task.pk)


def _source_phrase(task: Task) -> str:
    return f"《{task.document.title}》" if task.document is not None else task.source_summary


# --- 督办单 -----------------------------------------------------------------------------------------


@login_required
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task_by_id(request.user, pk, allowed=access.access_order_issue)
    standing = selectors.task_standing(task)
    form = OrderIssueForm(
        _posted(request),
        task=task,
        initial={
            "reason": f"{_source_phrase(task)}确定的“{task.title}”任务，完成时限为 {standing.deadline:%Y年%m月%d日}，"
            if standing.deadline
            else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(
                actor=request.user,
                task=task,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                reply_by=form.cleaned_data["reply_by"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已签发{order.number}。")
            return redirect("ledger:order", pk=order.pk)
    return render(request, "ledger/order_issue.html", {"task": task, "form": form, "standing": standing})


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None)
    person = person_of(request.user)
    if access.access_office_or_administrator(request.user, jurisdiction):
        found = selectors.orders_for(jurisdiction=jurisdiction)
    elif person is not None and person.unit_id is not None:
        found = selectors.orders_for(jurisdiction=jurisdiction, unit=person.unit)
    else:
        found = selectors.orders_for(jurisdiction=jurisdiction).filter(
            task__in=access.tasks_visible(request.user, jurisdiction)
        )
    status = request.GET.get("status", "")
    if status in SupervisionOrder.Status.values:
        found = found.filter(status=status)
    search = _search_text(request)
    if search:
        found = selectors.order_search(found, search)
    page = paginate(request, found.order_by("-year", "-serial", "-id"), per_page=LIST_PER_PAGE)
    return render(
        request,
        "ledger/orders.html",
        {
            "orders": page.object_list,
            "page": page,
            "search": search,
            "filtered": bool(search or status),
            "status": status,
            "statuses": SupervisionOrder.Status.choices,
            "today": clock.today(),
        },
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.access_order_by_id(request.user, pk, allowed=access.access_order_view)
    return render(
        request,
        "ledger/order.html",
        {
            "order": order,
            "standing": selectors.task_standing(order.task),
            "downloads": panels.build(panels.DOWNLOADS, request, page="ledger.order", order=order),
            "can_answer": access.access_order_answer(request.user, order)
            and order.status == SupervisionOrder.Status.ISSUED,
        },
    )


@login_required
def order_answer(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.access_order_by_id(request.user, pk, allowed=access.access_order_answer)
    form = OrderAnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.order_answer(actor=request.user, order=order, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"已回复{order.number}。")
            return redirect("ledger:order", pk=order.pk)
    return render(request, "ledger/order_answer.html", {"order": order, "form": form})


# --- 提醒、附件 --------------------------------------------------------------------------------------


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    search = _search_text(request)
    found = selectors.reminders_of(request.user, unread_only=not show_all, search=search)
    page = paginate(request, found, per_page=LIST_PER_PAGE)
    return render(
        request,
        "ledger/reminders.html",
        {
            "page": page,
            "reminders": page.object_list,
            "show_all": show_all,
            "search": search,
            "unread": selectors.reminders_of(request.user, unread_only=True).count(),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = access.access_reminder_by_id(request.user, pk)
    services.reminder_mark_read(actor=request.user, reminder=reminder)
    if request.POST.get("go") and reminder.link.startswith("/"):
        return redirect(reminder.link)
    return redirect("ledger:reminders")


@login_required
@require_POST
def reminders_read_all(request: HttpRequest) -> HttpResponse:
    count = services.reminders_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条提醒标为已读。")
    return redirect("ledger:reminders")


@login_required
def source_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A task's 批示件, served through the task's access check."""
    detail = access.access_source_attachment_by_task_id(request.user, pk)
    return FileResponse(
        detail.attachment.open("rb"),
        as_attachment=True,
        filename=detail.attachment_name,
        content_type=detail.attachment_type or "application/octet-stream",
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are served through this page (never straight from MEDIA_ROOT): same access as the task."""
    item = access.access_attachment_by_id(request.user, pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type or "application/octet-stream",
    )
