"""The Word notices of the office (duban/reports/exports.py names them): 督办单, 督查问责意见书, 通报批评 /
公开曝光, the monthly ranking notice and the annual assessment table. Each reads what its page shows, through
the same selectors, and renders a template of the jurisdiction (duban/reports/docx.py).

A document that has no number of its own takes a 发文字号 through `document_issue` (ranking notice,
assessment, 通报批评 / 公开曝光), in the same transaction as its rendering: a template that fails to render
leaves no number taken. The 督办单 and the 意见书 carry the numbers the ledger and the case gave them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from duban import clock
from duban.accountability import selectors as accountability_selectors
from duban.accountability.models import Decision
from duban.accountability.rulebooks import rulebook_in_force_or_none
from duban.ledger import selectors as ledger_selectors
from duban.ledger.models import SupervisionOrder
from duban.reports.docx import chinese_date, issuer_of, render_docx
from duban.reports.exports import ExportError, ExportRequest
from duban.reports.services import document_issue
from duban.rules import model as rules
from duban.scoring import selectors as scoring_selectors

RECIPIENT_ALL = "各县区人民政府，市政府各部门："
RECIPIENT_COUNTY = "各乡镇人民政府、街道办事处，区政府各部门："
# Method codes the notices key on (the rulebook names each: methods[].code).
METHOD_CRITICISM = "criticism"  # 通报批评 (第五条第（二）项)


def _recipient(jurisdiction) -> str:
    return RECIPIENT_COUNTY if jurisdiction.level == "county" else RECIPIENT_ALL


def _p(text: str, level: int = 0) -> dict[str, Any]:
    return {"level": level, "text": text}


def _regulation(jurisdiction, day) -> str:
    """《办法》（文号）, as the documents cite the regulation in force on `day`."""
    rulebook = rulebook_in_force_or_none(jurisdiction, day)
    document = (rulebook.data.get("document") or {}) if rulebook is not None else {}
    title = document.get("title") or "督查问责办法"
    return f"《{title}》" + (f"（{document['doc_no']}）" if document.get("doc_no") else "")


def _frame(jurisdiction, kind: str, *, reference: str, title: str, day, recipient: str) -> dict[str, Any]:
    issuer = issuer_of(jurisdiction, kind)
    today = clock.today()
    return {
        "jurisdiction": jurisdiction.name,
        "mark": issuer.mark,
        "issuer": issuer.issuer,
        "printer": issuer.printer,
        "reference": reference,
        "title": title,
        "recipient": recipient,
        "date": chinese_date(day),
        "printed_on": chinese_date(today),
        "body": [],
        "after": [],
        "articles": [],
        "closing": [],
    }


def _numbered(request: ExportRequest, *, kind: str, subject_key: str, title: str, template: str, build) -> bytes:
    """Number the document (its subject keeps the number it had) and render it, in one transaction."""
    with transaction.atomic():
        issued = document_issue(
            actor=request.actor, jurisdiction=request.jurisdiction, kind=kind, subject_key=subject_key, title=title
        )
        return render_docx(jurisdiction=request.jurisdiction, template=template, context=build(issued.reference))


# --- 督办单 ---------------------------------------------------------------------------------------------


def _order(request: ExportRequest) -> SupervisionOrder:
    order = (
        SupervisionOrder.objects.filter(pk=request.order_id, jurisdiction=request.jurisdiction)
        .select_related("task__document", "unit", "jurisdiction")
        .first()
    )
    if order is None:
        raise ExportError(f"{request.jurisdiction.name}没有编号为 {request.order_id} 的督办单")
    return order


def order_docx(request: ExportRequest) -> bytes:
    """督办单 as the order page shows it, under its own number (督办〔2020〕N号)."""
    order = _order(request)
    task = order.task
    standing = ledger_selectors.task_standing(task)
    context = _frame(
        request.jurisdiction,
        "order",
        reference=order.number,
        title="督 办 单",
        day=order.issued_on,
        recipient=f"{order.unit.name}：",
    )
    office = issuer_of(request.jurisdiction, "order").issuer
    context["body"] = [
        *(_p(line.strip()) for line in order.reason.splitlines() if line.strip()),
        _p(
            f"请你单位高度重视，认真研究，切实抓好落实，并于{chinese_date(order.reply_by)}前将办理情况书面回复{office}。"
            f"逾期未回复或落实不力的，将依照{_regulation(request.jurisdiction, order.issued_on)}予以问责。"
        ),
    ]
    if task.document_id:
        source = task.document.title + (f"（{task.document.doc_no}）" if task.document.doc_no else "")
    else:
        source = task.source_summary
    context.update(
        task=task.title,
        source=source + (f"，{task.ref}" if task.ref else ""),
        deadline=chinese_date(standing.deadline) if standing.deadline else "—",
        reply_by=chinese_date(order.reply_by),
        status=order.get_status_display(),
    )
    return render_docx(jurisdiction=request.jurisdiction, template="order.docx", context=context)


# --- decisions: 意见书, 通报批评 / 公开曝光 -------------------------------------------------------------------


def _decision(request: ExportRequest) -> Decision:
    decision = (
        Decision.objects.filter(pk=request.decision_id, jurisdiction=request.jurisdiction)
        .select_related("unit", "person", "matter", "jurisdiction")
        .first()
    )
    if decision is None:
        raise ExportError(f"{request.jurisdiction.name}没有编号为 {request.decision_id} 的问责决定")
    return decision


def _who(decision: Decision) -> str:
    if decision.person_id:
        return f"{decision.unit.name}{decision.person.position or ''}{decision.person.name}同志"
    return decision.unit.name


def _join(items: Iterable[str]) -> str:
    return "、".join(items)


def opinion_letter_docx(request: ExportRequest) -> bytes:
    """督查问责意见书 as the letter page shows it: the facts, the methods, the 第九条 consequences in the
    article's words, the appeal right and its deadline."""
    decision = _decision(request)
    rulebook = rulebook_in_force_or_none(decision.jurisdiction, decision.date)
    if rulebook is None:
        raise ExportError(f"问责决定 {decision.pk} 的日期（{decision.date}）没有施行中的问责办法")
    case = decision.cases.first()
    document = rulebook.data.get("document") or {}
    situation = accountability_selectors.decision_situation_text(decision)
    responsibles = list(decision.responsibles.select_related("person").order_by("role"))
    deadline = accountability_selectors.appeal_deadline(decision)
    context = _frame(
        request.jurisdiction,
        "opinion-letter",
        # The case's 意见书文号 once the office recorded its issue; a draft says so.
        reference=(case.letter_number if case is not None and case.letter_number else "（文号待定）"),
        title="督查问责意见书",
        day=decision.date,
        recipient=(
            f"{decision.unit.name}、{decision.person.name}同志：" if decision.person_id else f"{decision.unit.name}："
        ),
    )
    you = f"你（{decision.person.position or '工作人员'}）" if decision.person_id else "你单位"
    body = [
        _p(
            f"经调查核实，{you}在“{decision.matter.title}”事项中，存在《{document.get('title', '')}》"
            + (f"（{document['doc_no']}）" if document.get("doc_no") else "")
            + f"第六条第{decision.situation_number}项规定的情形：{situation}。"
        )
    ]
    if case is not None and case.investigation:
        body.append(_p(f"调查核实情况：{case.investigation}"))
    held = "，责任人：" + _join(f"{r.role_label}{r.person.name}" for r in responsibles) if responsibles else ""
    body.append(
        _p(f"依据该办法第五条、第八条，经督查落实委员会研究同意，决定给予{_join(decision.methods)}的督查问责{held}。")
    )
    if [m for m in decision.methods if m in accountability_selectors.rectification_methods(decision)]:
        body.append(_p("请按第九条第（一）项限期整改，并及时向督查落实委员会上报整改结果。"))
    articles = accountability_selectors.consequence_articles(decision)
    if articles:
        body.append(_p("依据该办法第九条，结果运用如下："))
    context["body"] = body
    context["articles"] = [_p(f"{n}. {a.text}（{a.reference}）") for n, a in enumerate(articles, 1)]
    context["closing"] = [_p(_appeal_right(rulebook, deadline))] if rulebook.has_appeal else []
    return render_docx(jurisdiction=request.jurisdiction, template="opinion-letter.docx", context=context)


def _appeal_right(rulebook, deadline: dt.date | None) -> str:
    """第八条第（三）项 as the 意见书 tells the party: the window, who reviews, that the decision stays in force."""
    suspends = rulebook.param("appeal.suspends_decision")
    appeal = (
        f"如对本督查问责有异议，可在接到本意见书之日起{rulebook.appeal_window_days}日内向"
        f"{rulebook.value('appeal.decided_by')}提出申诉复核。{suspends.text}（{suspends.reference}）"
    )
    return appeal + (f"申诉期限：{chinese_date(deadline)}前。" if deadline is not None else "")


def _method_named(decision: Decision, code: str) -> str | None:
    rulebook = rulebook_in_force_or_none(decision.jurisdiction, decision.date)
    name = rulebook.method_with_code(code) if rulebook is not None else None
    return name if name in decision.methods else None


def notice_methods(decision: Decision) -> list[str]:
    """The names of 通报批评 and 公开曝光 a decision in force applies (empty: it has no notice)."""
    if decision.status not in (Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL):
        return []
    found = (_method_named(decision, METHOD_CRITICISM), _method_named(decision, rules.METHOD_PUBLIC_EXPOSURE))
    return [name for name in found if name]


def criticism_notice_docx(request: ExportRequest) -> bytes:
    """通报批评 or 公开曝光 notice of a decision that applies either (the methods the rulebook codes
    criticism and public_exposure), numbered in the kind's sequence; a revoked or exempted decision has none."""
    decision = _decision(request)
    criticism = _method_named(decision, METHOD_CRITICISM)
    exposure = _method_named(decision, rules.METHOD_PUBLIC_EXPOSURE)
    if criticism is None and exposure is None:
        raise ExportError(f"问责决定 {decision.pk} 的问责方式（{_join(decision.methods)}）不含通报批评或公开曝光")
    if decision.status not in (Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL):
        raise ExportError(f"问责决定 {decision.pk} {decision.get_status_display()}，不再通报")
    who = _who(decision)
    action = _join(name for name in (criticism, exposure) if name)
    title = f"关于对{who}予以{action}的通报"
    regulation = _regulation(decision.jurisdiction, decision.date)
    situation = accountability_selectors.decision_situation_text(decision)

    def build(reference: str) -> dict[str, Any]:
        context = _frame(
            request.jurisdiction,
            "criticism-notice",
            reference=reference,
            title=title,
            day=clock.today(),
            recipient=_recipient(request.jurisdiction),
        )
        context["body"] = [
            _p(
                f"经调查核实，{who}在“{decision.matter.title}”事项中，存在{regulation}第六条第"
                f"{decision.situation_number}项规定的情形：{situation}。"
            ),
            _p(
                f"依据{regulation}第五条、第八条，经督查落实委员会研究，"
                f"{chinese_date(decision.date)}决定对{who}予以{action}。现予通报。"
            ),
            _p("各单位要引以为戒，举一反三，切实转变工作作风，提升工作效能，确保各项决策部署落到实处。"),
        ]
        return context

    return _numbered(
        request,
        kind="criticism-notice",
        subject_key=f"decision:{decision.pk}",
        title=title,
        template="criticism-notice.docx",
        build=build,
    )


# --- scores: monthly ranking, annual assessment ----------------------------------------------------------


def _month_words(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def ranking_notice_docx(request: ExportRequest) -> bytes:
    """督查事项月排名 notice of request.month: every ranked unit's base, deductions and score, as the home
    page's ranking, with the units that lost points named under the table."""
    month = request.month or ""
    if not scoring_selectors.is_month(month):
        raise ExportError(f"月份应为 YYYY-MM：{month}")
    rows = scoring_selectors.monthly_ranking(request.jurisdiction, month, as_of=request.as_of)
    if not rows:
        raise ExportError(f"{request.jurisdiction.name}没有参加排名的单位，{_month_words(month)}无排名可通报")
    words = _month_words(month)
    title = f"关于{words}份督查事项排名情况的通报"
    deducted = [row for row in rows if row.deducted]

    def build(reference: str) -> dict[str, Any]:
        context = _frame(
            request.jurisdiction,
            "ranking-notice",
            reference=reference,
            title=title,
            day=clock.today(),
            recipient=_recipient(request.jurisdiction),
        )
        context["body"] = [
            _p(
                f"根据{_regulation(request.jurisdiction, clock.today())}，现将{words}份督查事项月排名积分情况通报如下："
            ),
            _p(f"一、{words}份排名情况", 1),
        ]
        context["rows"] = [
            {"rank": r.rank, "unit": r.unit.name, "base": r.base, "deducted": r.deducted, "score": r.score}
            for r in rows
        ]
        after = [_p("二、扣分情况", 1)]
        if deducted:
            after.append(
                _p(
                    "本月因督查问责被扣减月排名积分的单位："
                    + "；".join(f"{r.unit.name}扣{r.deducted}分" for r in deducted)
                    + "。扣分依据为各单位的督查问责决定。"
                )
            )
        else:
            after.append(_p("本月无单位因督查问责被扣减月排名积分。"))
        after += [
            _p("三、工作要求", 1),
            _p("各单位要对照排名查找差距，对被扣分事项认真整改，确保督查事项按时保质办结。"),
        ]
        context["after"] = after
        return context

    return _numbered(
        request, kind="ranking-notice", subject_key=month, title=title, template="ranking-notice.docx", build=build
    )


def assessment_docx(request: ExportRequest) -> bytes:
    """年度综合目标考核（加减分事项） of request.year as a landscape table: each unit's base, deductions and
    score with the year's other unit consequences (评先评优, 公开曝光, 整改, 文明单位), as the assessment page."""
    year = request.year
    if year is None:
        raise ExportError("年度考核需要年份")
    rows = scoring_selectors.annual_assessment(request.jurisdiction, year, as_of=request.as_of)
    if not rows:
        raise ExportError(f"{request.jurisdiction.name}没有参加考核的单位，{year}年无考核结果")
    title = f"{year}年度综合目标考核督查问责加减分情况"

    def build(reference: str) -> dict[str, Any]:
        context = _frame(
            request.jurisdiction,
            "assessment",
            reference=reference,
            title=title,
            day=clock.today(),
            recipient=_recipient(request.jurisdiction),
        )
        context["body"] = [
            _p(
                f"根据{_regulation(request.jurisdiction, clock.today())}第九条，现将{year}年度综合目标考核"
                "督查问责加减分情况通报如下："
            )
        ]
        context["rows"] = [
            {
                "rank": r.rank,
                "unit": r.unit.name,
                "base": r.base,
                "deducted": r.deducted,
                "score": r.score,
                "award": "不得评先评优" if r.award_ineligible else "—",
                "exposures": r.exposures or "—",
                "rectifications": r.rectifications or "—",
                "civilized": rules.CIVILIZED_ACTION_LABELS.get(r.civilized_title, "—"),
            }
            for r in rows
        ]
        context["after"] = [_p("扣减分依据为各单位当年生效的督查问责决定（第九条），已撤销或容错免责的决定不计。")]
        return context

    return _numbered(
        request, kind="assessment", subject_key=str(year), title=title, template="assessment.docx", build=build
    )
