"""A backup's manifest (manifest.json): what was backed up, when, from which database, at which
migration state, and every file with its size and SHA-256, so that a restore checks it all before
touching anything.

    DIR/
      manifest.json
      database.sqlite3 | database.pgdump     the database (SQLite backup API / pg_dump, custom format)
      media/…                                 MEDIA_ROOT: the attachments of progress reports
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from duban.ops.errors import BackupFailed, BackupRefused

FORMAT = "duban-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Manifest:
    created: str
    engine: str
    database: dict[str, Any]
    migrations: list[list[str]]
    tables: dict[str, int]
    files: list[dict[str, Any]] = field(default_factory=list)
    media_root: str = ""
    missing: list[str] = field(default_factory=list)  # files the database names that MEDIA_ROOT lacked
    duban: str = ""

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "created": self.created,
            "duban": self.duban,
            "engine": self.engine,
            "database": self.database,
            "migrations": migrations_by_app(self.migrations),
            "tables": self.tables,
            "media": {"root": self.media_root, "missing": self.missing},
            "files": self.files,
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @property
    def media_files(self) -> list[dict[str, Any]]:
        return [f for f in self.files if f["path"].startswith(MEDIA_DIR + "/")]

    @property
    def media_bytes(self) -> int:
        return sum(f["size"] for f in self.media_files)


def migrations_by_app(applied: list[list[str]]) -> dict[str, list[str]]:
    """The migration state as the manifest shows it: each app's applied migrations, in order."""
    found: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        found.setdefault(app, []).append(name)
    return found


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def copy_with_digest(source: Path, target: Path) -> tuple[int, str]:
    """Copy a file, hashing the bytes on their way: (size, SHA-256) of what was written."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, target.open("xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def file_entry(directory: Path, relative: str) -> dict[str, Any]:
    path = directory / relative
    return {"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)}


def media_files(root: Path, skip: set[str] = frozenset()) -> list[str]:
    """Every regular file under MEDIA_ROOT, as sorted POSIX paths relative to it (links and other
    special files are not followed; top-level names in ``skip`` are left out)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d not in skip]
            files = [f for f in files if f not in skip]
        for name in files:
            path = here / name
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


# --- reading and checking ------------------------------------------------------------------------


def safe_relative(text: Any) -> str:
    """A manifest's path, refused unless it stays inside the backup (no absolute path, no ..)."""
    if not isinstance(text, str) or not text or "\\" in text or "\x00" in text:
        raise BackupRefused(f"备份清单中的路径无效：{text!r}")
    path = PurePosixPath(text)
    if path.is_absolute() or any(part in ("", ".", "..") for part in text.split("/")):
        raise BackupRefused(f"备份清单中的路径越出备份目录：{text}")
    return text


def read_manifest(directory: Path) -> Manifest:
    if not directory.is_dir():
        raise BackupRefused(f"{directory}：备份目录不存在")
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(f"{directory}：备份不完整，缺少 {MANIFEST}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupRefused(f"{path}：备份清单已损坏，无法读取（{exc}）") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupRefused(f"{path}：不是 duban 的备份清单")
    if data.get("version") != VERSION:
        raise BackupRefused(f"{path}：备份格式版本 {data.get('version')!r} 不受支持（本版本读取第 {VERSION} 版）")
    try:
        manifest = Manifest(
            created=str(data["created"]),
            duban=str(data.get("duban", "")),
            engine=str(data["engine"]),
            database=dict(data["database"]),
            migrations=[[str(app), str(name)] for app, names in data["migrations"].items() for name in names],
            tables={str(table): int(rows) for table, rows in data["tables"].items()},
            files=[
                {"path": safe_relative(f["path"]), "size": int(f["size"]), "sha256": str(f["sha256"])}
                for f in data["files"]
            ],
            media_root=str(data.get("media", {}).get("root", "")),
            missing=[str(m) for m in data.get("media", {}).get("missing", [])],
        )
    except BackupRefused:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackupRefused(f"{path}：备份清单缺少或写错了字段（{exc}）") from None
    database_file = manifest.database.get("file")
    if database_file not in {f["path"] for f in manifest.files} or "/" in str(database_file):
        raise BackupRefused(f"{path}：备份清单未列出数据库文件")
    for entry in manifest.media_files:
        safe_relative(entry["path"][len(MEDIA_DIR) + 1 :])
    return manifest


def verify_files(directory: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there, of its size and SHA-256: else refuse, naming it."""
    for entry in manifest.files:
        path = directory / entry["path"]
        try:
            info = path.lstat()
        except FileNotFoundError:
            raise BackupRefused(f"备份不完整：缺少 {entry['path']}") from None
        except OSError as exc:
            raise BackupRefused(f"备份文件无法读取：{entry['path']}（{exc.strerror}）") from None
        if not stat.S_ISREG(info.st_mode):
            raise BackupRefused(f"备份已损坏：{entry['path']} 不是普通文件")
        if info.st_size != entry["size"]:
            raise BackupRefused(
                f"备份已损坏：{entry['path']} 的大小为 {info.st_size} 字节，清单记载 {entry['size']} 字节"
            )
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise BackupRefused(f"备份文件无法读取：{entry['path']}（{exc.strerror}）") from None
        if digest != entry["sha256"]:
            raise BackupRefused(f"备份已损坏：{entry['path']} 的 SHA-256 校验值与清单不符")


def write_manifest(directory: Path, manifest: Manifest) -> None:
    try:
        with (directory / MANIFEST).open("x", encoding="utf-8") as handle:
            handle.write(manifest.as_json())
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise BackupFailed(f"无法写入备份清单（{exc.strerror}）") from None


def human_size(size: int) -> str:
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError  # pragma: no cover
