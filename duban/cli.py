"""The `duban` command. Each pipeline stage registers its own sub-commands."""

from __future__ import annotations

import argparse
import sys

from duban.errors import InputError

# Modules that contribute sub-commands, in pipeline order. Each has register(subparsers).
COMMAND_MODULES = (
    "duban.intake.cli",
    "duban.ledger.cli",
    "duban.ledger.tasks_cli",  # duban tasks import|export: the 任务分解表
    "duban.rules.cli",
    "duban.scoring.cli",
    "duban.reports.cli",  # duban export: the documents and workbooks of the pages
    "duban.ops.cli",  # backup and restore of a whole instance
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(prog="duban", description="督办：公报读取、督查台账与问责规则")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as exc:
        message = " ".join(str(exc).split())
        print(f"duban: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
