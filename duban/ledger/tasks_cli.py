"""`duban tasks import FILE.xlsx` and `duban tasks export --out FILE.xlsx`: a 任务分解表 in and out.

Import refuses a sheet with any bad row: exit 2, one line per problem on stderr (第N行：…), nothing
imported and nothing on stdout. Importing an export again creates nothing new (its 系统编号 column).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from duban.bootstrap import setup_django
from duban.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    tasks = subparsers.add_parser("tasks", help="任务分解表（Excel）导入导出")
    commands = tasks.add_subparsers(dest="tasks_command", required=True)

    do_import = commands.add_parser("import", help="导入任务分解表（.xlsx）：全部行无误才导入，一次导入全部")
    do_import.add_argument("file", help="任务分解表 .xlsx")
    do_import.add_argument("--jurisdiction", help="jurisdiction code (default: the city)")
    do_import.add_argument("--sheet", help="工作表名称（默认：第一张认出表头的工作表）")
    do_import.add_argument("--dry-run", action="store_true", help="只检查，不导入")
    do_import.set_defaults(handler=run_import)

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


def run_import(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ledger.workbook_import import WorkbookRefused, workbook_import, workbook_plan

    path = Path(args.file)
    content = _read(path)
    jurisdiction = _jurisdiction(args.jurisdiction)
    try:
        if args.dry_run:
            plan = workbook_plan(jurisdiction=jurisdiction, content=content, file_name=path.name, sheet=args.sheet)
            if not plan.ok:
                raise WorkbookRefused(plan)
            print(
                f"{path.name}：检查通过，可导入新任务 {len(plan.new_rows)} 项，已在台账 {len(plan.existing_rows)} 项（未导入）。"
            )
            return 0
        result = workbook_import(
            actor=None, jurisdiction=jurisdiction, content=content, file_name=path.name, sheet=args.sheet
        )
    except WorkbookRefused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        return 2
    print(f"{path.name}：导入新任务 {len(result.created)} 项，已在台账 {result.existing} 项（未重复导入）。")
    return 0


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
