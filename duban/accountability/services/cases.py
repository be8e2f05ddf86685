"""Cases: the 第八条 procedure.

A case is opened by the 督查室 (by hand, or in one click from an overdue task), investigated at the
rulebook's first step, and agreed step by step by the actor of each step; a return sends it one
step back with a reason. The last step's agreement creates the Decision (or exempts one). Each
write names the step it acts at, so a second click on the same button is refused, not repeated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban import clock
from duban.accountability.models import Case, CaseOpinion, CaseResponsible, Decision, Matter
from duban.accountability.procedure import (
    Step,
    case_chain,
    case_current_step,
    case_rulebook,
    chain_of,
    returns_to,
    rulebook_for_new_case,
)
from duban.accountability.services._shared import (
    Responsible,
    _actor_name,
    _chinese_date,
    _responsible_rows,
    _user_or_none,
    methods_problem,
    snapshot_with_responsibles,
)
from duban.accountability.services.decisions import decision_create, decision_exempt
from duban.accountability.services.matters import matter_create
from duban.accountability.services.rectification import rectification_create
from duban.accountability.services.reminders import case_step_leave, case_step_reached
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction, Jurisdiction, Person, Unit
from duban.accounts.services import audit_record
from duban.inputs import date_problem, has_visible_text, parse_int, visible_text
from duban.rules.model import RECTIFICATION, SUBJECT_PERSON, SUBJECT_UNIT

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
    return snapshot_with_responsibles(case, CaseResponsible.objects.filter(case=case))


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(no_key=True, of=("self",))
        .select_related("jurisdiction", "unit", "matter")
        .get(pk=case.pk)
    )


def _case_number(jurisdiction: Jurisdiction, day: dt.date) -> str:
    # Numbering is per jurisdiction and year; the jurisdiction row is locked while a number is taken.
    Jurisdiction.objects.select_for_update(no_key=True).filter(pk=jurisdiction.pk).first()
    prefix = f"{day.year}-"
    taken = Case.objects.filter(jurisdiction=jurisdiction, number__startswith=prefix).values_list("number", flat=True)
    serials = (parse_int(n[len(prefix) :]) for n in taken)
    highest = max((serial for serial in serials if serial is not None), default=0)
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


def _rectifying(case: Case) -> list[str]:
    """The proposed methods that oblige the unit to rectify (第九条第（一）项: 问题通报), per the case's rulebook."""
    obliging = case_rulebook(case).methods_with_effect(RECTIFICATION)
    return [m for m in case.methods if m in obliging]


def _validate_case(case: Case, rows: list[tuple[str, Person]], *, complete: bool) -> None:
    """Check a case against its jurisdiction and rulebook. ``complete``: ready to leave the first step."""
    rulebook = case_rulebook(case)
    jurisdiction = case.jurisdiction
    errors: dict[str, str] = {}
    if case.unit.jurisdiction_id != jurisdiction.pk:
        errors["unit"] = f"被问责单位{case.unit.name}不属于{jurisdiction.name}"
    if case.matter.jurisdiction_id != jurisdiction.pk:
        errors["matter"] = f"督查事项{case.matter.code}不属于{jurisdiction.name}"
    if complete and not has_visible_text(case.investigation):
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
    elif methods_problem(methods, rulebook):
        errors["methods"] = methods_problem(methods, rulebook)
    elif complete and not methods:
        errors["methods"] = "请选择拟问责方式（第五条，可单独或合并使用）"
    elif date_problem(case.rectification_due, "整改期限"):
        errors["rectification_due"] = date_problem(case.rectification_due, "整改期限")
    elif complete and _rectifying(case) and case.rectification_due is None:
        errors["rectification_due"] = (
            f"拟{'、'.join(_rectifying(case))}的，应确定整改期限（第九条第（一）项：限期整改）"
        )
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
    refuse_implausible_dates(opened_on=(day, "立案日期"), rectification_due=(rectification_due, "整改期限"))
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
        investigation=visible_text(investigation),
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
    rows = _responsible_rows(jurisdiction, responsible or {}, rulebook=rulebook)
    _validate_case(case, rows, complete=False)
    case.save()
    _replace_responsibles(case, rows)
    audit_record(actor=actor, action=AuditAction.CASE_OPEN, instance=case, after=_case_snapshot(case))
    case_step_reached(actor=actor, case=case)
    return case


@transaction.atomic
def case_open_from_task(
    *, actor: AbstractBaseUser | None, task: Any, today: dt.date | None = None, missed: Sequence[str] = ()
) -> Case:
    """One click from an overdue task: the matter is the task, the unit its lead unit. ``missed`` are the
    missed periodic reports the office chose as evidence (``"<unit pk>:<period>"``, of
    duban.ledger.lights.task_missed_reports): they are written into the investigation. Whether they are a
    第六条 situation of 慢作为 is the office's finding at the investigation, not duban's."""
    from duban.ledger.lights import task_missed_reports
    from duban.ledger.models import Task, TaskUnit
    from duban.ledger.selectors import task_standing

    today = today or clock.today()
    task = Task.objects.select_related("document", "source", "jurisdiction").get(pk=task.pk)
    standing = task_standing(task, today)
    if not standing.is_overdue:
        raise ValidationError({"task": f"任务“{task.title}”当前为“{standing.label}”，只有已逾期的任务才能一键立案"})
    owed = {f"{m.unit.pk}:{m.period.code}": m for m in task_missed_reports(task, today)} if missed else {}
    unknown = [code for code in missed if code not in owed]
    if unknown:
        raise ValidationError({"missed": f"所选漏报记录不属于该任务（{'、'.join(unknown)[:60]}），请重新选择"})
    evidence = [owed[code] for code in dict.fromkeys(missed)]
    if Case.objects.filter(matter__task=task, state=Case.State.OPEN).exists():
        raise ValidationError({"task": "该任务已有办理中的问责案件，请勿重复立案"})
    assignments = list(task.assignments.select_related("unit").order_by("role", "position"))
    lead = next((a.unit for a in assignments if a.role == TaskUnit.Role.LEAD and a.unit_id), None)
    unit = lead or next((a.unit for a in assignments if a.unit_id), None)
    if unit is None:
        raise ValidationError({"task": "该任务没有对应到机构名录的牵头单位，不能一键立案"})
    matter = Matter.objects.filter(jurisdiction=task.jurisdiction, task=task).first()
    if matter is None:
        matter = matter_create(
            actor=actor,
            jurisdiction=task.jurisdiction,
            code=f"RW{task.pk}"[:40],
            title=task.title[:200],
            unit=unit,
            source=f"{task.source_summary} {task.ref}".strip()[:200],
            task=task,
        )
    overdue_days = (today - standing.deadline).days
    investigation = (
        f"台账任务 {task.ref}“{task.title}”的完成时限为{_chinese_date(standing.deadline)}，"
        f"截至{_chinese_date(today)}已逾期{overdue_days}日，牵头单位为{unit.name}。"
    )
    if evidence:
        items = "；".join(f"{m.unit.name}{m.period.label}（应于{_chinese_date(m.due)}前报送）" for m in evidence)
        investigation += f"漏报进度{len(evidence)}次：{items}。"
    return case_open(
        actor=actor,
        jurisdiction=task.jurisdiction,
        matter=matter,
        unit=unit,
        investigation=investigation,
        opened_on=today,
    )


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
            case,
            field,
            list(value) if field == "methods" else (visible_text(value) if isinstance(value, str) else value),
        )
    if case.kind == Case.Kind.EXEMPTION and set(fields) - {"investigation", "exemption_ground"}:
        raise ValidationError({"kind": "容错免责申请只填写调查核实情况和第七条的情形"})
    if responsible is not None:
        rows = _responsible_rows(case.jurisdiction, responsible, rulebook=case_rulebook(case))
    else:
        rows = [(r.role, r.person) for r in case.responsibles.select_related("person")]
    _validate_case(case, rows, complete=False)
    case.save()
    _replace_responsibles(case, rows)
    after = _case_snapshot(case)
    if after != before:
        audit_record(
            actor=actor, action=AuditAction.CASE_UPDATE_INVESTIGATION, instance=case, before=before, after=after
        )
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
    refuse_implausible_dates(decided_on=(decided_on, "决定日期"))
    chain = case_chain(case)
    rows = [(r.role, r.person) for r in case.responsibles.select_related("person")]
    if current.order == chain[0].order:
        _validate_case(case, rows, complete=True)
    before = _case_snapshot(case)
    case_step_leave(actor=actor, case=case)
    text = visible_text(opinion) or ("提请审核" if current == chain[0] else "同意")
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
    audit_record(actor=actor, action=AuditAction.CASE_AGREE, instance=case, before=before, after=after)
    case_step_reached(actor=actor, case=case)
    return case


@transaction.atomic
def case_return(*, actor: AbstractBaseUser | None, case: Case, step: str, reason: str) -> Case:
    """不同意的退回上一环节: the case goes back (one step, or to the first where the rulebook says so:
    procedure.rejection_returns_to_previous_step), with the reason on record."""
    case = _locked_case(case)
    _refuse_closed(case)
    current = _check_at_step(case, step)
    reason = required_text("reason", reason, "退回须说明理由")
    chain = case_chain(case)
    index = chain.index(current)
    if index == 0:
        raise ValidationError({"step": f"“{current.name}”是第一个环节，不能退回；不予问责的可撤案"})
    before = _case_snapshot(case)
    case_step_leave(actor=actor, case=case)
    CaseOpinion.objects.create(
        case=case,
        step=current.code,
        step_name=current.name,
        verdict=CaseOpinion.Verdict.RETURN,
        text=reason,
        actor=_user_or_none(actor),
        actor_name=_actor_name(actor),
    )
    case.step = returns_to(case_rulebook(case), chain, current).code
    case.save(update_fields=["step"])
    after = _case_snapshot(case)
    after["opinion"] = {"step": current.code, "verdict": "return", "text": reason}
    audit_record(actor=actor, action=AuditAction.CASE_RETURN, instance=case, before=before, after=after)
    case_step_reached(actor=actor, case=case)
    return case


@transaction.atomic
def case_withdraw(*, actor: AbstractBaseUser | None, case: Case, step: str, reason: str) -> Case:
    """撤案: at the first step, the 督查室 finds no accountability is due."""
    case = _locked_case(case)
    _refuse_closed(case)
    current = _check_at_step(case, step)
    if current != case_chain(case)[0]:
        raise ValidationError({"step": "只有在调查核实环节才能撤案"})
    reason = required_text("reason", reason, "撤案须说明理由")
    before = _case_snapshot(case)
    case_step_leave(actor=actor, case=case)
    CaseOpinion.objects.create(
        case=case,
        step=current.code,
        step_name=current.name,
        verdict=CaseOpinion.Verdict.WITHDRAW,
        text=reason,
        actor=_user_or_none(actor),
        actor_name=_actor_name(actor),
    )
    case.state = Case.State.WITHDRAWN
    case.save(update_fields=["state"])
    after = _case_snapshot(case)
    after["opinion"] = {"step": current.code, "verdict": "withdraw", "text": reason}
    audit_record(actor=actor, action=AuditAction.CASE_WITHDRAW, instance=case, before=before, after=after)
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
        if _rectifying(case) and case.rectification_due and case.rectification_due < day:
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
        if _rectifying(case):
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
