"""The two databases duban runs on, as backup and restore see them.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent image of the
database while the site keeps running, and restores it the same way, into the target through
SQLite's own locking, in one step that either completes or leaves the target as it was.

PostgreSQL: ``pg_dump`` (custom format) inside a snapshot the backup holds open, so that the row
counts, the migration state and the attachments the manifest records are of the dump's own moment.
A restore pipes ``pg_restore``'s script into ``psql`` inside one transaction that is committed
only when pg_restore has finished without error: a failure leaves the target as it was. The
script creates the tables, loads their rows, then adds indexes, constraints and triggers, so the
append-only triggers exist only once the data is in (and they refuse UPDATE and DELETE, never
INSERT). The client programs must be of the server's major version.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from duban.ops.errors import BackupFailed, BackupRefused


@dataclass
class Snapshot:
    """What the database held at the moment of the backup, besides its bytes."""

    tables: dict[str, int]
    migrations: list[list[str]]
    references: list[str]  # the files the database's FileFields name (relative to MEDIA_ROOT)


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of the installed models: the files the database names."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.append((model._meta.db_table, model_field.column))
    return sorted(found)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_snapshot(cursor: Any, tables: list[str]) -> Snapshot:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, name] for app, name in cursor.fetchall()]
    references = set()
    for table, column in file_columns():
        if table in counts:
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
            references.update(row[0] for row in cursor.fetchall())
    return Snapshot(tables=counts, migrations=migrations, references=sorted(references))


def current_tables() -> list[str]:
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def table_counts(tables: list[str]) -> dict[str, int | None]:
    """Rows per table in the instance's database (None: the table does not exist)."""
    existing = set(current_tables())
    found: dict[str, int | None] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table not in existing:
                found[table] = None
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            found[table] = int(cursor.fetchone()[0])
    return found


def tables_with_data() -> list[str]:
    """The instance's tables of duban's own data that hold a row: every model of duban's apps and the
    logins. What `migrate` writes by itself (content types, permissions, the role groups, the
    migration history) and what a visit leaves (sessions, login attempts) do not count."""
    from django.contrib.auth import get_user_model

    user_table = get_user_model()._meta.db_table
    ours = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("duban.") or model._meta.db_table.startswith(user_table)
    }
    full = []
    with connection.cursor() as cursor:
        for table in sorted(ours & set(connection.introspection.table_names(cursor))):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                full.append(table)
    return full


class Engine:
    vendor = ""
    label = ""
    database_file = ""

    def describe(self) -> dict[str, Any]:
        raise NotImplementedError

    def dump(self, target: Path) -> Snapshot:
        raise NotImplementedError

    def check_restorable(self, database: dict[str, Any], path: Path) -> None:
        """Refuse (BackupRefused) when this instance cannot load the backup's database file."""
        raise NotImplementedError

    def load(self, path: Path) -> None:
        raise NotImplementedError

    def target_name(self) -> str:
        return str(connection.settings_dict.get("NAME") or "")


class SQLite(Engine):
    vendor = "sqlite"
    label = "SQLite"
    database_file = "database.sqlite3"

    def describe(self) -> dict[str, Any]:
        return {"sqlite_version": sqlite3.sqlite_version, "name": Path(self.target_name()).name}

    def dump(self, target: Path) -> Snapshot:
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): a consistent image of one moment; writers wait at most that long.
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the site uses
            problem = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if problem != "ok":
                raise BackupFailed(f"SQLite 数据库副本未通过完整性检查：{problem}")
            tables = [
                row[0]
                for row in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return read_snapshot(copy.cursor(), tables)
        except sqlite3.Error as exc:
            raise BackupFailed(f"SQLite 备份失败：{exc}") from None
        finally:
            copy.close()

    def _open(self, path: Path) -> sqlite3.Connection:
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)

    def check_restorable(self, database: dict[str, Any], path: Path) -> None:
        try:
            source = self._open(path)
            try:
                problem = source.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise BackupRefused(f"备份已损坏：{path.name} 不是可读的 SQLite 数据库（{exc}）") from None
        if problem != "ok":
            raise BackupRefused(f"备份已损坏：{path.name} 未通过 SQLite 完整性检查（{problem}）")

    def load(self, path: Path) -> None:
        connection.ensure_connection()
        source = self._open(path)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupFailed(f"SQLite 恢复失败，目标数据库未改动：{exc}") from None
        finally:
            source.close()
            connection.close()  # the next query sees the restored schema afresh


VERSION_PATTERN = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class PostgreSQL(Engine):
    vendor = "postgresql"
    label = "PostgreSQL"
    database_file = "database.pgdump"

    # --- the server and its client programs ---

    def server_major(self) -> int:
        connection.ensure_connection()
        return int(connection.pg_version) // 10000

    def server_version(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return str(cursor.fetchone()[0])

    def program(self, name: str) -> tuple[str, int]:
        """The client program `name` of the server's major version: (path, major). DUBAN_PG_BIN names
        the folder to take it from; else Debian's /usr/lib/postgresql/<major>/bin, else the PATH."""
        major = self.server_major()
        configured = os.environ.get("DUBAN_PG_BIN")
        if configured:
            candidates = [str(Path(configured) / name)]
        else:
            candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name) or ""]
        path = next((c for c in candidates if c and os.access(c, os.X_OK)), None)
        if path is None:
            raise BackupRefused(
                f"找不到 PostgreSQL 客户端程序 {name}（安装 postgresql-client-{major}，或以 DUBAN_PG_BIN 指定其目录）"
            )
        try:
            output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            raise BackupRefused(f"{path} --version 运行失败（{exc}）") from None
        match = VERSION_PATTERN.search(output)
        if match is None:
            raise BackupRefused(f"无法识别 {path} 的版本：{output.strip()}")
        found = int(match.group(1))
        if found != major:
            raise BackupRefused(
                f"{name} 的版本 {found} 与数据库服务器的版本 {major} 不一致"
                f"（安装 postgresql-client-{major}，或以 DUBAN_PG_BIN 指定其目录）"
            )
        return path, found

    def environment(self) -> tuple[list[str], dict[str, str]]:
        """How the client programs reach the instance's database: a --dbname conninfo built from
        Django's connection parameters, and the password in PGPASSWORD (never on a command line)."""
        from psycopg.conninfo import make_conninfo
        from psycopg.pq import Conninfo

        keywords = {option.keyword.decode() for option in Conninfo.get_defaults()}
        params = connection.get_connection_params()
        conninfo = {k: v for k, v in params.items() if k in keywords and k != "password" and v not in (None, "")}
        env = dict(os.environ)
        if params.get("password"):
            env["PGPASSWORD"] = str(params["password"])
        return [f"--dbname={make_conninfo(**conninfo)}", "--no-password"], env

    def describe(self) -> dict[str, Any]:
        _, major = self.program("pg_dump")
        return {
            "server_version": self.server_version(),
            "server_major": self.server_major(),
            "pg_dump_major": major,
            "name": self.target_name(),
        }

    # --- backup ---

    def dump(self, target: Path) -> Snapshot:
        pg_dump, _ = self.program("pg_dump")
        dbname, env = self.environment()
        if connection.in_atomic_block:
            raise RuntimeError("a backup takes its own snapshot: do not run it inside a transaction")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            command = [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}", *dbname]
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupFailed(f"pg_dump 失败：{first_line(result.stderr)}")
            return read_snapshot(cursor, list(connection.introspection.table_names(cursor)))

    # --- restore ---

    def check_restorable(self, database: dict[str, Any], path: Path) -> None:
        pg_restore, major = self.program("pg_restore")
        source_major = int(database.get("server_major") or 0)
        if source_major > major:
            raise BackupRefused(f"备份来自 PostgreSQL {source_major}，不能恢复到较旧的 PostgreSQL {major} 服务器")
        result = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupRefused(f"备份已损坏：pg_restore 无法读取 {path.name}（{first_line(result.stderr)}）")

    def schema_has_objects(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public')"
                " OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = 'public')"
            )
            return bool(cursor.fetchone()[0])

    def load(self, path: Path) -> None:
        pg_restore, _ = self.program("pg_restore")
        psql, _ = self.program("psql")
        dbname, env = self.environment()
        # A database that holds objects but no data of duban's (a fresh `migrate`, or one replaced on
        # request) is emptied in the same transaction that loads the backup.
        preamble = b"SET client_min_messages = warning;\nBEGIN;\n"
        if self.schema_has_objects():
            preamble += b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
        connection.close()  # nothing of ours holds a lock while psql works
        with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
            restore = subprocess.Popen(
                [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(path)],
                stdout=subprocess.PIPE,
                stderr=restore_errors,
            )
            loader = subprocess.Popen(
                [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", *dbname],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=psql_errors,
                env=env,
            )
            assert restore.stdout is not None and loader.stdin is not None
            try:
                loader.stdin.write(preamble)
                while chunk := restore.stdout.read(1024 * 1024):
                    loader.stdin.write(chunk)
                if restore.wait() == 0:
                    # Committed only once pg_restore has written its whole script without error; else
                    # psql reaches the end of its input inside the transaction, which is then undone.
                    loader.stdin.write(b"COMMIT;\n")
                loader.stdin.close()
            except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): nothing was committed
                restore.kill()
            restore.wait()
            if loader.wait() != 0:
                raise BackupFailed(f"psql 载入失败，目标数据库未改动：{first_line(read_all(psql_errors))}")
            if restore.returncode != 0:
                raise BackupFailed(f"pg_restore 失败，目标数据库未改动：{first_line(read_all(restore_errors))}")


def read_all(handle: Any) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", "replace")


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line]
    return (errors or lines or ["（无输出）"])[0]


ENGINES: dict[str, type[Engine]] = {"sqlite": SQLite, "postgresql": PostgreSQL}


def current_engine() -> Engine:
    vendor = connection.vendor
    if vendor not in ENGINES:
        raise BackupRefused(f"不支持备份 {vendor} 数据库（支持 SQLite 与 PostgreSQL）")
    return ENGINES[vendor]()
