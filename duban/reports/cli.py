"""`duban export KIND --jurisdiction J (--month YYYY-MM | --year YYYY | --decision ID | --order ID |
--period P) --out FILE`: every document and workbook of the pages, for scheduled jobs. The file type
follows the suffix of --out. A bad argument exits 2 with one line on stderr and writes nothing."""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from duban.bootstrap import setup_django
from duban.errors import InputError
from duban.inputs import year_problem
from duban.reports import exports
from duban.reports.periods import parse_period

SUBJECT_OPTIONS = {
    exports.MONTH: "--month",
    exports.YEAR: "--year",
    exports.DECISION: "--decision",
    exports.ORDER: "--order",
    exports.PERIOD: "--period",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="导出公文（.docx）与报表（.xlsx）：" + "、".join(exports.KINDS),
        description="导出类型：" + "；".join(f"{k.name} {k.label}" for k in exports.KINDS.values()),
    )
    parser.add_argument("kind", help="导出类型，如 ranking-notice、tongbao、ledger")
    parser.add_argument("--jurisdiction", help="辖区代码，如 zhumadian（默认：唯一的市级辖区）")
    parser.add_argument("--month", help="YYYY-MM")
    parser.add_argument("--year", help="YYYY")
    parser.add_argument("--decision", help="问责决定编号（ID）")
    parser.add_argument("--order", help="督办单编号（ID）")
    parser.add_argument(
        "--period", help="通报期间：2020-W16（周）、2020-04（月）、2020-Q2（季）、2020-H1（半年）、2020（年）"
    )
    parser.add_argument("--out", required=True, help="输出文件，.docx 或 .xlsx")
    parser.set_defaults(handler=run_export)


def _given(args: argparse.Namespace) -> dict[str, str]:
    return {subject: getattr(args, subject) for subject in SUBJECT_OPTIONS if getattr(args, subject) is not None}


def _subject(kind: exports.ExportKind, args: argparse.Namespace) -> dict:
    """The keyword arguments of the ExportRequest for the one subject option the kind takes."""
    given = _given(args)
    if kind.subject == exports.NOTHING:
        if given:
            raise InputError(f"{kind.name} 不需要 {'、'.join(SUBJECT_OPTIONS[s] for s in given)}")
        return {}
    # A 督查通报 takes its period as --period, or a month or a year as --month / --year.
    accepted = {exports.PERIOD, exports.MONTH, exports.YEAR} if kind.subject == exports.PERIOD else {kind.subject}
    wanted = SUBJECT_OPTIONS[kind.subject]
    extra = [SUBJECT_OPTIONS[s] for s in given if s not in accepted]
    if extra or len(given) != 1:
        raise InputError(f"{kind.name} 需要且只需要 {wanted}" + (f"，不接受 {'、'.join(extra)}" if extra else ""))
    subject, text = next(iter(given.items()))
    text = text.strip()
    if subject == exports.MONTH:
        if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
            raise InputError(f"--month 应为 YYYY-MM 格式，收到：{text}")
        _check_year(int(text[:4]), "--month")
        return {"period": text} if kind.subject == exports.PERIOD else {"month": text}
    if subject == exports.YEAR:
        if not re.fullmatch(r"[0-9]{4}", text):
            raise InputError(f"--year 应为四位年份，收到：{text}")
        _check_year(int(text), "--year")
        return {"period": text} if kind.subject == exports.PERIOD else {"year": int(text)}
    if subject == exports.PERIOD:
        period = parse_period(text)
        if period is None:
            raise InputError(f"--period 应为 2020-W16、2020-04、2020-Q2、2020-H1 或 2020，收到：{text}")
        _check_year(period.year, "--period")
        return {"period": period.code}
    if not re.fullmatch(r"[1-9][0-9]{0,9}", text):
        raise InputError(f"{SUBJECT_OPTIONS[subject]} 应为正整数编号，收到：{text}")
    return {f"{subject}_id": int(text)}


def _check_year(year: int, option: str) -> None:
    problem = year_problem(year)
    if problem:
        raise InputError(f"{option}：{problem}")


def _out(path_text: str) -> tuple[Path, str]:
    path = Path(path_text)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(f"--out 是一个目录，应为文件：{path_text}")
    if not path.parent.is_dir():
        raise InputError(f"--out 的目录不存在：{path.parent}")
    return path, suffix


def run_export(args: argparse.Namespace) -> int:
    kind = exports.kind_named(args.kind)
    path, suffix = _out(args.out)

    exports.writer_path(kind, suffix)  # the suffix is checked before Django is set up
    subject = _subject(kind, args)
    setup_django()
    from duban.accounts.selectors import jurisdiction_for_command

    jurisdiction = jurisdiction_for_command(args.jurisdiction)
    content = exports.export_bytes(exports.ExportRequest(kind=kind, jurisdiction=jurisdiction, **subject), suffix)
    # Written beside the target and renamed into place: a failed export leaves no half-written file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".duban-export-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary file of the user's (mkstemp makes it 0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"已导出 {kind.label}：{path}（{len(content)} 字节）")
    return 0
