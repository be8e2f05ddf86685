"""Fixtures shared by every suite: the worlds of tests/factories.py, and the demo loaded once."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import World, build_world, city_create
from tests.once import built_once


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file of this run (of this worker, under pytest-xdist), as
    var/duban.sqlite3 is: pytest-django's default in-memory database has another locking model
    (shared cache: table locks that never wait), and its live server shares the test's one
    connection between all request threads, so concurrent requests would not be concurrent."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.getbasetemp() / "duban-test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_append_only_triggers():
    """After each transactional test (`transactional_db`, `live_server`) Django empties every table
    (TransactionTestCase's flush: DELETE on SQLite, TRUNCATE on PostgreSQL), which the append-only
    triggers refuse (duban/accounts/append_only.py). Inside the flush's own transaction the triggers
    the tables have come off (SQLite: dropped and re-created from their own stored SQL; PostgreSQL:
    disabled and enabled again), so the next test meets exactly the triggers the migrations left;
    if anything fails, the transaction rolls back with them in place. Only the suite's flush does
    this: production's `manage.py flush` is refused (tests/db/test_append_only_triggers.py)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from duban.accounts.append_only import append_only_tables

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        tables = append_only_tables()
        off: list[str] = []
        on: list[str] = []
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                placeholders = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",
                    tables,
                )
                triggers = cursor.fetchall()
            off = [f'DROP TRIGGER "{name}"' for name, _ in triggers]
            on = [sql for _, sql in triggers]
        elif self.connection.vendor == "postgresql":
            off = [f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in tables]
            on = [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in tables]
        return flush(self, [*off, *sql_list, *on])

    execute_sql_flush.plain = flush  # what production runs (tests/db/test_append_only_triggers.py)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    """Passwords hashed with MD5 in tests: Django's PBKDF2 (a million rounds) takes a third of a
    second per login, and the suites create hundreds. Logins still check the password; production's
    hashers are the default ones (the deploy check runs in its own process)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads land in a temporary folder of this run (of this worker, under pytest-xdist), never in var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def world(db) -> World:
    """The world of the spec's examples (tests.factories.build_world)."""
    return build_world()


@pytest.fixture
def city(db):
    """驻马店市 alone, created without an actor."""
    return city_create()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (duban.web.demo.load_demo, seconds to load) loaded once for the module's tests,
    which only read it; rolled back when the module ends (tests/once.py). Tests that load the demo
    themselves (idempotence) or need a live server do not use it."""
    from duban.web.demo import load_demo

    yield from built_once(django_db_blocker, load_demo)


# --- the upload worker (huey) as production runs it: tests/ledger/test_upload_worker.py, the browser's upload --


@pytest.fixture
def queue_file(tmp_path, monkeypatch):
    """The queue as production has it: a SQLite file, not immediate, for the length of the test."""
    from huey.contrib.djhuey import HUEY

    path = tmp_path / "queue.sqlite3"
    monkeypatch.setattr(HUEY, "storage_kwargs", {**HUEY.storage_kwargs, "filename": str(path)})
    HUEY.immediate = False  # huey makes its file storage again from storage_kwargs
    yield path
    HUEY.immediate = True


@pytest.fixture
def worker(queue_file):
    """`manage.py run_huey` in a process of its own, on the test's database file and queue file (a
    transactional test's: the rows it writes are committed, so the worker sees them)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the worker shares the suite's SQLite file")
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DUBAN_TEST_QUEUE_WORKER": "1",
        "DUBAN_QUEUE_FILE": str(queue_file),
        "DATABASE_URL": f"sqlite:///{database['NAME']}",
        "PYTHONPATH": str(root),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def fake_robot():
    """A local 钉钉 / 企业微信 group robot (tests/factories.py FakeRobot), stopped after the test."""
    from tests.factories import FakeRobot

    robot = FakeRobot()
    yield robot
    robot.close()
