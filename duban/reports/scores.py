"""The score workbooks (.xlsx): the monthly ranking (排名 + 扣分明细), the annual assessment (考核 + 扣分明细 +
其他结果运用) and the HR office's sheet of personal consequences (人事). Every deduction is a row with its
decision, case number, method, article and rulebook parameter, read from the score ledger net of reversals
(duban.scoring.selectors.consequence_lines), so the workbook traces each point as the unit's page does."""

from __future__ import annotations

from django.utils import timezone

from duban import clock
from duban.inputs import parse_month, year_problem
from duban.reports.exports import ExportError, ExportRequest
from duban.reports.xlsx import Column, Sheet, workbook_bytes
from duban.rules import model as rules
from duban.rules.model import CIVILIZED_ACTION_LABELS
from duban.scoring import selectors
from duban.scoring.selectors import ConsequenceLine

# The columns that trace a consequence to its source, in every sheet of details.
TRACE_COLUMNS = (
    Column("决定日期"),
    Column("问责决定编号"),
    Column("案件编号"),
    Column("督查事项", width=36, wrap=True),
    Column("问责情形"),
    Column("问责方式"),
    Column("决定状态"),
    Column("依据条款", width=24, wrap=True),
    Column("条款原文", width=60, wrap=True),
    Column("规则参数", width=40, wrap=True),
    Column("规则版本"),
    Column("计算说明", width=40, wrap=True),
)


def _trace(line: ConsequenceLine) -> list:
    decision = line.decision
    case_number = line.case_number or ("历史导入" if decision.is_historical else "")
    return [
        decision.date,
        decision.pk,
        case_number,
        f"{decision.matter.code} {decision.matter.title}",
        f"第六条第{decision.situation_number}项",
        "、".join(decision.methods),
        decision.get_status_display(),
        "；".join(reference for reference, _ in line.articles),
        "\n".join(f"{reference}：{text}" for reference, text in line.articles if text),
        line.parameter,
        line.rulebook,
        line.note + (f"；{line.reversal_note}" if line.reversal_note else ""),
    ]


def _as_of_note(request: ExportRequest) -> str:
    moment = request.as_of or clock.now()
    return f"数据截至 {timezone.localtime(moment):%Y-%m-%d %H:%M}（积分台账，已冲销撤销和容错免责的扣分）"


def _month(request: ExportRequest) -> str:
    month = parse_month(request.month or "")
    if month is None:
        raise ExportError(f"月份“{request.month or ''}”无效，应为 YYYY-MM")
    return month


def _year(request: ExportRequest) -> int:
    if request.year is None or year_problem(request.year):
        raise ExportError(f"年份“{request.year or ''}”无效，应为四位年份")
    return request.year


def _deduction_sheet(title: str, lines: list[ConsequenceLine], heading: str) -> Sheet:
    return Sheet(
        title,
        [Column("单位"), Column("扣分"), Column("原扣分"), *TRACE_COLUMNS],
        [[line.unit.display_name, line.points, line.booked, *_trace(line)] for line in lines],
        heading=heading,
        notes=(
            "扣分为冲销后的净值；同一事项采用不同问责方式的，按最高分值扣除（第九条第（七）项），后一决定只扣差额。",
        ),
    )


def ranking_xlsx(request: ExportRequest) -> bytes:
    """督查事项月排名积分 of a month: the ranking, and every deduction behind it (and those reversed)."""
    jurisdiction, month = request.jurisdiction, _month(request)
    rows = selectors.monthly_ranking(jurisdiction, month, request.as_of)
    lines = selectors.consequence_lines(jurisdiction, effects=(rules.UNIT_MONTHLY,), period=month, as_of=request.as_of)
    in_force = [line for line in lines if line.in_force]
    counts: dict[int, int] = {}
    for line in in_force:
        counts[line.unit.pk] = counts.get(line.unit.pk, 0) + 1
    title = f"{jurisdiction.name} {month} 督查事项月排名积分"
    ranking = Sheet(
        "排名",
        [Column("名次"), Column("单位"), Column("基础分"), Column("扣分"), Column("得分"), Column("扣分项数")],
        [[r.rank, r.unit.display_name, r.base, r.deducted, r.score, counts.get(r.unit.pk, 0)] for r in rows],
        heading=title,
        notes=("得分 = 基础分 − 当月督查问责扣分（第九条）；每项扣分见“扣分明细”。", _as_of_note(request)),
    )
    sheets = [ranking, _deduction_sheet("扣分明细", in_force, f"{title} · 扣分明细")]
    reversed_lines = [line for line in lines if not line.in_force]
    if reversed_lines:
        sheets.append(_deduction_sheet("已冲销", reversed_lines, f"{title} · 已冲销的扣分"))
    return workbook_bytes(sheets)


def assessment_xlsx(request: ExportRequest) -> bytes:
    """年度综合目标考核（加减分事项） of a year: the table with the unit flags, every annual deduction, and the
    year's other unit consequences (评先资格, 公开曝光, 整改, 文明单位) with their decisions."""
    jurisdiction, year = request.jurisdiction, _year(request)
    rows = selectors.annual_assessment(jurisdiction, year, request.as_of)
    lines = selectors.consequence_lines(
        jurisdiction, effects=(rules.UNIT_ANNUAL,), period=str(year), as_of=request.as_of
    )
    other = selectors.consequence_lines(
        jurisdiction, effects=selectors.unit_flag_effects(jurisdiction), decision_year=year, as_of=request.as_of
    )
    title = f"{jurisdiction.name} {year}年度综合目标考核（加减分事项）"
    table = Sheet(
        "考核",
        [
            Column("名次"),
            Column("单位"),
            Column("基础分"),
            Column("扣分"),
            Column("得分"),
            Column("评先资格"),
            Column("文明单位"),
            Column("公开曝光"),
            Column("整改事项"),
        ],
        [
            [
                r.rank,
                r.unit.display_name,
                r.base,
                r.deducted,
                r.score,
                "取消" if r.award_ineligible else "保留",
                CIVILIZED_ACTION_LABELS.get(r.civilized_title, ""),
                r.exposures,
                r.rectifications,
            ]
            for r in rows
        ],
        heading=title,
        notes=(
            "扣分依据第九条第（二）（三）（五）项；评先资格、文明单位依第九条第（六）项；每项见“扣分明细”“其他结果运用”。",
            _as_of_note(request),
        ),
    )
    flags = Sheet(
        "其他结果运用",
        [Column("单位"), Column("结果", width=30), Column("内容"), *TRACE_COLUMNS],
        [
            [line.unit.display_name, line.effect_label, CIVILIZED_ACTION_LABELS.get(line.label, ""), *_trace(line)]
            for line in other
            if line.in_force
        ],
        heading=f"{title} · 其他结果运用",
    )
    in_force = [line for line in lines if line.in_force]
    return workbook_bytes([table, _deduction_sheet("扣分明细", in_force, f"{title} · 扣分明细"), flags])


def hr_xlsx(request: ExportRequest) -> bytes:
    """个人问责结果运用 of a year, for the HR office: per person the months of 平时考核奖 withheld, whether barred
    from 优秀, the supervisors' 约谈 and 书面说明, with the decisions; then every consequence with its source."""
    jurisdiction, year = request.jurisdiction, _year(request)
    lines = [
        line
        for line in selectors.consequence_lines(
            jurisdiction, effects=selectors.person_own_effects(jurisdiction), decision_year=year, as_of=request.as_of
        )
        if line.in_force
    ]
    by_person: dict[int, list[ConsequenceLine]] = {}
    for line in lines:
        by_person.setdefault(line.person.pk, []).append(line)
    people = sorted(
        by_person.values(),
        key=lambda its: (its[0].person.unit.name if its[0].person.unit else "", its[0].person.name, its[0].person.pk),
    )
    summary = []
    for its in people:
        person = its[0].person
        years = [entry for entry in selectors.person_years(its) if entry.year == year]
        entry = years[0] if years else selectors.PersonYear(year)
        decisions = {line.decision.pk: line for line in its}
        summary.append(
            [
                person.name,
                person.unit.display_name if person.unit else "",
                person.position or person.role,
                "、".join(entry.bonus_months),
                len(entry.bonus_months),
                "是" if entry.excellent_barred else "",
                entry.interviews,
                entry.written_explanations,
                "\n".join(
                    f"{line.decision.date:%Y-%m-%d} {'、'.join(line.decision.methods)}"
                    f"（{line.case_number or ('历史导入' if line.decision.is_historical else '无案件编号')}）"
                    for line in decisions.values()
                ),
            ]
        )
    title = f"{jurisdiction.name} {year}年 个人问责结果运用（人事）"
    sheets = [
        Sheet(
            "人事",
            [
                Column("姓名"),
                Column("单位"),
                Column("职务"),
                Column("扣除平时考核奖（月份）", width=30, wrap=True),
                Column("扣除月数"),
                Column("年度考核不得评定为优秀等次"),
                Column("被约谈"),
                Column("书面说明"),
                Column("问责决定", width=50, wrap=True),
            ],
            summary,
            heading=title,
            notes=("依据第九条第（二）至（六）项；每项见“明细”。", _as_of_note(request)),
        ),
        Sheet(
            "明细",
            [Column("姓名"), Column("单位"), Column("结果", width=30), Column("期间"), *TRACE_COLUMNS],
            [
                [
                    line.person.name,
                    line.person.unit.display_name if line.person.unit else "",
                    line.effect_label,
                    line.period,
                    *_trace(line),
                ]
                for line in lines
            ],
            heading=f"{title} · 明细",
        ),
    ]
    return workbook_bytes(sheets)
