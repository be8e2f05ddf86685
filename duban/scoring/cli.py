"""`duban rank` and `duban assessment`: the score ledger's rankings on the command line; `duban
ledger-sync`: the full sync of a jurisdiction's score ledger (a repair, and what books a change the
decision writes do not announce: a unit's 文明单位 level or 二级督查, a new rulebook version)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import unicodedata

from duban.bootstrap import setup_django
from duban.errors import InputError
from duban.inputs import year_problem
from duban.rules.model import CIVILIZED_ACTION_LABELS


def register(subparsers: argparse._SubParsersAction) -> None:
    rank = subparsers.add_parser("rank", help="督查事项月排名积分")
    rank.add_argument("--month", required=True, help="YYYY-MM")
    _common_arguments(rank)
    rank.set_defaults(handler=run_rank)

    assessment = subparsers.add_parser("assessment", help="年度综合目标考核（加减分事项）及人员结果运用")
    assessment.add_argument("--year", required=True, help="YYYY")
    _common_arguments(assessment)
    assessment.set_defaults(handler=run_assessment)

    sync = subparsers.add_parser("ledger-sync", help="按全部问责决定重新核对积分台账，补记差额")
    sync.add_argument("--jurisdiction", help="辖区代码，如 zhumadian（默认：唯一的市级辖区）")
    sync.set_defaults(handler=run_ledger_sync)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jurisdiction", help="辖区代码，如 zhumadian（默认：唯一的市级辖区）")
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD：按该日结束时的台账重现")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run_rank(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", args.month):
        raise InputError(f"--month 应为 YYYY-MM 格式，收到：{args.month}")
    _check_year(int(args.month[:4]), "--month")
    as_of = _as_of(args.as_of)
    setup_django()
    from duban.scoring.selectors import monthly_ranking

    jurisdiction = _jurisdiction(args.jurisdiction)
    rows = monthly_ranking(jurisdiction, args.month, as_of=as_of)
    if args.format == "json":
        _print_json(
            {
                "jurisdiction": jurisdiction.code,
                "month": args.month,
                "as_of": args.as_of,
                "rows": [
                    {"rank": r.rank, "unit": r.unit.name, "base": r.base, "deducted": r.deducted, "score": r.score}
                    for r in rows
                ],
            }
        )
        return 0
    print(f"{jurisdiction.name} {args.month} 督查事项月排名积分" + (f"（截至 {args.as_of}）" if args.as_of else ""))
    print(
        render_table(
            ["名次", "单位", "基础分", "扣分", "得分"],
            [[r.rank, r.unit.display_name, r.base, r.deducted, r.score] for r in rows],
        )
    )
    return 0


def run_assessment(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"[0-9]{4}", args.year):
        raise InputError(f"--year 应为四位年份，收到：{args.year}")
    year = _check_year(int(args.year), "--year")
    as_of = _as_of(args.as_of)
    setup_django()
    from duban.scoring.selectors import annual_assessment, person_consequences

    jurisdiction = _jurisdiction(args.jurisdiction)
    units = annual_assessment(jurisdiction, year, as_of=as_of)
    people = person_consequences(jurisdiction, year, as_of=as_of)
    if args.format == "json":
        _print_json(
            {
                "jurisdiction": jurisdiction.code,
                "year": args.year,
                "as_of": args.as_of,
                "units": [
                    {
                        "rank": r.rank,
                        "unit": r.unit.name,
                        "base": r.base,
                        "deducted": r.deducted,
                        "score": r.score,
                        "award_ineligible": r.award_ineligible,
                        "civilized_title": r.civilized_title or None,
                        "public_exposures": r.exposures,
                        "rectifications": r.rectifications,
                    }
                    for r in units
                ],
                "people": [
                    {
                        "person": p.person.name,
                        "unit": p.person.unit.name if p.person.unit else None,
                        "role": p.person.role,
                        "bonus_months": p.bonus_months,
                        "excellent_barred": p.excellent_barred,
                        "supervisor_interviews": p.interviews,
                        "written_explanations": p.written_explanations,
                    }
                    for p in people
                ],
            }
        )
        return 0
    suffix = f"（截至 {args.as_of}）" if args.as_of else ""
    print(f"{jurisdiction.name} {year}年 年度综合目标考核（加减分事项）{suffix}")
    print(
        render_table(
            ["名次", "单位", "基础分", "扣分", "得分", "评先资格", "文明单位", "升级曝光", "限期整改"],
            [
                [
                    r.rank,
                    r.unit.display_name,
                    r.base,
                    r.deducted,
                    r.score,
                    "取消" if r.award_ineligible else "保留",
                    CIVILIZED_ACTION_LABELS.get(r.civilized_title, "—"),
                    r.exposures,
                    r.rectifications,
                ]
                for r in units
            ],
        )
    )
    print()
    print(f"{year}年 人员结果运用")
    if not people:
        print("（无）")
        return 0
    print(
        render_table(
            ["姓名", "单位", "角色", "扣发平时考核奖月份", "年度不得评优", "被约谈", "书面说明"],
            [
                [
                    p.person.name,
                    p.person.unit.display_name if p.person.unit else "—",
                    p.person.role,
                    "、".join(p.bonus_months) or "—",
                    "是" if p.excellent_barred else "否",
                    p.interviews,
                    p.written_explanations,
                ]
                for p in people
            ],
        )
    )
    return 0


def run_ledger_sync(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from duban.scoring.services import ledger_sync

    jurisdiction = _jurisdiction(args.jurisdiction)
    try:
        appended = ledger_sync(jurisdiction=jurisdiction, actor=None)
    except ValidationError as exc:
        raise InputError("；".join(exc.messages)) from None
    if not appended:
        print(f"{jurisdiction.name}：积分台账与全部问责决定一致，无需补记")
        return 0
    reversals = sum(1 for entry in appended if entry.value < 0)
    print(f"{jurisdiction.name}：积分台账补记 {len(appended)} 行（其中冲销 {reversals} 行）")
    return 0


# --- helpers -------------------------------------------------------------------------------------


def _as_of(text: str | None) -> dt.datetime | None:
    """The end of the given day, in the project's time zone (so the whole day counts)."""
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise InputError(f"--as-of 应为 YYYY-MM-DD 格式，收到：{text}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of 应为 YYYY-MM-DD 格式，收到：{text}") from None
    _check_year(day.year, "--as-of")
    from zoneinfo import ZoneInfo

    setup_django()
    from django.conf import settings

    return dt.datetime.combine(day, dt.time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _check_year(year: int, option: str) -> int:
    problem = year_problem(year)
    if problem:
        raise InputError(f"{option} 的{problem}")
    return year


def _jurisdiction(code: str | None):
    from duban.accounts.selectors import jurisdiction_for_command

    return jurisdiction_for_command(code)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def render_table(headers: list[str], rows: list[list]) -> str:
    """A plain-text table aligned for CJK (full-width characters take two columns); numbers right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    numeric = [all(isinstance(row[i], int) for row in rows) if rows else False for i in range(len(headers))]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            parts.append(pad + cell if numeric[i] else cell + pad)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
