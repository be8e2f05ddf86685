"""The only writes to matters and decisions.

Every decision write ends with scoring.services.ledger_sync in the same transaction, so the score
ledger always reflects the stored decisions, and a failure leaves neither half written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import TransitionNotAllowed

from duban import clock
from duban.accountability.models import (
    Appeal,
    Case,
    CaseOpinion,
    CaseResponsible,
    Decision,
    DecisionResponsible,
    Matter,
    RectificationItem,
    Referral,
)
from duban.accountability.procedure import (
    Step,
    case_chain,
    case_current_step,
    case_rulebook,
    chain_of,
    rulebook_for_new_case,
)
from duban.accountability.rulebooks import rulebook_in_force
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.services import audit_record, snapshot
from duban.rules.loader import Rulebook
from duban.rules.model import ACCOUNTABLE_ROLES, SUBJECT_PERSON, SUBJECT_UNIT
from duban.scoring.services import ledger_sync

Responsible = Mapping[str, Iterable[Person]]  # accountable role (第三条) -> people


@transaction.atomic
def matter_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    code: str,
    title: str,
    unit: Unit | None = None,
    source: str = "",
    task: Any = None,
) -> Matter:
    if unit is not None and unit.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"unit": f"责任单位{unit.name}不属于{jurisdiction.name}"})
    if task is not None and task.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"task": f"台账任务{task.ref}不属于{jurisdiction.name}"})
    matter = Matter(jurisdiction=jurisdiction, code=code, title=title, unit=unit, source=source, task=task)
    matter.full_clean()
    matter.save()
    audit_record(actor=actor, action="matter_create", instance=matter, after=snapshot(matter))
    return matter


MATTER_UPDATABLE_FIELDS = ("code", "title", "unit", "source")


@transaction.atomic
def matter_update(*, actor: AbstractBaseUser | None, matter: Matter, data: Mapping[str, Any]) -> Matter:
    unknown = sorted(set(data) - set(MATTER_UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能修改字段：{'、'.join(unknown)}"})
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    before = snapshot(matter)
    for field, value in data.items():
        setattr(matter, field, value)
    if matter.unit is not None and matter.unit.jurisdiction_id != matter.jurisdiction_id:
        raise ValidationError({"unit": f"责任单位{matter.unit.name}不属于{matter.jurisdiction.name}"})
    matter.full_clean()
    matter.save()
    audit_record(actor=actor, action="matter_update", instance=matter, before=before, after=snapshot(matter))
    return matter


# --- decisions -----------------------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    matter: Matter,
    unit: Unit,
    date: dt.date,
    situation_number: int,
    methods: Iterable[str],
    subject: str = SUBJECT_UNIT,
    person: Person | None = None,
    responsible: Responsible | None = None,
    sanctioned_after_referral: bool = False,
    opinion_letter_received: dt.date | None = None,
    note: str = "",
) -> Decision:
    decision = Decision(
        jurisdiction=jurisdiction,
        matter=matter,
        unit=unit,
        date=date,
        subject=subject,
        person=person,
        situation_number=situation_number,
        methods=list(methods),
        sanctioned_after_referral=sanctioned_after_referral,
        opinion_letter_received=opinion_letter_received,
        note=note,
    )
    responsible_rows = _responsible_rows(jurisdiction, responsible or {})
    _validate_decision(decision)
    decision.save()
    for role, person_in_role in responsible_rows:
        DecisionResponsible.objects.create(decision=decision, person=person_in_role, role=role)
    audit_record(actor=actor, action="decision_create", instance=decision, after=_decision_snapshot(decision))
    ledger_sync(jurisdiction=jurisdiction, actor=actor)
    return decision


DECISION_CORRECTABLE_FIELDS = (
    "matter",
    "unit",
    "date",
    "subject",
    "person",
    "situation_number",
    "methods",
    "opinion_letter_received",
    "note",
)


@transaction.atomic
def decision_correct(*, actor: AbstractBaseUser | None, decision: Decision, data: Mapping[str, Any]) -> Decision:
    """Correct a recorded decision (a wrong date, a missing method). The ledger books the difference."""
    unknown = sorted(set(data) - set(DECISION_CORRECTABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能通过更正修改字段：{'、'.join(unknown)}"})
    decision = _locked(decision)
    before = _decision_snapshot(decision)
    for field, value in data.items():
        setattr(decision, field, list(value) if field == "methods" else value)
    _validate_decision(decision)
    decision.save()
    audit_record(
        actor=actor, action="decision_correct", instance=decision, before=before, after=_decision_snapshot(decision)
    )
    ledger_sync(jurisdiction=decision.jurisdiction, actor=actor)
    return decision


@transaction.atomic
def decision_appeal(
    *, actor: AbstractBaseUser | None, decision: Decision, filed_on: dt.date, reason: str = ""
) -> Decision:
    """第八条第（三）项: appeal within the window after receiving the 督查问责意见书.

    The decision stays in force during the appeal (申诉期间不停止执行), so the ledger does not move.
    """
    decision = _locked(decision)
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    received = decision.opinion_letter_received
    if received is not None:
        window_days = int(rulebook.value("appeal.window_days"))
        if filed_on < received:
            raise ValidationError({"filed_on": "申诉日期早于收到督查问责意见书的日期"})
        if (filed_on - received).days > window_days:
            raise ValidationError(
                {"filed_on": f"已超过申诉期限：应在收到督查问责意见书之日起{window_days}日内申诉（第八条第（三）项）"}
            )
    return _transition(decision, actor=actor, action="appeal", verb="申诉", note=reason)


@transaction.atomic
def decision_uphold(*, actor: AbstractBaseUser | None, decision: Decision, reason: str = "") -> Decision:
    """The 督查落实委员会 rejects the appeal: the decision simply stays effective."""
    return _transition(_locked(decision), actor=actor, action="uphold", verb="维持", note=reason)


@transaction.atomic
def decision_revoke(*, actor: AbstractBaseUser | None, decision: Decision, reason: str = "") -> Decision:
    """The appeal succeeds: the decision loses every consequence (reversed in the ledger)."""
    return _transition(_locked(decision), actor=actor, action="revoke", verb="撤销", note=reason)


@transaction.atomic
def decision_exempt(*, actor: AbstractBaseUser | None, decision: Decision, ground: int, reason: str = "") -> Decision:
    """第七条: 容错免责 on one of the rulebook's grounds; the decision loses every consequence."""
    decision = _locked(decision)
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    grounds = sorted(int(item["number"]) for item in rulebook.exemptions)
    if ground not in grounds:
        raise ValidationError(
            {"exemption_ground": f"容错免责情形应为第七条第{grounds[0]}至{grounds[-1]}项，收到：{ground}"}
        )
    decision.exemption_ground = ground
    return _transition(decision, actor=actor, action="exempt", verb="容错免责", note=reason)


@transaction.atomic
def decision_set_sanction(*, actor: AbstractBaseUser | None, decision: Decision, sanctioned: bool) -> Decision:
    """第九条第（六）项: record whether a 党政纪处分 or 组织处理 followed the referral."""
    decision = _locked(decision)
    before = _decision_snapshot(decision)
    decision.sanctioned_after_referral = sanctioned
    _validate_decision(decision)
    decision.save(update_fields=["sanctioned_after_referral"])
    audit_record(
        actor=actor,
        action="decision_set_sanction",
        instance=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    ledger_sync(jurisdiction=decision.jurisdiction, actor=actor)
    return decision


# --- helpers -------------------------------------------------------------------------------------


def _locked(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("jurisdiction").get(pk=decision.pk)


def _transition(decision: Decision, *, actor: AbstractBaseUser | None, action: str, verb: str, note: str) -> Decision:
    before = _decision_snapshot(decision)
    try:
        getattr(decision, action)()
    except TransitionNotAllowed:
        raise ValidationError({"status": f"问责决定当前状态为“{decision.get_status_display()}”，不能{verb}"}) from None
    decision.save()
    after = _decision_snapshot(decision)
    if note:
        after["reason"] = note
    audit_record(actor=actor, action=f"decision_{action}", instance=decision, before=before, after=after)
    ledger_sync(jurisdiction=decision.jurisdiction, actor=actor)
    return decision


def _decision_snapshot(decision: Decision) -> dict[str, Any]:
    data = snapshot(decision) or {}
    data["responsible"] = (
        [
            {"role": row.role, "person_id": row.person_id}
            for row in DecisionResponsible.objects.filter(decision=decision).order_by("role", "person_id")
        ]
        if decision.pk
        else []
    )
    return data


def _responsible_rows(jurisdiction: Jurisdiction, responsible: Responsible) -> list[tuple[str, Person]]:
    rows: list[tuple[str, Person]] = []
    for role, people in responsible.items():
        if role not in ACCOUNTABLE_ROLES:
            raise ValidationError(
                {"responsible": f"未知的责任类型：{role}（第三条规定：{'、'.join(ACCOUNTABLE_ROLES)}）"}
            )
        for person in people:
            if person.jurisdiction_id != jurisdiction.pk:
                raise ValidationError({"responsible": f"责任人{person.name}不属于{jurisdiction.name}"})
            if (role, person) not in rows:
                rows.append((role, person))
    return rows


def _validate_decision(decision: Decision) -> None:
    """Check a decision against its jurisdiction and the rulebook in force on its date; raise all problems."""
    jurisdiction = decision.jurisdiction
    errors: dict[str, str] = {}
    if isinstance(decision.date, str):
        try:
            decision.date = dt.date.fromisoformat(decision.date)
        except ValueError:
            raise ValidationError({"date": f"决定日期格式应为 YYYY-MM-DD，收到：{decision.date}"}) from None
    if decision.matter.jurisdiction_id != jurisdiction.pk:
        errors["matter"] = f"督查事项{decision.matter.code}不属于{jurisdiction.name}"
    if decision.unit.jurisdiction_id != jurisdiction.pk:
        errors["unit"] = f"被问责单位{decision.unit.name}不属于{jurisdiction.name}"
    if decision.subject == SUBJECT_PERSON:
        if decision.person is None:
            errors["person"] = "问责对象为个人时必须指定被问责人"
        elif decision.person.jurisdiction_id != jurisdiction.pk:
            errors["person"] = f"被问责人{decision.person.name}不属于{jurisdiction.name}"
        elif decision.person.unit_id and decision.person.unit_id != decision.unit.pk:
            # 第九条: a person's deductions fall on 所在单位, which must be the decision's unit.
            errors["person"] = f"被问责人{decision.person.name}不在被问责单位{decision.unit.name}"
    elif decision.subject == SUBJECT_UNIT and decision.person is not None:
        errors["person"] = "问责对象为单位时不应指定被问责人"
    if decision.opinion_letter_received and decision.date and decision.opinion_letter_received < decision.date:
        errors["opinion_letter_received"] = "收到督查问责意见书的日期不能早于决定日期"
    rulebook = rulebook_in_force(jurisdiction, decision.date) if decision.date else None
    if rulebook is not None:
        errors.update(_rulebook_errors(decision, rulebook))
    try:
        # The status is the state machine's (protected); only transitions change it.
        decision.full_clean(exclude=[*errors, "status"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, "；".join(messages))
    if errors:
        raise ValidationError(errors)


def _rulebook_errors(decision: Decision, rulebook: Rulebook) -> dict[str, str]:
    errors: dict[str, str] = {}
    methods = decision.methods
    # 第五条: seven methods, usable alone or combined.
    if not isinstance(methods, list) or not methods or not all(isinstance(m, str) for m in methods):
        errors["methods"] = "问责方式不能为空，应为第五条规定的方式名称列表"
    else:
        unknown = [m for m in methods if m not in rulebook.method_names]
        if unknown:
            errors["methods"] = (
                f"未知的问责方式：{'、'.join(unknown)}（第五条规定的方式：{'、'.join(rulebook.method_names)}）"
            )
        elif len(set(methods)) != len(methods):
            errors["methods"] = "问责方式重复"
        else:
            referral = list(rulebook.value("referral.organization_or_discipline"))
            if decision.sanctioned_after_referral and not set(referral) & set(methods):
                errors["sanctioned_after_referral"] = (
                    f"只有{'或'.join(referral)}的决定才能登记移送后受处分（第九条第（六）项）"
                )
    # 第六条: the situation is one of the numbered items.
    numbers = sorted(int(item["number"]) for item in rulebook.situations)
    if decision.situation_number not in numbers:
        errors["situation_number"] = (
            f"问责情形应为第六条第{numbers[0]}至{numbers[-1]}项，收到：{decision.situation_number}"
        )
    return errors


# --- cases: the 第八条 procedure ------------------------------------------------------------------
#
# A case is opened by the 督查室 (by hand, or in one click from an overdue task), investigated at the
# rulebook's first step, and agreed step by step by the actor of each step; a return sends it one
# step back with a reason. The last step's agreement creates the Decision (or exempts one). Each
# write names the step it acts at, so a second click on the same button is refused, not repeated.

PROBLEM_NOTICE = "问题通报"  # 第五条第（一）项 → 第九条第（一）项: 限期整改并上报整改结果
CASE_EDITABLE_FIELDS = (
    "investigation",
    "situation_number",
    "methods",
    "subject",
    "person",
    "responsible",
    "rectification_due",
    "exemption_ground",
)


def _case_snapshot(case: Case) -> dict[str, Any]:
    data = snapshot(case) or {}
    data["responsible"] = (
        [
            {"role": row.role, "person_id": row.person_id}
            for row in CaseResponsible.objects.filter(case=case).order_by("role", "person_id")
        ]
        if case.pk
        else []
    )
    return data


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("jurisdiction", "unit", "matter").get(pk=case.pk)


def _actor_name(actor: AbstractBaseUser | None) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "系统"
    person = Person.objects.filter(user=actor).first()
    return person.name if person is not None else (actor.get_full_name() or actor.get_username())


def _case_number(jurisdiction: Jurisdiction, day: dt.date) -> str:
    # Numbering is per jurisdiction and year; the jurisdiction row is locked while a number is taken.
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()
    prefix = f"{day.year}-"
    taken = Case.objects.filter(jurisdiction=jurisdiction, number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:03d}"


def _refuse_closed(case: Case) -> None:
    if case.state != Case.State.OPEN:
        raise ValidationError({"state": f"案件{case.get_state_display()}，不能再办理或修改"})


def _check_at_step(case: Case, step: str) -> Step:
    chain = case_chain(case)
    current = next((s for s in chain if s.code == case.step), None)
    if current is None:
        raise ValidationError({"step": f"案件所处环节“{case.step}”不在问责规则 {case.rulebook_id} 的程序中"})
    if step != case.step:
        asked = next((s.name for s in chain if s.code == step), step)
        raise ValidationError(
            {"step": f"案件已不在“{asked}”环节（当前环节：{current.name}），请勿重复提交或刷新页面后再办理"}
        )
    return current


def _validate_case(case: Case, rows: list[tuple[str, Person]], *, complete: bool) -> None:
    """Check a case against its jurisdiction and rulebook. ``complete``: ready to leave the first step."""
    rulebook = case_rulebook(case)
    jurisdiction = case.jurisdiction
    errors: dict[str, str] = {}
    if case.unit.jurisdiction_id != jurisdiction.pk:
        errors["unit"] = f"被问责单位{case.unit.name}不属于{jurisdiction.name}"
    if case.matter.jurisdiction_id != jurisdiction.pk:
        errors["matter"] = f"督查事项{case.matter.code}不属于{jurisdiction.name}"
    if complete and not case.investigation.strip():
        errors["investigation"] = "请填写调查核实情况（第八条第（一）项）"
    if case.kind == Case.Kind.EXEMPTION:
        grounds = sorted(int(item["number"]) for item in rulebook.exemptions)
        if case.exemption_ground is None:
            if complete:
                errors["exemption_ground"] = f"请选择容错免责情形（第七条第{grounds[0]}至{grounds[-1]}项）"
        elif case.exemption_ground not in grounds:
            errors["exemption_ground"] = (
                f"容错免责情形应为第七条第{grounds[0]}至{grounds[-1]}项，收到：{case.exemption_ground}"
            )
        if errors:
            raise ValidationError(errors)
        return
    numbers = sorted(int(item["number"]) for item in rulebook.situations)
    if case.situation_number is None:
        if complete:
            errors["situation_number"] = "请选择问责情形（第六条）"
    elif case.situation_number not in numbers:
        errors["situation_number"] = f"问责情形应为第六条第{numbers[0]}至{numbers[-1]}项，收到：{case.situation_number}"
    methods = case.methods
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        errors["methods"] = "拟问责方式应为第五条规定的方式名称列表"
    else:
        unknown = [m for m in methods if m not in rulebook.method_names]
        if unknown:
            errors["methods"] = (
                f"未知的问责方式：{'、'.join(unknown)}（第五条规定的方式：{'、'.join(rulebook.method_names)}）"
            )
        elif len(set(methods)) != len(methods):
            errors["methods"] = "问责方式重复"
        elif complete and not methods:
            errors["methods"] = "请选择拟问责方式（第五条，可单独或合并使用）"
        elif complete and PROBLEM_NOTICE in methods and case.rectification_due is None:
            errors["rectification_due"] = "拟问题通报的，应确定整改期限（第九条第（一）项：限期整改）"
    if case.subject == SUBJECT_PERSON:
        if case.person is None:
            if complete:
                errors["person"] = "问责对象为个人时必须指定被问责人"
        elif case.person.jurisdiction_id != jurisdiction.pk:
            errors["person"] = f"被问责人{case.person.name}不属于{jurisdiction.name}"
        elif case.person.unit_id != case.unit_id:
            errors["person"] = f"被问责人{case.person.name}不在被问责单位{case.unit.name}"
    elif case.subject == SUBJECT_UNIT:
        if case.person is not None:
            errors["person"] = "问责对象为单位时不应指定被问责人"
    else:
        errors["subject"] = f"问责对象应为单位或个人，收到：{case.subject}"
    for _role, person in rows:
        if person.unit_id != case.unit_id:
            errors["responsible"] = f"责任人{person.name}不在被问责单位{case.unit.name}"
    if errors:
        raise ValidationError(errors)


def _replace_responsibles(case: Case, rows: list[tuple[str, Person]]) -> None:
    CaseResponsible.objects.filter(case=case).delete()
    for role, person in rows:
        CaseResponsible.objects.create(case=case, person=person, role=role)


@transaction.atomic
def case_open(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    matter: Matter,
    unit: Unit | None = None,
    kind: str = Case.Kind.ACCOUNTABILITY,
    investigation: str = "",
    situation_number: int | None = None,
    methods: Iterable[str] = (),
    subject: str = SUBJECT_UNIT,
    person: Person | None = None,
    responsible: Responsible | None = None,
    rectification_due: dt.date | None = None,
    exempted_decision: Decision | None = None,
    exemption_ground: int | None = None,
    opened_on: dt.date | None = None,
) -> Case:
    """立案: a case at the first step of the chain of the rulebook in force on ``opened_on``."""
    day = opened_on or clock.today()
    if kind not in Case.Kind.values:
        raise ValidationError({"kind": f"案件类型应为督查问责或容错免责，收到：{kind}"})
    if kind == Case.Kind.EXEMPTION:
        if exempted_decision is None:
            raise ValidationError({"exempted_decision": "容错免责申请须指明所针对的问责决定"})
        exempted_decision = Decision.objects.select_related("unit", "matter").get(pk=exempted_decision.pk)
        if exempted_decision.jurisdiction_id != jurisdiction.pk:
            raise ValidationError({"exempted_decision": f"该问责决定不属于{jurisdiction.name}"})
        if exempted_decision.status != Decision.Status.EFFECTIVE:
            raise ValidationError(
                {"exempted_decision": f"该决定当前状态为“{exempted_decision.get_status_display()}”，不能申请容错免责"}
            )
        if Case.objects.filter(exempted_decision=exempted_decision, state=Case.State.OPEN).exists():
            raise ValidationError({"exempted_decision": "该决定已有办理中的容错免责申请，请勿重复提交"})
        matter, unit = exempted_decision.matter, exempted_decision.unit
        methods, situation_number, subject, person, responsible = (), None, SUBJECT_UNIT, None, None
    unit = unit or matter.unit
    if unit is None:
        raise ValidationError({"unit": "请指定被问责单位"})
    if matter.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"matter": f"督查事项{matter.code}不属于{jurisdiction.name}"})
    rulebook = rulebook_for_new_case(jurisdiction, day)
    chain = chain_of(rulebook)
    case = Case(
        jurisdiction=jurisdiction,
        number=_case_number(jurisdiction, day),
        kind=kind,
        matter=matter,
        unit=unit,
        exempted_decision=exempted_decision,
        exemption_ground=exemption_ground,
        investigation=investigation.strip(),
        situation_number=situation_number,
        methods=list(methods),
        subject=subject,
        person=person,
        rectification_due=rectification_due,
        rulebook_id=rulebook.id,
        step=chain[0].code,
        opened_on=day,
        opened_by=actor if actor is not None and getattr(actor, "pk", None) else None,
    )
    rows = _responsible_rows(jurisdiction, responsible or {})
    _validate_case(case, rows, complete=False)
    case.save()
    _replace_responsibles(case, rows)
    audit_record(actor=actor, action="case_open", instance=case, after=_case_snapshot(case))
    return case


@transaction.atomic
def case_open_from_task(*, actor: AbstractBaseUser | None, task: Any, today: dt.date | None = None) -> Case:
    """One click from an overdue task: the matter is the task, the unit its lead unit."""
    from duban.ledger.models import Task, TaskUnit
    from duban.ledger.selectors import task_standing

    today = today or clock.today()
    task = Task.objects.select_related("document", "jurisdiction").get(pk=task.pk)
    standing = task_standing(task, today)
    if not standing.is_overdue:
        raise ValidationError({"task": f"任务“{task.title}”当前为“{standing.label}”，只有已逾期的任务才能一键立案"})
    if Case.objects.filter(matter__task=task, state=Case.State.OPEN).exists():
        raise ValidationError({"task": "该任务已有办理中的问责案件，请勿重复立案"})
    assignments = list(task.assignments.select_related("unit").order_by("role", "position"))
    lead = next((a.unit for a in assignments if a.role == TaskUnit.Role.LEAD and a.unit_id), None)
    unit = lead or next((a.unit for a in assignments if a.unit_id), None)
    if unit is None:
        raise ValidationError({"task": "该任务没有对应到机构名录的牵头单位，不能一键立案"})
    matter = Matter.objects.filter(jurisdiction=task.jurisdiction, task=task).first()
    if matter is None:
        document = task.document
        matter = matter_create(
            actor=actor,
            jurisdiction=task.jurisdiction,
            code=f"RW{task.pk}"[:40],
            title=task.title[:200],
            unit=unit,
            source=f"{document.doc_no or document.title} {task.ref}".strip(),
            task=task,
        )
    overdue_days = (today - standing.deadline).days
    investigation = (
        f"台账任务 {task.ref}“{task.title}”的完成时限为{_chinese_date(standing.deadline)}，"
        f"截至{_chinese_date(today)}已逾期{overdue_days}日，牵头单位为{unit.name}。"
    )
    return case_open(
        actor=actor,
        jurisdiction=task.jurisdiction,
        matter=matter,
        unit=unit,
        investigation=investigation,
        opened_on=today,
    )


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def case_update_investigation(*, actor: AbstractBaseUser | None, case: Case, data: Mapping[str, Any]) -> Case:
    """The 督查室 records the investigation and the proposal; only while the case is at the first step."""
    unknown = sorted(set(data) - set(CASE_EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能修改字段：{'、'.join(unknown)}"})
    case = _locked_case(case)
    _refuse_closed(case)
    chain = case_chain(case)
    if case.step != chain[0].code:
        raise ValidationError({"step": f"案件已进入“{case_current_step(case).name}”环节，调查核实内容不能再修改"})
    before = _case_snapshot(case)
    fields = dict(data)
    responsible = fields.pop("responsible", None)
    for field, value in fields.items():
        setattr(
            case, field, list(value) if field == "methods" else (value.strip() if isinstance(value, str) else value)
        )
    if case.kind == Case.Kind.EXEMPTION and set(fields) - {"investigation", "exemption_ground"}:
        raise ValidationError({"kind": "容错免责申请只填写调查核实情况和第七条的情形"})
    if responsible is not None:
        rows = _responsible_rows(case.jurisdiction, responsible)
    else:
        rows = [(r.role, r.person) for r in case.responsibles.select_related("person")]
    _validate_case(case, rows, complete=False)
    case.save()
    _replace_responsibles(case, rows)
    after = _case_snapshot(case)
    if after != before:
        audit_record(actor=actor, action="case_update_investigation", instance=case, before=before, after=after)
    return case


@transaction.atomic
def case_agree(
    *,
    actor: AbstractBaseUser | None,
    case: Case,
    step: str,
    opinion: str = "",
    decided_on: dt.date | None = None,
) -> Case:
    """The actor of the current step agrees: the case moves to the next step, or, at the last, is decided."""
    case = _locked_case(case)
    _refuse_closed(case)
    current = _check_at_step(case, step)
    chain = case_chain(case)
    rows = [(r.role, r.person) for r in case.responsibles.select_related("person")]
    if current.order == chain[0].order:
        _validate_case(case, rows, complete=True)
    before = _case_snapshot(case)
    text = opinion.strip() or ("提请审核" if current == chain[0] else "同意")
    CaseOpinion.objects.create(
        case=case,
        step=current.code,
        step_name=current.name,
        verdict=CaseOpinion.Verdict.AGREE,
        text=text,
        actor=_user_or_none(actor),
        actor_name=_actor_name(actor),
    )
    index = chain.index(current)
    if index + 1 < len(chain):
        case.step = chain[index + 1].code
        case.save(update_fields=["step"])
    else:
        _case_decide(case, rows, actor=actor, day=decided_on or clock.today(), opinion=text)
    after = _case_snapshot(case)
    after["opinion"] = {"step": current.code, "verdict": "agree", "text": text}
    audit_record(actor=actor, action="case_agree", instance=case, before=before, after=after)
    return case


@transaction.atomic
def case_return(*, actor: AbstractBaseUser | None, case: Case, step: str, reason: str) -> Case:
    """不同意的退回上一环节: the case goes one step back, with the reason on record."""
    case = _locked_case(case)
    _refuse_closed(case)
    current = _check_at_step(case, step)
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由"})
    chain = case_chain(case)
    index = chain.index(current)
    if index == 0:
        raise ValidationError({"step": f"“{current.name}”是第一个环节，不能退回；不予问责的可撤案"})
    before = _case_snapshot(case)
    CaseOpinion.objects.create(
        case=case,
        step=current.code,
        step_name=current.name,
        verdict=CaseOpinion.Verdict.RETURN,
        text=reason.strip(),
        actor=_user_or_none(actor),
        actor_name=_actor_name(actor),
    )
    case.step = chain[index - 1].code
    case.save(update_fields=["step"])
    after = _case_snapshot(case)
    after["opinion"] = {"step": current.code, "verdict": "return", "text": reason.strip()}
    audit_record(actor=actor, action="case_return", instance=case, before=before, after=after)
    return case


@transaction.atomic
def case_withdraw(*, actor: AbstractBaseUser | None, case: Case, step: str, reason: str) -> Case:
    """撤案: at the first step, the 督查室 finds no accountability is due."""
    case = _locked_case(case)
    _refuse_closed(case)
    current = _check_at_step(case, step)
    if current != case_chain(case)[0]:
        raise ValidationError({"step": "只有在调查核实环节才能撤案"})
    if not reason.strip():
        raise ValidationError({"reason": "撤案须说明理由"})
    before = _case_snapshot(case)
    CaseOpinion.objects.create(
        case=case,
        step=current.code,
        step_name=current.name,
        verdict=CaseOpinion.Verdict.WITHDRAW,
        text=reason.strip(),
        actor=_user_or_none(actor),
        actor_name=_actor_name(actor),
    )
    case.state = Case.State.WITHDRAWN
    case.save(update_fields=["state"])
    after = _case_snapshot(case)
    after["opinion"] = {"step": current.code, "verdict": "withdraw", "text": reason.strip()}
    audit_record(actor=actor, action="case_withdraw", instance=case, before=before, after=after)
    return case


def _case_decide(case: Case, rows: list[tuple[str, Person]], *, actor, day: dt.date, opinion: str) -> None:
    if case.kind == Case.Kind.EXEMPTION:
        decision = decision_exempt(
            actor=actor,
            decision=case.exempted_decision,
            ground=case.exemption_ground,
            reason=f"容错免责案件{case.number}：{opinion}",
        )
    else:
        if PROBLEM_NOTICE in case.methods and case.rectification_due and case.rectification_due < day:
            raise ValidationError(
                {"rectification_due": f"整改期限{case.rectification_due}早于决定日期{day}，请退回督查室修改"}
            )
        responsible: dict[str, list[Person]] = {}
        for role, person in rows:
            responsible.setdefault(role, []).append(person)
        decision = decision_create(
            actor=actor,
            jurisdiction=case.jurisdiction,
            matter=case.matter,
            unit=case.unit,
            date=day,
            situation_number=case.situation_number,
            methods=case.methods,
            subject=case.subject,
            person=case.person,
            responsible=responsible,
            note=f"督查问责案件{case.number}",
        )
        if PROBLEM_NOTICE in case.methods:
            rectification_create(
                actor=actor,
                decision=decision,
                due_on=case.rectification_due,
                requirement=f"针对{case.matter.title}存在的问题限期整改，并向督查落实委员会上报整改结果",
            )
    case.decision = decision
    case.state = Case.State.DECIDED
    case.decided_on = day
    case.save(update_fields=["decision", "state", "decided_on"])


def _user_or_none(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


# --- 督查问责意见书 --------------------------------------------------------------------------------


@transaction.atomic
def case_letter_issue(*, actor: AbstractBaseUser | None, case: Case, letter_number: str, issued_on: dt.date) -> Case:
    """Record that the 督查问责意见书 was issued and sent to the accountable party."""
    case = _locked_case(case)
    if case.state != Case.State.DECIDED or case.kind != Case.Kind.ACCOUNTABILITY or case.decision_id is None:
        raise ValidationError({"state": "只有已决定的督查问责案件才能送达意见书"})
    if case.letter_issued_on is not None:
        raise ValidationError({"letter_issued_on": f"意见书已于{case.letter_issued_on}送达登记，请勿重复提交"})
    if not letter_number.strip():
        raise ValidationError({"letter_number": "请填写意见书文号"})
    if issued_on < case.decided_on:
        raise ValidationError({"issued_on": "送达日期不能早于决定日期"})
    before = _case_snapshot(case)
    case.letter_number = letter_number.strip()
    case.letter_issued_on = issued_on
    case.save(update_fields=["letter_number", "letter_issued_on"])
    audit_record(actor=actor, action="case_letter_issue", instance=case, before=before, after=_case_snapshot(case))
    return case


@transaction.atomic
def decision_letter_received(*, actor: AbstractBaseUser | None, decision: Decision, received_on: dt.date) -> Decision:
    """Record the day the accountable party received the 意见书: the appeal window runs from it."""
    decision = _locked(decision)
    if decision.opinion_letter_received is not None:
        raise ValidationError({"received_on": f"已登记于{decision.opinion_letter_received}收到意见书，请勿重复提交"})
    case = Case.objects.filter(decision=decision).first()
    if case is not None and case.letter_issued_on is None:
        raise ValidationError({"received_on": "请先登记意见书送达"})
    if case is not None and received_on < case.letter_issued_on:
        raise ValidationError({"received_on": "收到日期不能早于送达日期"})
    if received_on > clock.today():
        raise ValidationError({"received_on": "收到日期不能晚于今天"})
    return decision_correct(actor=actor, decision=decision, data={"opinion_letter_received": received_on})


def appeal_deadline(decision: Decision) -> dt.date | None:
    """The last day to appeal: the window of the rulebook in force, counted from receipt (第八条第（三）项)."""
    if decision.opinion_letter_received is None:
        return None
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    return decision.opinion_letter_received + dt.timedelta(days=int(rulebook.value("appeal.window_days")))


# --- 申诉复核 -------------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(
    *, actor: AbstractBaseUser | None, decision: Decision, reason: str, filed_on: dt.date | None = None
) -> Appeal:
    """The accountable party appeals; the decision stays in force meanwhile (执行不停止)."""
    decision = _locked(decision)
    filed_on = filed_on or clock.today()
    if not reason.strip():
        raise ValidationError({"reason": "请填写申诉理由"})
    if decision.status == Decision.Status.UNDER_APPEAL:
        raise ValidationError({"status": "该决定已在申诉复核中，请勿重复提交"})
    earlier = Appeal.objects.filter(decision=decision).exclude(outcome=Appeal.Outcome.PENDING).first()
    if earlier is not None:
        raise ValidationError({"status": f"该决定已经申诉复核（{earlier.get_outcome_display()}），不能再次申诉"})
    if decision.status != Decision.Status.EFFECTIVE:
        raise ValidationError({"status": f"该决定当前状态为“{decision.get_status_display()}”，不能申诉"})
    if decision.opinion_letter_received is None:
        raise ValidationError({"filed_on": "尚未登记收到督查问责意见书的日期，申诉期限无从起算，请联系督查室"})
    deadline = appeal_deadline(decision)
    if filed_on > deadline:
        window = (deadline - decision.opinion_letter_received).days
        raise ValidationError(
            {
                "filed_on": (
                    f"已超过申诉期限：应在收到督查问责意见书之日（{decision.opinion_letter_received}）起{window}日内、"
                    f"即{deadline}前申诉（第八条第（三）项）"
                )
            }
        )
    appeal = Appeal.objects.create(
        decision=decision,
        filed_on=filed_on,
        filed_by=_user_or_none(actor),
        filer_name=_actor_name(actor),
        reason=reason.strip(),
    )
    decision_appeal(actor=actor, decision=decision, filed_on=filed_on, reason=reason.strip())
    audit_record(actor=actor, action="appeal_file", instance=appeal, after=snapshot(appeal))
    return appeal


APPEAL_CHANGEABLE_FIELDS = ("situation_number", "methods")


@transaction.atomic
def appeal_decide(
    *,
    actor: AbstractBaseUser | None,
    decision: Decision,
    outcome: str,
    reason: str,
    changes: Mapping[str, Any] | None = None,
    decided_on: dt.date | None = None,
) -> Decision:
    """申诉复核 by the 督查落实委员会: upheld, changed (corrected, then in force) or revoked.

    The score ledger follows through appended rows (ledger_sync): nothing booked is edited.
    """
    decision = _locked(decision)
    if decision.status != Decision.Status.UNDER_APPEAL:
        raise ValidationError(
            {"status": f"该决定当前状态为“{decision.get_status_display()}”，没有待复核的申诉，请勿重复提交"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "请填写复核意见"})
    appeal = Appeal.objects.select_for_update().filter(decision=decision, outcome=Appeal.Outcome.PENDING).first()
    before = snapshot(appeal) if appeal is not None else None
    if outcome == Appeal.Outcome.UPHELD:
        decision = decision_uphold(actor=actor, decision=decision, reason=reason.strip())
    elif outcome == Appeal.Outcome.REVOKED:
        decision = decision_revoke(actor=actor, decision=decision, reason=reason.strip())
    elif outcome == Appeal.Outcome.CHANGED:
        data = dict(changes or {})
        unknown = sorted(set(data) - set(APPEAL_CHANGEABLE_FIELDS))
        if unknown or not data:
            raise ValidationError({"changes": "变更决定须给出新的问责情形或问责方式"})
        if all(data[k] == getattr(decision, k) for k in data):
            raise ValidationError({"changes": "变更后的内容与原决定相同；不作变更的请选择“维持”"})
        decision = decision_correct(actor=actor, decision=decision, data=data)
        decision = decision_uphold(actor=actor, decision=decision, reason=reason.strip())
    else:
        raise ValidationError({"outcome": f"复核结果应为维持、变更或撤销，收到：{outcome}"})
    if appeal is not None:
        appeal.outcome = outcome
        appeal.outcome_reason = reason.strip()
        appeal.decided_on = decided_on or clock.today()
        appeal.decided_by = _user_or_none(actor)
        appeal.save()
        audit_record(actor=actor, action="appeal_decide", instance=appeal, before=before, after=snapshot(appeal))
    return decision


# --- 移送处理 (第八条第（二）项第2、3目) -------------------------------------------------------------


def referral_routes(decision: Decision, person: Person | None = None) -> list[str]:
    """Where a decision goes: a vertically managed unit gets a letter to its superior; 科级及以下 cadres are
    sent to their county or department; others to the 组织部门 / 纪检监察机关 the methods name."""
    if decision.unit.vertically_managed:
        return [Referral.Route.VERTICAL_LETTER]
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    named = [m for m in decision.methods if m in rulebook.value("referral.organization_or_discipline")]
    if not named:
        return []
    if person is not None and person.cadre_level == Person.CadreLevel.SECTION_AND_BELOW:
        return [Referral.Route.COUNTY_OR_DEPARTMENT]
    by_method = {"建议组织部门处理": Referral.Route.ORGANIZATION, "建议纪检监察机关处理": Referral.Route.DISCIPLINE}
    return [by_method[m] for m in named if m in by_method]


def referral_people(decision: Decision) -> list[Person]:
    people = [decision.person] if decision.person_id else []
    for row in decision.responsibles.select_related("person").order_by("role", "person__name"):
        if row.person not in people:
            people.append(row.person)
    return people


@transaction.atomic
def referral_create(
    *,
    actor: AbstractBaseUser | None,
    decision: Decision,
    target_body: str,
    sent_on: dt.date,
    person: Person | None = None,
    route: str | None = None,
    due_on: dt.date | None = None,
) -> Referral:
    decision = _locked(decision)
    if decision.status in (Decision.Status.REVOKED, Decision.Status.EXEMPTED):
        raise ValidationError({"decision": f"该决定已{decision.get_status_display()}，不再移送"})
    if person is not None and person not in referral_people(decision):
        raise ValidationError({"person": f"{person.name}不是该决定的被问责人或责任人"})
    allowed = referral_routes(decision, person)
    if not allowed:
        raise ValidationError({"route": "该决定没有建议组织部门或纪检监察机关处理，单位也不是垂直管理单位，无需移送"})
    route = route or allowed[0]
    if route not in allowed:
        labels = "、".join(Referral.Route(r).label for r in allowed)
        raise ValidationError(
            {
                "route": f"该决定应{labels}（第八条第（二）项），不能“{Referral.Route(route).label if route in Referral.Route.values else route}”"
            }
        )
    if not target_body.strip():
        raise ValidationError({"target_body": "请填写接收机关"})
    if sent_on < decision.date:
        raise ValidationError({"sent_on": "移送日期不能早于决定日期"})
    if Referral.objects.filter(decision=decision, route=route, person=person).exists():
        raise ValidationError({"route": "已登记该移送，请勿重复提交"})
    if route == Referral.Route.COUNTY_OR_DEPARTMENT and due_on is None:
        # 在规定时间内上报处理结果: the office sets the term; the rulebook gives the default.
        rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
        due_on = sent_on + dt.timedelta(days=int(rulebook.value("referral.report_back_days")))
    if due_on is not None and due_on < sent_on:
        raise ValidationError({"due_on": "上报期限不能早于移送日期"})
    referral = Referral.objects.create(
        decision=decision,
        route=route,
        person=person,
        target_body=target_body.strip(),
        sent_on=sent_on,
        due_on=due_on,
        created_by=_user_or_none(actor),
    )
    audit_record(actor=actor, action="referral_create", instance=referral, after=snapshot(referral))
    return referral


@transaction.atomic
def referral_record_result(
    *, actor: AbstractBaseUser | None, referral: Referral, result: str, result_on: dt.date, sanctioned: bool
) -> Referral:
    """The receiving body's result; a sanction is booked on the decision (第九条第（六）项)."""
    referral = Referral.objects.select_for_update().select_related("decision").get(pk=referral.pk)
    if referral.result_on is not None:
        raise ValidationError({"result": f"处理结果已于{referral.result_on}登记，请勿重复提交"})
    if not result.strip():
        raise ValidationError({"result": "请填写处理结果"})
    if result_on < referral.sent_on:
        raise ValidationError({"result_on": "结果上报日期不能早于移送日期"})
    before = snapshot(referral)
    referral.result = result.strip()
    referral.result_on = result_on
    referral.sanctioned = sanctioned
    referral.save()
    if sanctioned and not referral.decision.sanctioned_after_referral:
        decision_set_sanction(actor=actor, decision=referral.decision, sanctioned=True)
    audit_record(
        actor=actor, action="referral_record_result", instance=referral, before=before, after=snapshot(referral)
    )
    return referral


# --- 整改 (第九条第（一）项) ----------------------------------------------------------------------


@transaction.atomic
def rectification_create(
    *, actor: AbstractBaseUser | None, decision: Decision, due_on: dt.date | None, requirement: str
) -> RectificationItem:
    if PROBLEM_NOTICE not in decision.methods:
        raise ValidationError({"decision": "只有问题通报的决定才产生整改事项（第九条第（一）项）"})
    if due_on is None:
        raise ValidationError({"due_on": "请确定整改期限"})
    if due_on < decision.date:
        raise ValidationError({"due_on": "整改期限不能早于决定日期"})
    if not requirement.strip():
        raise ValidationError({"requirement": "请填写整改要求"})
    if RectificationItem.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": "该决定已有整改事项，请勿重复提交"})
    item = RectificationItem.objects.create(
        decision=decision, unit=decision.unit, due_on=due_on, requirement=requirement.strip()
    )
    audit_record(actor=actor, action="rectification_create", instance=item, after=snapshot(item))
    return item


def _locked_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def rectification_report(
    *, actor: AbstractBaseUser | None, item: RectificationItem, report: str, reported_on: dt.date | None = None
) -> RectificationItem:
    """The unit's 联络员 reports the rectification result."""
    item = _locked_item(item)
    if item.state != RectificationItem.State.PENDING:
        raise ValidationError({"state": f"该整改事项{item.get_state_display()}，请勿重复提交"})
    if not report.strip():
        raise ValidationError({"report": "请填写整改结果"})
    before = snapshot(item)
    item.report = report.strip()
    item.reported_on = reported_on or clock.today()
    item.reported_by = _user_or_none(actor)
    item.state = RectificationItem.State.REPORTED
    item.save()
    audit_record(actor=actor, action="rectification_report", instance=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def rectification_review(
    *, actor: AbstractBaseUser | None, item: RectificationItem, accept: bool, note: str = ""
) -> RectificationItem:
    """The 督查室 accepts the reported result, or returns it to the unit with a reason."""
    item = _locked_item(item)
    if item.state != RectificationItem.State.REPORTED:
        raise ValidationError({"state": f"该整改事项{item.get_state_display()}，没有待审核的整改结果"})
    if not accept and not note.strip():
        raise ValidationError({"note": "退回须说明理由"})
    before = snapshot(item)
    item.state = RectificationItem.State.ACCEPTED if accept else RectificationItem.State.PENDING
    item.review_note = note.strip()
    item.save()
    audit_record(
        actor=actor,
        action="rectification_accept" if accept else "rectification_return",
        instance=item,
        before=before,
        after=snapshot(item),
    )
    return item
