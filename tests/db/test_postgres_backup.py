"""`duban backup` / `duban restore` on a real PostgreSQL server: pg_dump (custom format) and pg_restore.

The demo with attachments is loaded into a database of its own on the server, backed up, and
restored into other databases: an empty one (as `createdb` leaves it), and one holding data
(refused, then replaced on request). The append-only triggers come back with the data
and still refuse UPDATE and DELETE. The refusals that stop before anything is written run
in-process against the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from duban.cli import main
from duban.ops.engines import tables_with_data
from tests.ops.backup_instances import Instance

# Every test of the module in pytest-django's one group (database tests come first), so that the
# module's source instance is built once, not once per group.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def server_url(database: str) -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database


def admin() -> psycopg.Connection:
    return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)


@pytest.fixture(scope="module")
def databases():
    """Makes databases on the server (as `createdb` does) and drops them all when the module ends."""
    made: list[str] = []

    def create(label: str) -> str:
        name = f"duban_backup_{label}_{uuid.uuid4().hex[:8]}"
        with admin() as db:
            db.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return server_url(name)

    yield create
    with admin() as db:
        for name in made:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def source(databases, tmp_path_factory):
    base = tmp_path_factory.mktemp("pg-source")
    instance = Instance(database_url=databases("source"), media_root=base / "media")
    instance.migrate()
    instance.load()
    backup = base / "backups" / "2020-12-10"
    result = instance.duban("backup", backup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已备份到 {backup}：PostgreSQL 数据库")
    return instance, backup, instance.snapshot()


def triggers(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        return [r[0] for r in db.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")]


def test_the_round_trip_gives_identical_rankings_ledgers_audit_rows_and_attachments(source, databases, tmp_path):
    instance, backup, before = source
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and manifest["database"]["file"] == "database.pgdump"
    assert manifest["database"]["server_major"] == manifest["database"]["pg_dump_major"] == 15

    target = Instance(database_url=databases("target"), media_root=tmp_path / "media")
    result = target.duban("restore", backup)
    assert result.returncode == 0, result.stderr
    after = target.snapshot()
    assert after["jurisdictions"] == before["jurisdictions"]
    assert after["score_ledger"] == before["score_ledger"]
    assert after["audit"] == before["audit"]
    assert after["attachments"] == before["attachments"]
    assert after["tables"] == before["tables"]
    assert len(before["attachments"]) >= 8 and len(before["score_ledger"]) > 50

    # The append-only triggers came back with the data, and hold.
    assert triggers(target.database_url) == triggers(instance.database_url) != []
    with psycopg.connect(target.database_url) as db:
        for statement in ("UPDATE scoring_consequenceentry SET value = 0", "DELETE FROM accounts_auditlog"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"), db.transaction():
                db.execute(statement)

    # The sequences came back too: new rows (and their audit rows) take the next ids.
    assert target.duban("rank", "--month", "2020-07").stdout == instance.duban("rank", "--month", "2020-07").stdout
    create = (
        "from duban.accounts.services import jurisdiction_create as c; print(c(actor=None, code='x', name='某市').pk)"
    )
    assert (
        int(target.checked("manage.py", "shell", "-c", create).split()[-1])
        == before["tables"]["accounts_jurisdiction"] + 1
    )


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def test_a_target_holding_data_is_refused_then_replaced_on_request(source, databases, tmp_path):
    _, backup, before = source
    copy = tmp_path / "backups" / "2020-12-10"
    shutil.copytree(backup, copy)
    target = Instance(database_url=databases("full"), media_root=tmp_path / "media")
    assert target.duban("restore", copy).returncode == 0
    create = "from duban.accounts.services import jurisdiction_create as c; c(actor=None, code='x', name='某市')"
    target.checked("manage.py", "shell", "-c", create)
    held = counts(target.database_url)

    result = target.duban("restore", copy)
    assert result.returncode == 2 and result.stdout == "" and "目标数据库已有数据" in result.stderr
    assert counts(target.database_url) == held

    # Replacing drops what the database held and loads the backup in one transaction, after
    # backing up what it replaces.
    result = target.duban("restore", copy, "--replace")
    assert result.returncode == 0, result.stderr
    assert target.snapshot() == before
    (safety,) = (tmp_path / "backups").glob("before-restore-*")
    assert target.duban("restore", "--check", safety).returncode == 0
    manifest = json.loads((safety / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == held


def test_a_load_that_fails_half_way_leaves_the_target_as_it_was(source, databases, tmp_path):
    """pg_restore dies after writing part of its script: psql has run that part inside the
    transaction, which is never committed."""
    _, backup, _ = source
    real = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))  # the server of scripts/with-postgres
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("pg_dump", "psql"):
        (tools / name).symlink_to(real / name)
    (tools / "pg_restore").write_text(
        "#!/bin/sh\n"
        f'case "$1" in --version|--list) exec {real}/pg_restore "$@";; esac\n'
        "echo 'CREATE TABLE half_restored (id int);'\n"
        "echo 'pg_restore: error: could not read input file: disk I/O error' >&2\n"
        "exit 1\n"
    )
    (tools / "pg_restore").chmod(0o755)
    target = Instance(database_url=databases("half"), media_root=tmp_path / "media")
    env = target.env() | {"DUBAN_PG_BIN": str(tools)}
    result = subprocess.run(
        [sys.executable, "-m", "duban.cli", "restore", str(backup)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1 and result.stdout == ""
    assert (
        result.stderr
        == "duban: pg_restore 失败，目标数据库未改动：pg_restore: error: could not read input file: disk I/O error\n"
    )
    assert counts(target.database_url) == {}
    assert not target.media_root.exists() or not any(target.media_root.iterdir())


# --- refusals, in-process against the test database --------------------------------------------


@pytest.fixture
def damaged(source, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    copy = tmp_path / "backup"
    shutil.copytree(source[1], copy)
    return copy


def edit_manifest(backup: Path, change) -> None:
    data = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    change(data)
    (backup / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def refused(capsys, argv: list[str], *words: str) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("duban: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    assert tables_with_data() == []


def fake_client(folder: Path, version: str) -> Path:
    """A folder of PostgreSQL client programs that say they are of another version."""
    folder.mkdir()
    for name in ("pg_dump", "pg_restore", "psql"):
        program = folder / name
        program.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
        program.chmod(0o755)
    return folder


class TestRefusals:
    def test_the_wrong_engine(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data.update(engine="sqlite"))
        refused(capsys, ["restore", str(damaged)], "备份来自 SQLite 数据库", "本实例使用 PostgreSQL")

    def test_a_dump_with_a_bad_checksum(self, damaged, capsys):
        path = damaged / "database.pgdump"
        content = bytearray(path.read_bytes())
        content[-100] ^= 0xFF
        path.write_bytes(bytes(content))
        refused(capsys, ["restore", str(damaged)], "备份已损坏", "database.pgdump", "SHA-256")

    def test_a_dump_pg_restore_cannot_read_even_with_a_matching_checksum(self, damaged, capsys):
        import hashlib

        path = damaged / "database.pgdump"
        path.write_bytes(b"PGDMP" + b"\x00" * 64)

        def matching(data):
            entry = next(f for f in data["files"] if f["path"] == "database.pgdump")
            entry.update(size=path.stat().st_size, sha256=hashlib.sha256(path.read_bytes()).hexdigest())

        edit_manifest(damaged, matching)
        refused(capsys, ["restore", str(damaged)], "pg_restore 无法读取")

    def test_a_backup_from_a_newer_server(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data["database"].update(server_major=16))
        refused(capsys, ["restore", str(damaged)], "PostgreSQL 16", "较旧的 PostgreSQL 15")

    def test_client_programs_of_another_version(self, damaged, capsys, tmp_path, monkeypatch):
        monkeypatch.setenv("DUBAN_PG_BIN", str(fake_client(tmp_path / "bin", "16.4")))
        refused(capsys, ["restore", str(damaged)], "pg_restore 的版本 16 与数据库服务器的版本 15 不一致")
        refused(capsys, ["backup", str(tmp_path / "new")], "pg_dump 的版本 16 与数据库服务器的版本 15 不一致")
        assert not (tmp_path / "new").exists()
        assert not list(tmp_path.glob(".new.partial-*"))
