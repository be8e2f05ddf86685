"""`duban tasks export --out FILE.xlsx`: the 台账 as a 任务分解表."""

from __future__ import annotations

import argparse
from pathlib import Path

from duban.bootstrap import setup_django
from duban.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    tasks = subparsers.add_parser("tasks", help="任务分解表（Excel）导入导出")
    commands = tasks.add_subparsers(dest="tasks_command", required=True)

    export = commands.add_parser("export", help="导出督查台账为任务分解表（.xlsx）")
    export.add_argument("--jurisdiction", help="jurisdiction code (default: the city)")
    export.add_argument("--out", required=True, help="输出文件 .xlsx")
    export.set_defaults(handler=run_export)


def _jurisdiction(code: str | None):
    from duban.accounts.selectors import jurisdiction_for_command

    return jurisdiction_for_command(code)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ledger.workbook import ledger_export

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{out}: the output must be an .xlsx file")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent}: no such directory")
    jurisdiction = _jurisdiction(args.jurisdiction)
    content, count = ledger_export(jurisdiction=jurisdiction)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise InputError(f"{out}: cannot write ({exc.strerror})") from None
    print(f"导出督查台账 {count} 项：{out}")
    return 0
