"""Backup and restore of a whole instance: the database and MEDIA_ROOT together, with a manifest.

backup_create(directory=DIR) writes DIR (which must not exist, or be empty): first the database, as
one consistent image, then the files under MEDIA_ROOT, then the manifest. It works in a hidden
sibling folder renamed to DIR at the end, so DIR is either a whole backup or absent.

backup_restore(directory=DIR) checks everything before it touches anything — the manifest, every
file's size and SHA-256, the database engine, the migration state, the client programs, the
database file itself — and refuses (BackupRefused) a damaged or incomplete backup, or one this
instance cannot load. It restores into an empty instance only: a database holding no data of
duban's (no table at all, or a fresh `migrate`) and no file under MEDIA_ROOT. `replace=True`
replaces an instance that holds data, after first backing it up beside the backup being restored
(``before-restore-<time>``). The media files are staged inside MEDIA_ROOT, the database is loaded
in one step that either completes or leaves it as it was, and only then are the files moved into
place; afterwards the row count of every table is checked against the manifest.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings

from duban import clock
from duban.ops import engines
from duban.ops.errors import BackupFailed, BackupRefused
from duban.ops.manifest import (
    ENGINE_LABELS,
    MEDIA_DIR,
    Manifest,
    copy_with_digest,
    file_entry,
    media_files,
    read_manifest,
    verify_files,
    write_manifest,
)

STAGING_PREFIX = ".restore-"  # inside MEDIA_ROOT while a restore runs


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@dataclass
class BackupResult:
    directory: Path
    manifest: Manifest
    seconds: float

    def summary(self) -> str:
        from duban.ops.manifest import human_size

        m = self.manifest
        database = next(f for f in m.files if f["path"] == m.database["file"])
        return (
            f"已备份到 {self.directory}：{ENGINE_LABELS[m.engine]} 数据库 {human_size(database['size'])}，"
            f"附件 {len(m.media_files)} 个（{human_size(m.media_bytes)}），用时 {self.seconds:.1f} 秒。"
        )


@dataclass
class RestoreResult:
    directory: Path
    manifest: Manifest
    seconds: float = 0.0
    checked_only: bool = False
    target_holds_data: bool = False
    safety_backup: Path | None = None
    pending_migrations: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        m = self.manifest
        what = f"{ENGINE_LABELS[m.engine]} 数据库（备份于 {m.created}），附件 {len(m.media_files)} 个"
        if self.checked_only:
            then = "本实例已有数据，恢复须加 --replace" if self.target_holds_data else "可以恢复到本实例"
            return [f"备份完整：{self.directory}，{what}，校验值与清单一致；{then}。"]
        lines = []
        if self.safety_backup is not None:
            lines.append(f"原有数据已先备份到 {self.safety_backup}。")
        lines.append(f"已从 {self.directory} 恢复：{what}；校验一致，用时 {self.seconds:.1f} 秒。")
        if self.pending_migrations:
            lines.append(f"本版本另有 {len(self.pending_migrations)} 个迁移尚未应用：请运行 python manage.py migrate。")
        return lines


# --- backup --------------------------------------------------------------------------------------


def backup_create(*, directory: Path) -> BackupResult:
    """Back up the instance's database and MEDIA_ROOT into `directory` (see the module's doc)."""
    started = time.monotonic()
    directory = Path(directory).absolute()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupRefused(f"{directory}：已存在且不是空目录，备份不会覆盖已有文件")
    engine = engines.current_engine()
    database = {"file": engine.database_file, **engine.describe()}
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = directory.parent / f".{directory.name}.partial-{os.getpid()}"
        staging.mkdir(mode=0o700)  # the backup holds password hashes and confidential cases
    except OSError as exc:
        raise BackupFailed(f"无法创建备份目录 {directory}（{exc.strerror}）") from None
    try:
        snapshot = engine.dump(staging / engine.database_file)  # first the database, then the files it names
        files = [file_entry(staging, engine.database_file)]
        root = media_root()
        for relative in media_files(root):
            size, digest = copy_with_digest(root / relative, staging / MEDIA_DIR / relative)
            files.append({"path": f"{MEDIA_DIR}/{relative}", "size": size, "sha256": digest})
        copied = {f["path"][len(MEDIA_DIR) + 1 :] for f in files[1:]}
        manifest = Manifest(
            created=clock.now().isoformat(timespec="seconds"),
            duban=_version(),
            engine=engine.vendor,
            database=database,
            migrations=snapshot.migrations,
            tables=snapshot.tables,
            files=files,
            media_root=str(root),
            missing=[name for name in snapshot.references if name not in copied],
        )
        write_manifest(staging, manifest)
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupFailed(f"备份失败（{exc.strerror}：{exc.filename}）") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BackupResult(directory=directory, manifest=manifest, seconds=time.monotonic() - started)


def _version() -> str:
    try:
        return metadata.version("duban")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree not installed
        return ""


# --- restore -------------------------------------------------------------------------------------


def backup_check(*, directory: Path) -> tuple[Manifest, engines.Engine, list[str]]:
    """Everything a restore checks before touching anything; returns the manifest, the engine and
    the migrations this version has that the backup lacks."""
    directory = Path(directory).absolute()
    manifest = read_manifest(directory)
    engine = engines.current_engine()
    if manifest.engine != engine.vendor:
        raise BackupRefused(
            f"备份来自 {ENGINE_LABELS.get(manifest.engine, manifest.engine)} 数据库，"
            f"本实例使用 {engine.label}：只能恢复到同类数据库"
        )
    verify_files(directory, manifest)
    pending = _migration_state(manifest)
    engine.check_restorable(manifest.database, directory / manifest.database["file"])
    return manifest, engine, pending


def _migration_state(manifest: Manifest) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    applied = {(app, name) for app, name in manifest.migrations}
    unknown = sorted(applied - known)
    if unknown:
        names = "、".join(f"{app}.{name}" for app, name in unknown[:3])
        raise BackupRefused(
            f"备份来自较新版本的 duban：迁移 {names}{' 等' if len(unknown) > 3 else ''} 在本版本中不存在，请用相同版本恢复"
        )
    return sorted(f"{app}.{name}" for app, name in set(loader.disk_migrations) - applied)


def backup_restore(*, directory: Path, replace: bool = False, check_only: bool = False) -> RestoreResult:
    """Restore the backup in `directory` into this instance (see the module's doc)."""
    started = time.monotonic()
    directory = Path(directory).absolute()
    manifest, engine, pending = backup_check(directory=directory)
    result = RestoreResult(directory=directory, manifest=manifest, pending_migrations=pending)
    root = media_root()
    holding = engines.tables_with_data()
    media_present = media_files(root)
    if check_only:
        result.checked_only = True
        result.target_holds_data = bool(holding or media_present)
        return result
    if (holding or media_present) and not replace:
        if holding:
            tables = "、".join(holding[:3]) + ("等" if len(holding) > 3 else "")
            problem = f"目标数据库已有数据（{tables}共 {len(holding)} 张表）"
        else:
            problem = f"MEDIA_ROOT（{root}）不是空目录"
        raise BackupRefused(
            f"{problem}：恢复只写入空实例；确要以备份替换现有数据，请加 --replace（替换前会先备份现有数据）"
        )
    if replace and (holding or media_present):
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        result.safety_backup = backup_create(directory=directory.parent / f"before-restore-{stamp}").directory

    staging = root / f"{STAGING_PREFIX}{os.getpid()}"
    try:
        staging.mkdir(parents=True, mode=0o700)
        for entry in manifest.media_files:
            relative = entry["path"][len(MEDIA_DIR) + 1 :]
            size, digest = copy_with_digest(directory / entry["path"], staging / relative)
            if (size, digest) != (entry["size"], entry["sha256"]):
                raise BackupRefused(f"备份在恢复过程中被改动：{entry['path']} 与清单不符")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupFailed(f"无法写入 MEDIA_ROOT（{exc.strerror}：{exc.filename}），未作改动") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        engine.load(directory / manifest.database["file"])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    try:
        for entry in root.iterdir():  # under --replace, what was there is in the safety backup
            if entry == staging:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in staging.iterdir():
            entry.rename(root / entry.name)
        staging.rmdir()
    except OSError as exc:
        raise BackupFailed(
            f"数据库已恢复，但附件未能全部移入 MEDIA_ROOT（{exc.strerror}：{exc.filename}）；已复制的附件在 {staging}"
        ) from None

    counts = engines.table_counts(list(manifest.tables))
    differing = [t for t, rows in manifest.tables.items() if counts[t] != rows]
    if differing:
        raise BackupFailed(f"恢复后的数据库与清单不符：{'、'.join(differing[:3])} 的行数不同")
    result.seconds = time.monotonic() - started
    return result
