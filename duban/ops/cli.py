"""`duban backup DIR` and `duban restore DIR`: the database and the uploaded files, with a manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from duban.bootstrap import setup_django


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="备份数据库与附件（MEDIA_ROOT）到目录 DIR，附清单与校验值")
    backup.add_argument("directory", metavar="DIR", help="a new (or empty) directory for this backup")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", help="校验并从备份目录 DIR 恢复数据库与附件到空实例")
    restore.add_argument("directory", metavar="DIR", help="a directory written by duban backup")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace an instance that holds data (it is first backed up beside DIR as before-restore-<time>)",
    )
    restore.add_argument("--check", action="store_true", help="only verify the backup against this instance")
    restore.set_defaults(handler=run_restore)


def _failed(exc: Exception) -> int:
    print(f"duban: {' '.join(str(exc).split())}", file=sys.stderr)
    return 1


def run_backup(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ops.backup import backup_create
    from duban.ops.errors import BackupFailed

    try:
        result = backup_create(directory=Path(args.directory))
    except BackupFailed as exc:
        return _failed(exc)
    print(result.summary())
    missing = result.manifest.missing
    if missing:
        more = " 等" if len(missing) > 3 else ""
        print(
            f"duban: 警告：数据库记载的 {len(missing)} 个附件在 MEDIA_ROOT 中缺失（{'、'.join(missing[:3])}{more}），"
            "已记入清单",
            file=sys.stderr,
        )
        return 1
    return 0


def run_restore(args: argparse.Namespace) -> int:
    setup_django()
    from duban.ops.backup import backup_restore
    from duban.ops.errors import BackupFailed

    try:
        result = backup_restore(directory=Path(args.directory), replace=args.replace, check_only=args.check)
    except BackupFailed as exc:
        return _failed(exc)
    for line in result.summary():
        print(line)
    return 0
