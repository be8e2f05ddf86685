"""`duban backup DIR` / `duban restore DIR` on SQLite: a round trip of the demo with attachments gives
identical rankings, assessments, ledgers, audit rows and attachment bytes; a damaged, incomplete or
foreign backup, or a target that holds data, is refused with one line (exit 2) and nothing touched.

The source and the targets are whole instances (a SQLite file and a MEDIA_ROOT each) driven through
the command line in subprocesses (tests/ops/backup_instances.py); the refusals run in-process
against the test database, since they stop before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from duban.cli import main
from duban.ops.engines import tables_with_data
from tests.ops.backup_instances import Instance

# Every test of the module in pytest-django's one group (database tests come first), so that the
# module's source instance is built once, not once per group.
pytestmark = pytest.mark.django_db


def sqlite_instance(folder: Path) -> Instance:
    folder.mkdir(parents=True, exist_ok=True)
    return Instance(database_url=f"sqlite:///{folder / 'duban.sqlite3'}", media_root=folder / "media")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo with attachments in an instance of its own, backed up once: (instance, backup, snapshot)."""
    base = tmp_path_factory.mktemp("source")
    instance = sqlite_instance(base / "instance")
    instance.migrate()
    instance.load()
    backup = base / "backups" / "2020-12-10"
    result = instance.duban("backup", backup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已备份到 {backup}：SQLite 数据库") and result.stderr == ""
    return instance, backup, instance.snapshot()


def read_manifest(backup: Path) -> dict:
    return json.loads((backup / "manifest.json").read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_round_trip_gives_identical_rankings_ledgers_audit_rows_and_attachments(source, tmp_path):
    _, backup, before = source
    target = sqlite_instance(tmp_path / "target")  # no database file, no MEDIA_ROOT yet
    result = target.duban("restore", backup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已从 {backup} 恢复：SQLite 数据库") and result.stderr == ""

    after = target.snapshot()
    assert after["jurisdictions"] == before["jurisdictions"]
    assert after["score_ledger"] == before["score_ledger"]
    assert after["audit"] == before["audit"]
    assert after["attachments"] == before["attachments"]
    assert after["tables"] == before["tables"]
    # The demo is there in full: both jurisdictions ranked, decisions booked, reports with files.
    assert set(before["jurisdictions"]) == {"yicheng", "zhumadian"}
    assert any(row["deducted"] for row in before["jurisdictions"]["zhumadian"]["rankings"]["2020-07"])
    assert len(before["score_ledger"]) > 50 and len(before["audit"]) > 500
    assert len(before["attachments"]) >= 8
    assert {Path(a["name"]).suffix for a in before["attachments"]} == {".pdf", ".docx", ".png", ".txt"}
    restored = sorted(p.relative_to(target.media_root).as_posix() for p in target.media_root.rglob("*") if p.is_file())
    assert restored == sorted(a["path"] for a in before["attachments"])


def test_the_manifest_says_what_when_which_engine_which_migrations_and_every_file(source):
    _, backup, before = source
    manifest = read_manifest(backup)
    assert (manifest["format"], manifest["version"], manifest["engine"]) == ("duban-backup", 1, "sqlite")
    assert manifest["created"].startswith("2020-12-10T")  # duban.clock.now(): the instance runs on DUBAN_TODAY
    assert manifest["database"]["file"] == "database.sqlite3"
    assert manifest["migrations"]["scoring"][:2] == ["0001_initial", "0002_ledger_append_only_trigger"]
    assert sum(map(len, manifest["migrations"].values())) == before["tables"]["django_migrations"]
    assert manifest["tables"]["scoring_consequenceentry"] == len(before["score_ledger"])
    assert manifest["tables"]["accounts_auditlog"] == len(before["audit"])
    assert manifest["media"]["missing"] == []
    listed = {f["path"]: f for f in manifest["files"]}
    expected = {"database.sqlite3"} | {f"media/{a['path']}" for a in before["attachments"]}
    assert set(listed) == expected
    for path, entry in listed.items():
        assert entry["size"] == (backup / path).stat().st_size
        assert entry["sha256"] == sha256(backup / path)
    for attachment in before["attachments"]:
        assert listed[f"media/{attachment['path']}"]["sha256"] == attachment["sha256"]
    assert backup.stat().st_mode & 0o077 == 0  # it holds password hashes and cases: the owner's only


def test_a_freshly_migrated_database_counts_as_empty(source, tmp_path):
    _, backup, before = source
    target = sqlite_instance(tmp_path / "target")
    target.migrate()
    result = target.duban("restore", backup)
    assert result.returncode == 0, result.stderr
    assert target.snapshot()["audit"] == before["audit"]


def test_a_target_holding_data_is_refused_and_left_as_it_was(source, tmp_path):
    instance, backup, _ = source
    target = Instance(database_url=instance.database_url, media_root=instance.media_root)
    database = Path(instance.database_url.removeprefix("sqlite:///"))
    before = sha256(database), sorted(p.name for p in instance.media_root.rglob("*"))
    result = target.duban("restore", backup)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "目标数据库已有数据" in result.stderr and "--replace" in result.stderr
    assert (sha256(database), sorted(p.name for p in instance.media_root.rglob("*"))) == before
    assert not list(backup.parent.glob("before-restore-*"))
    check = target.duban("restore", "--check", backup)
    assert check.returncode == 0 and "本实例已有数据，恢复须加 --replace" in check.stdout


def test_a_non_empty_media_root_is_refused(source, tmp_path):
    _, backup, _ = source
    target = sqlite_instance(tmp_path / "target")
    target.media_root.mkdir()
    (target.media_root / "stray.txt").write_text("?")
    result = target.duban("restore", backup)
    assert result.returncode == 2 and "MEDIA_ROOT" in result.stderr and "--replace" in result.stderr
    assert not tables_in(target)


def tables_in(instance: Instance) -> list[str]:
    import sqlite3

    path = instance.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def counts(instance: Instance) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(instance.database_url.removeprefix("sqlite:///")) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables_in(instance)}


def test_replace_first_backs_up_what_it_replaces(source, tmp_path):
    _, backup, before = source
    copy = tmp_path / "backups" / "2020-12-10"
    shutil.copytree(backup, copy)
    target = sqlite_instance(tmp_path / "target")
    assert target.duban("restore", copy).returncode == 0
    (target.media_root / "old.txt").write_text("the replaced instance's file")
    create = "from duban.accounts.services import jurisdiction_create as c; c(actor=None, code='x', name='某市')"
    target.checked("manage.py", "shell", "-c", create)
    held = counts(target)

    result = target.duban("restore", copy, "--replace")
    assert result.returncode == 0, result.stderr
    (safety,) = (tmp_path / "backups").glob("before-restore-*")
    assert result.stdout.splitlines()[0] == f"原有数据已先备份到 {safety}。"
    assert target.snapshot() == before
    assert not (target.media_root / "old.txt").exists()

    # What was replaced is a whole backup in its turn.
    assert sqlite_instance(tmp_path / "again").duban("restore", "--check", safety).returncode == 0
    manifest = read_manifest(safety)
    assert manifest["tables"] == {t: n for t, n in held.items() if not t.startswith("sqlite_")}
    assert "media/old.txt" in {f["path"] for f in manifest["files"]}


def test_check_verifies_without_touching(source, tmp_path):
    _, backup, _ = source
    target = sqlite_instance(tmp_path / "target")
    result = target.duban("restore", "--check", backup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"备份完整：{backup}") and result.stdout.endswith("可以恢复到本实例。\n")
    assert not target.media_root.exists() and not tables_in(target)


def test_empty_folders_in_media_root_do_not_count(source, tmp_path):
    _, backup, before = source
    target = sqlite_instance(tmp_path / "target")
    (target.media_root / "ledger" / "progress").mkdir(parents=True)
    assert target.duban("restore", backup).returncode == 0
    assert target.snapshot()["attachments"] == before["attachments"]


def test_a_backup_names_the_attachments_missing_from_media_root(source, tmp_path):
    instance, _, before = source
    damaged = sqlite_instance(tmp_path / "damaged")
    shutil.copy(instance.database_url.removeprefix("sqlite:///"), damaged.database_url.removeprefix("sqlite:///"))
    shutil.copytree(instance.media_root, damaged.media_root)
    lost = before["attachments"][0]["path"]
    (damaged.media_root / lost).unlink()

    result = damaged.duban("backup", tmp_path / "backup")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "缺失" in result.stderr and lost in result.stderr
    assert read_manifest(tmp_path / "backup")["media"]["missing"] == [lost]


# --- refusals, in-process: each stops before anything is written ---------------------------------


@pytest.fixture
def damaged(source, tmp_path, settings):
    """A copy of the backup to damage; this instance (the test database) is empty, its MEDIA_ROOT too."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    copy = tmp_path / "backup"
    shutil.copytree(source[1], copy)
    return copy


def edit_manifest(backup: Path, change) -> None:
    data = read_manifest(backup)
    change(data)
    (backup / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def first_media(backup: Path) -> Path:
    return backup / next(f["path"] for f in read_manifest(backup)["files"] if f["path"].startswith("media/"))


def refused(backup: Path, capsys, *words: str, args: tuple[str, ...] = ()) -> None:
    assert main(["restore", str(backup), *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("duban: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    assert tables_with_data() == []
    from django.conf import settings

    assert not Path(settings.MEDIA_ROOT).exists()


def flip_a_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))


class TestRefusals:
    def test_no_such_directory(self, damaged, capsys):
        refused(damaged / "nowhere", capsys, "备份目录不存在")

    def test_the_manifest_is_missing(self, damaged, capsys):
        (damaged / "manifest.json").unlink()
        refused(damaged, capsys, "缺少 manifest.json")

    def test_the_manifest_is_not_json(self, damaged, capsys):
        (damaged / "manifest.json").write_text('{"format": "duban-backup", ')
        refused(damaged, capsys, "备份清单已损坏")

    def test_the_manifest_lacks_a_field(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data.pop("tables"))
        refused(damaged, capsys, "缺少或写错了字段")

    def test_a_media_file_is_missing(self, damaged, capsys):
        lost = first_media(damaged)
        lost.unlink()
        refused(damaged, capsys, "备份不完整", lost.relative_to(damaged).as_posix())

    def test_the_database_file_is_missing(self, damaged, capsys):
        (damaged / "database.sqlite3").unlink()
        refused(damaged, capsys, "备份不完整", "database.sqlite3")

    def test_a_media_file_has_a_bad_checksum(self, damaged, capsys):
        flip_a_byte(first_media(damaged))
        refused(damaged, capsys, "备份已损坏", "SHA-256")

    def test_the_database_has_a_bad_checksum(self, damaged, capsys):
        flip_a_byte(damaged / "database.sqlite3")
        refused(damaged, capsys, "备份已损坏", "database.sqlite3", "SHA-256")

    def test_a_truncated_database(self, damaged, capsys):
        path = damaged / "database.sqlite3"
        path.write_bytes(path.read_bytes()[:4096])
        refused(damaged, capsys, "备份已损坏", "大小")

    def test_a_database_file_that_is_not_sqlite_even_with_a_matching_checksum(self, damaged, capsys):
        path = damaged / "database.sqlite3"
        path.write_bytes(b"not a database" * 100)

        def matching(data):
            entry = next(f for f in data["files"] if f["path"] == "database.sqlite3")
            entry.update(size=path.stat().st_size, sha256=sha256(path))

        edit_manifest(damaged, matching)
        refused(damaged, capsys, "不是可读的 SQLite 数据库")

    def test_a_path_leaving_the_backup(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data["files"].append({"path": "media/../../x", "size": 1, "sha256": ""}))
        refused(damaged, capsys, "越出备份目录")

    def test_the_wrong_engine(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data.update(engine="postgresql"))
        refused(damaged, capsys, "备份来自 PostgreSQL 数据库", "本实例使用 SQLite")

    def test_a_backup_of_a_newer_version(self, damaged, capsys):
        edit_manifest(damaged, lambda data: data["migrations"]["scoring"].append("0099_from_the_future"))
        refused(damaged, capsys, "较新版本", "scoring.0099_from_the_future")

    def test_a_target_holding_data(self, damaged, capsys, world):
        assert main(["restore", str(damaged)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and "目标数据库已有数据" in err and "accounts_jurisdiction" in err

    def test_a_backup_into_a_directory_that_holds_files(self, tmp_path, capsys):
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "keep.txt").write_text("mine")
        assert main(["backup", str(tmp_path / "full")]) == 2
        out, err = capsys.readouterr()
        assert out == "" and "已存在且不是空目录" in err
        assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
