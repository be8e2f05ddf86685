"""The accountability pages: cases through the 第八条 chain, the 意见书, appeals, referrals, rectification.

Thin views: an access_* helper decides, a selector reads, a service writes. A service's
ValidationError is shown as a Chinese message and nothing is written.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from duban import clock, panels
from duban.accountability import access, forms, selectors, services
from duban.accountability.models import Case, Decision, RectificationItem, Referral
from duban.accountability.procedure import case_chain, case_rulebook, chain_of, rulebook_outline
from duban.accountability.rulebooks import rulebook_in_force, rulebook_in_force_or_none
from duban.accounts.access import access_office, person_of, request_jurisdiction, require
from duban.accounts.models import Jurisdiction
from duban.inputs import parse_date
from duban.ledger.access import access_task_by_id
from duban.web.paging import paginate

CASES_PER_PAGE = 30
LIST_PER_PAGE = 30


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one, which then fails the form's checks), else None."""
    return request.POST if request.method == "POST" else None


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for messages_ in exc.message_dict.values() for m in messages_)
    return "；".join(exc.messages)


def _service(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return False
    messages.success(request, success)
    return True


def _search(request: HttpRequest) -> str:
    """The list's search words (?q=), as typed, at most 100 characters."""
    return request.GET.get("q", "").strip()[:100]


def office_jurisdiction(view):
    """Views only the 督查室 uses: its own jurisdiction comes from the signed-in person."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        jurisdiction = request_jurisdiction(request)
        require(jurisdiction is not None and access_office(request.user, jurisdiction))
        return view(request, jurisdiction, *args, **kwargs)

    return login_required(wrapped)


# --- cases ----------------------------------------------------------------------------------------


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    require(access.access_cases_page(request.user))
    if not access.access_cases_reader(request.user):
        # A unit's staff have no cases to read: their page is their own decisions.
        return redirect("accountability:my_decisions")
    rows = selectors.cases_visible(request.user)
    state = request.GET.get("state", "")
    step = request.GET.get("step", "")
    mine = request.GET.get("mine") == "1"
    search = request.GET.get("q", "").strip()[:100]
    awaiting = selectors.cases_awaiting_query(request.user)
    if mine:
        rows = awaiting
    if state in Case.State.values:
        rows = rows.filter(state=state)
    if step:
        rows = rows.filter(step=step, state=Case.State.OPEN)
    if search:
        rows = selectors.case_search(rows, search)
    page = paginate(request, rows.order_by("-opened_on", "-id"), per_page=CASES_PER_PAGE)
    rows = list(page.object_list)
    prefetch_related_objects(rows, "opinions")
    steps: dict[str, str] = {}
    for case in rows:
        chain = case_chain(case)
        case.step_obj = next((s for s in chain if s.code == case.step), None)
        case.awaiting_me = access.access_case_act(request.user, case)
        case.last_return = (
            selectors.case_last_return(case) if access.access_case_part(request.user, case, "opinions") else None
        )
        for s in chain:
            steps.setdefault(s.code, s.name)
    jurisdiction = request_jurisdiction(request)
    in_force = rulebook_in_force_or_none(jurisdiction, clock.today()) if jurisdiction is not None else None
    chain_in_force = chain_of(in_force) if in_force is not None else ()
    for s in chain_in_force:
        steps.setdefault(s.code, s.name)
    context = {
        "chain": chain_in_force,
        "rows": rows,
        "state": state,
        "step": step,
        "mine": mine,
        "states": Case.State.choices,
        "steps": list(steps.items()),
        "can_open": jurisdiction is not None and access.access_case_open(request.user, jurisdiction),
        "can_import": jurisdiction is not None and access.access_decision_import(request.user, jurisdiction),
        "awaiting_count": awaiting.count(),
        "page": page,
        "search": search,
        "filtered": bool(state or step or mine or search),
    }
    return render(request, "accountability/cases.html", context)


@office_jurisdiction
def case_new(request: HttpRequest, jurisdiction: Jurisdiction) -> HttpResponse:
    form = forms.NewCaseForm(_posted(request), jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = _open_by_hand(request, jurisdiction, data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已立案：{case.number}。请继续记录调查核实情况。")
            return redirect("accountability:case_detail", pk=case.pk)
    return render(
        request,
        "accountability/case_new.html",
        {"form": form, "jurisdiction": jurisdiction, "overdue": selectors.overdue_tasks_without_case(jurisdiction)},
    )


def _open_by_hand(request, jurisdiction, data) -> Case:
    from django.db import transaction

    with transaction.atomic():
        matter = data["matter"]
        if matter is None:
            matter = services.matter_create(
                actor=request.user,
                jurisdiction=jurisdiction,
                code=data["matter_code"],
                title=data["matter_title"],
                unit=data["unit"],
                source=data["matter_source"],
            )
        return services.case_open(
            actor=request.user,
            jurisdiction=jurisdiction,
            matter=matter,
            unit=data["unit"] or matter.unit,
            investigation=data["investigation"],
        )


@login_required
def decision_import(request: HttpRequest) -> HttpResponse:
    """历史导入: enter a decision made before duban (its own permission; marked 历史导入 wherever it shows)."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_decision_import(request.user, jurisdiction))
    rulebook = rulebook_in_force_or_none(jurisdiction, clock.today())
    require(rulebook is not None)
    form = forms.HistoricalDecisionForm(_posted(request), jurisdiction=jurisdiction, rulebook=rulebook)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_import_historical(
                actor=request.user, jurisdiction=jurisdiction, **form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已历史导入问责决定：{decision}（依据：{decision.historical_source}）。")
            return redirect("accountability:decision_letter", pk=decision.pk)
    return render(request, "accountability/decision_import.html", {"form": form, "jurisdiction": jurisdiction})


@office_jurisdiction
def exemption_new(request: HttpRequest, jurisdiction: Jurisdiction) -> HttpResponse:
    rulebook = rulebook_in_force(jurisdiction, clock.today())
    initial = {"decision": request.GET.get("decision")} if request.method == "GET" else None
    form = forms.ExemptionCaseForm(_posted(request), initial=initial, jurisdiction=jurisdiction, rulebook=rulebook)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user,
                jurisdiction=jurisdiction,
                matter=data["decision"].matter,
                kind=Case.Kind.EXEMPTION,
                exempted_decision=data["decision"],
                exemption_ground=data["exemption_ground"],
                investigation=data["investigation"],
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已登记容错免责申请：{case.number}，按督查问责程序办理（第八条）。")
            return redirect("accountability:case_detail", pk=case.pk)
    return render(request, "accountability/exemption_new.html", {"form": form, "jurisdiction": jurisdiction})


@login_required
def case_open_from_task(request: HttpRequest, task_id: int) -> HttpResponse:
    """立案 from an overdue task of the ledger. GET: the page that offers the task's missed periodic reports
    as evidence (the office ticks those it relies on); POST (also the task page's one click): opens a case
    on its lead unit."""
    task = access_task_by_id(
        request.user, task_id, allowed=lambda user, task: access.access_case_open(user, task.jurisdiction)
    )
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if request.method != "POST":
        return _from_task_page(request, task)
    try:
        case = services.case_open_from_task(actor=request.user, task=task, missed=request.POST.getlist("missed")[:200])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        existing = Case.objects.filter(matter__task=task, state=Case.State.OPEN).first()
        if existing is not None:
            return redirect("accountability:case_detail", pk=existing.pk)
        return redirect(request.META.get("HTTP_REFERER") or reverse("accountability:cases"))
    messages.success(request, f"已由逾期任务立案：{case.number}。请继续记录调查核实情况。")
    return redirect("accountability:case_detail", pk=case.pk)


def _from_task_page(request: HttpRequest, task) -> HttpResponse:
    from duban.ledger.lights import task_light, task_missed_reports
    from duban.ledger.selectors import task_standing

    today = clock.today()
    standing = task_standing(task, today)
    existing = Case.objects.filter(matter__task=task, state=Case.State.OPEN).first()
    return render(
        request,
        "accountability/case_from_task.html",
        {
            "task": task,
            "standing": standing,
            "overdue_days": (today - standing.deadline).days if standing.is_overdue else None,
            "light": task_light(task, today),
            "missed": task_missed_reports(task, today),
            "existing": existing,
            "today": today,
        },
    )


def _investigation_form(case: Case, data=None):
    rulebook = case_rulebook(case)
    if case.kind == Case.Kind.EXEMPTION:
        initial = {"investigation": case.investigation, "exemption_ground": case.exemption_ground}
        return forms.ExemptionInvestigationForm(data, initial=initial, rulebook=rulebook)
    return forms.InvestigationForm(
        data, initial=forms.InvestigationForm.initial_for(case), case=case, rulebook=rulebook
    )


def _detail(request: HttpRequest, case: Case, investigation_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    can_edit = access.access_case_edit(user, case)
    parts = access.case_parts_visible(user, case)  # the rulebook's procedure.visible_to
    context = {
        "case": case,
        "parts": parts,
        **selectors.case_facts(case),
        "history": selectors.case_history(case) if "history" in parts else [],
        "decision_responsibles": (
            case.decision.responsibles.select_related("person").order_by("role") if case.decision_id else []
        ),
        "can_act": access.access_case_act(user, case),
        "can_edit": can_edit,
        "can_letter": access.access_letter_manage(user, case),
        "investigation_form": investigation_form or (_investigation_form(case) if can_edit else None),
        "opinion_form": forms.OpinionForm(initial={"step": case.step}),
        "letter_issue_form": forms.LetterIssueForm(initial={"issued_on": clock.today()}),
        "letter_received_form": forms.LetterReceivedForm(initial={"received_on": clock.today()}),
        "is_first_step": case.step == case_chain(case)[0].code,
        "is_last_step": case.step == case_chain(case)[-1].code,
        "deadline": selectors.appeal_deadline(case.decision) if case.decision_id else None,
    }
    return render(request, "accountability/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.access_case_by_id(request.user, pk))


@login_required
@require_POST
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_case_by_id(request.user, pk, allowed=access.access_case_edit)
    form = _investigation_form(case, request.POST)
    if form.is_valid():
        try:
            services.case_update_investigation(actor=request.user, case=case, data=form.service_data())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, "调查核实情况已保存。")
            return redirect("accountability:case_detail", pk=case.pk)
    messages.error(request, "未保存：请按提示修改。")
    return _detail(request, case, investigation_form=form, status=400)


def _step_post(request, pk: int, action: str) -> HttpResponse:
    case = access.access_case_by_id(request.user, pk)
    if action == "withdraw":
        require(access.access_case_edit(request.user, case))
    else:
        require(access.access_case_act(request.user, case))
    step = request.POST.get("step", "")
    text = request.POST.get("opinion", "")
    if action == "agree":
        before_state = case.state
        ok = _service(
            request, lambda: services.case_agree(actor=request.user, case=case, step=step, opinion=text), "已提交意见。"
        )
        if ok and before_state == Case.State.OPEN:
            case.refresh_from_db()
            if case.state == Case.State.DECIDED:
                messages.success(
                    request,
                    "督查落实委员会已研究同意，问责决定已生效。"
                    if case.kind == Case.Kind.ACCOUNTABILITY
                    else "督查落实委员会已研究同意，该决定予以容错免责。",
                )
    elif action == "return":
        _service(
            request,
            lambda: services.case_return(actor=request.user, case=case, step=step, reason=text),
            "已退回上一环节。",
        )
    else:
        _service(
            request, lambda: services.case_withdraw(actor=request.user, case=case, step=step, reason=text), "已撤案。"
        )
    return redirect("accountability:case_detail", pk=case.pk)


@login_required
@require_POST
def case_agree(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_post(request, pk, "agree")


@login_required
@require_POST
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_post(request, pk, "return")


@login_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_post(request, pk, "withdraw")


@login_required
@require_POST
def case_letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_case_by_id(request.user, pk, allowed=access.access_letter_manage)
    form = forms.LetterIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写意见书文号和送达日期。")
    else:
        _service(
            request,
            lambda: services.case_letter_issue(actor=request.user, case=case, **form.cleaned_data),
            "已登记意见书送达。",
        )
    return redirect("accountability:case_detail", pk=case.pk)


@login_required
@require_POST
def case_letter_received(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_case_by_id(request.user, pk, allowed=access.access_letter_manage)
    form = forms.LetterReceivedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写收到日期。")
    else:
        _service(
            request,
            lambda: services.decision_letter_received(
                actor=request.user, decision=case.decision, received_on=form.cleaned_data["received_on"]
            ),
            "已登记收到意见书日期，申诉期自该日起算。",
        )
    return redirect("accountability:case_detail", pk=case.pk)


# --- 意见书 and the accountable party ---------------------------------------------------------------


@login_required
@require_GET
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.access_decision_by_id(request.user, pk, allowed=access.access_letter_read)
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    case = decision.cases.first()
    context = {
        "decision": decision,
        "case": case,
        "can_read_case": case is not None and access.access_case_read(request.user, case),
        "document": rulebook.data.get("document", {}),
        "situation_text": selectors.decision_situation_text(decision),
        "responsibles": decision.responsibles.select_related("person").order_by("role"),
        "deadline": selectors.appeal_deadline(decision),
        "window_days": rulebook.appeal_window_days,
        "appeal_to": rulebook.value("appeal.decided_by") if rulebook.has_appeal else "",
        "suspends": rulebook.param("appeal.suspends_decision") if rulebook.has_appeal else None,
        "rectifying": [m for m in decision.methods if m in selectors.rectification_methods(decision)],
        "articles": selectors.consequence_articles(decision),
        "issuer": rulebook.data.get("interpretation_by", {}).get("value", ""),
        "downloads": panels.build(panels.DOWNLOADS, request, page="accountability.letter", decision=decision),
    }
    return render(request, "accountability/letter.html", context)


@login_required
@require_GET
def my_decisions(request: HttpRequest) -> HttpResponse:
    require(person_of(request.user) is not None)
    search = _search(request)
    found = selectors.decisions_of_party_query(request.user)
    if search:
        found = selectors.decision_search(found, search)
    page = paginate(request, found, per_page=LIST_PER_PAGE)
    rows = selectors.party_rows(page.object_list)
    for row in rows:
        row.situation_text = selectors.decision_situation_text(row.decision)
    rulebook = rulebook_in_force_or_none(person_of(request.user).jurisdiction, clock.today())
    return render(
        request,
        "accountability/my_decisions.html",
        {
            "rows": rows,
            "page": page,
            "search": search,
            "form": forms.AppealForm(),
            "today": clock.today(),
            # 第八条第（三）项 in the words of the rulebook in force.
            "appeal_window": rulebook.param("appeal.window_days") if rulebook and rulebook.has_appeal else None,
            "suspends": rulebook.param("appeal.suspends_decision") if rulebook and rulebook.has_appeal else None,
        },
    )


@login_required
@require_POST
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.access_decision_by_id(request.user, pk, allowed=access.access_appeal_file)
    form = forms.AppealForm(request.POST)
    form.is_valid()
    _service(
        request,
        lambda: services.appeal_file(actor=request.user, decision=decision, reason=form.cleaned_data.get("reason", "")),
        "申诉已提交，由督查落实委员会复核。申诉期间，督查问责决定不停止执行。",
    )
    return redirect("accountability:my_decisions")


@login_required
@require_GET
def appeals(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_appeals_page(request.user, jurisdiction))
    pending, decided = selectors.appeals_for(jurisdiction)
    search = _search(request)
    if search:
        pending = selectors.decision_search(pending, search)
        decided = selectors.decision_search(decided, search, through="decision__")
    pending_page = paginate(request, pending, per_page=LIST_PER_PAGE, param="pending_page")
    decided_page = paginate(request, decided, per_page=LIST_PER_PAGE)
    pending = selectors.appeals_pending_rows(pending_page.object_list)
    can_decide = bool(pending) and access.access_appeal_decide(request.user, pending[0])
    for decision in pending:
        decision.form = forms.AppealDecideForm(rulebook=rulebook_in_force(decision.jurisdiction, decision.date))
        decision.situation_text = selectors.decision_situation_text(decision)
    return render(
        request,
        "accountability/appeals.html",
        {
            "pending": pending,
            "pending_page": pending_page,
            "decided": decided_page.object_list,
            "page": decided_page,
            "can_decide": can_decide,
            "search": search,
        },
    )


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.access_decision_by_id(request.user, pk, allowed=access.access_appeal_decide)
    form = forms.AppealDecideForm(request.POST, rulebook=rulebook_in_force(decision.jurisdiction, decision.date))
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()))
    else:
        outcome = form.cleaned_data["outcome"]
        labels = {"upheld": "维持原决定", "changed": "变更原决定", "revoked": "撤销原决定"}
        _service(
            request,
            lambda: services.appeal_decide(
                actor=request.user,
                decision=decision,
                outcome=outcome,
                reason=form.cleaned_data["reason"],
                changes=form.changes() if outcome == "changed" else None,
            ),
            f"已登记复核结果：{labels[outcome]}。",
        )
    return redirect("accountability:appeals")


# --- referrals -------------------------------------------------------------------------------------


@login_required
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_referrals_page(request.user, jurisdiction))
    search = _search(request)
    awaiting_query = selectors.decisions_awaiting_referral(jurisdiction)
    referrals_query = selectors.referrals_for(jurisdiction)
    if search:
        awaiting_query = selectors.decision_search(awaiting_query, search)
        referrals_query = selectors.decision_search(referrals_query, search, through="decision__")
    awaiting_page = paginate(request, awaiting_query, per_page=LIST_PER_PAGE, param="awaiting_page")
    page = paginate(request, referrals_query, per_page=LIST_PER_PAGE)
    awaiting = selectors.referrals_awaiting_rows(awaiting_page.object_list)
    can_manage = access.access_referral_manage(request.user, jurisdiction)
    today = clock.today()
    for decision in awaiting:
        people = selectors.referral_people(decision)
        decision.routes = [Referral.Route(r).label for r in selectors.referral_routes(decision, decision.person)]
        decision.form = forms.ReferralForm(
            people=people, initial={"sent_on": today, "target_body": _target_suggestion(decision)}
        )
    rows = selectors.referral_rows(page.object_list, today)
    return render(
        request,
        "accountability/referrals.html",
        {
            "awaiting": awaiting,
            "awaiting_page": awaiting_page,
            "rows": rows,
            "page": page,
            "search": search,
            "can_manage": can_manage,
            "result_form": forms.ReferralResultForm(initial={"result_on": today}),
        },
    )


def _target_suggestion(decision: Decision) -> str:
    routes = selectors.referral_routes(decision, decision.person)
    return selectors.referral_body(decision, routes[0]) if routes else ""


@login_required
@require_POST
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.access_decision_by_id(
        request.user, pk, allowed=lambda user, decision: access.access_referral_manage(user, decision.jurisdiction)
    )
    form = forms.ReferralForm(request.POST, people=selectors.referral_people(decision))
    if not form.is_valid():
        messages.error(request, "请填写接收机关和移送日期。")
    else:
        data = form.cleaned_data
        _service(
            request,
            lambda: services.referral_create(
                actor=request.user,
                decision=decision,
                person=data["person"],
                route=data["route"] or None,
                target_body=data["target_body"],
                sent_on=data["sent_on"],
                due_on=data["due_on"],
            ),
            "已登记移送。",
        )
    return redirect("accountability:referrals")


@login_required
@require_POST
def referral_result(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access.access_referral_by_id(request.user, pk, allowed=access.access_referral_result)
    form = forms.ReferralResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写上报日期。")
    else:
        _service(
            request,
            lambda: services.referral_record_result(actor=request.user, referral=referral, **form.cleaned_data),
            "已登记处理结果。",
        )
    return redirect("accountability:referrals")


# --- rectification -------------------------------------------------------------------------------


@login_required
@require_GET
def rectifications(request: HttpRequest) -> HttpResponse:
    require(access.access_rectifications_page(request.user))
    search = _search(request)
    found = selectors.rectifications_for(request.user)
    if search:
        found = selectors.decision_search(found, search, through="decision__")
    page = paginate(request, found.order_by("state", "due_on", "id"), per_page=LIST_PER_PAGE)
    items = list(page.object_list)
    today = clock.today()
    for item in items:
        item.overdue = item.state == RectificationItem.State.PENDING and item.due_on < today
        item.can_report = access.access_rectification_report(request.user, item) and item.state == "pending"
        item.can_review = access.access_rectification_review(request.user, item) and item.state == "reported"
    jurisdiction = request_jurisdiction(request)
    missing_page = None
    if jurisdiction is not None and access_office(request.user, jurisdiction):
        missing_query = selectors.decisions_needing_rectification(jurisdiction)
        if search:
            missing_query = selectors.decision_search(missing_query, search)
        missing_page = paginate(request, missing_query, per_page=LIST_PER_PAGE, param="missing_page")
    return render(
        request,
        "accountability/rectifications.html",
        {
            "items": items,
            "page": page,
            "search": search,
            "report_form": forms.RectificationReportForm(),
            "review_form": forms.RectificationReviewForm(),
            "missing": missing_page.object_list if missing_page is not None else [],
            "missing_page": missing_page,
            "new_form": forms.RectificationNewForm(),
        },
    )


@login_required
@require_POST
def rectification_new(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.access_decision_by_id(request.user, pk, allowed=access.access_rectification_create)
    form = forms.RectificationNewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写整改要求和整改期限。")
    else:
        _service(
            request,
            lambda: services.rectification_create(actor=request.user, decision=decision, **form.cleaned_data),
            "已产生整改事项。",
        )
    return redirect("accountability:rectifications")


@login_required
@require_POST
def rectification_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_rectification_by_id(request.user, pk, allowed=access.access_rectification_report)
    form = forms.RectificationReportForm(request.POST)
    form.is_valid()
    _service(
        request,
        lambda: services.rectification_report(
            actor=request.user, item=item, report=form.cleaned_data.get("report", "")
        ),
        "整改结果已上报，待督查室审核。",
    )
    return redirect("accountability:rectifications")


@login_required
@require_POST
def rectification_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_rectification_by_id(request.user, pk, allowed=access.access_rectification_review)
    form = forms.RectificationReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择通过或退回。")
    else:
        accept = form.cleaned_data["accept"]
        _service(
            request,
            lambda: services.rectification_review(
                actor=request.user, item=item, accept=accept, note=form.cleaned_data["note"]
            ),
            "整改审核通过。" if accept else "整改结果已退回单位。",
        )
    return redirect("accountability:rectifications")


# --- the regulation ------------------------------------------------------------------------------


@require_GET
def rulebook(request: HttpRequest) -> HttpResponse:
    """问责办法: the rulebook in force in a jurisdiction, article by article (a public document, like
    the gazette that printed it); ?j= picks the jurisdiction, ?date= the day."""
    jurisdiction = request_jurisdiction(request, public=True)
    requested = request.GET.get("date", "")
    day = parse_date(requested) or clock.today()
    if requested and parse_date(requested) is None:
        messages.warning(request, f"日期“{requested[:20]}”无效（应为 YYYY-MM-DD），显示今天施行的办法。")
    found = rulebook_in_force_or_none(jurisdiction, day) if jurisdiction is not None else None
    return render(
        request,
        "accountability/rulebook.html",
        {
            "jurisdiction": jurisdiction,
            "jurisdictions": Jurisdiction.objects.order_by("pk"),
            "day": day,
            "outline": rulebook_outline(found) if found is not None else None,
        },
    )
