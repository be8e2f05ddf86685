"""The database settings (duban/web/settings.py): SQLite in WAL with a busy timeout and immediate
transactions, on every connection, the demo's file and the suite's alike; PostgreSQL as it was."""

from __future__ import annotations

import runpy
import sqlite3
from pathlib import Path

import dj_database_url
import pytest
from django.db import connection, transaction
from django.db.utils import ConnectionHandler

import duban.web.settings
from duban import PROJECT_DIR

PRAGMAS = {"journal_mode": "wal", "busy_timeout": 20000, "synchronous": 1}  # synchronous 1 = NORMAL


def settings_databases(monkeypatch, database_url: str | None) -> dict:
    """DATABASES as duban/web/settings.py builds it from the environment, read afresh."""
    if database_url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", database_url)
    return runpy.run_path(str(Path(duban.web.settings.__file__)))["DATABASES"]


def pragmas(cursor) -> dict:
    return {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}


def test_the_demo_database_is_opened_in_wal_with_a_busy_timeout(monkeypatch, tmp_path, django_db_blocker):
    default = settings_databases(monkeypatch, None)["default"]
    assert Path(default["NAME"]) == PROJECT_DIR / "var" / "duban.sqlite3"  # what make demo migrates and serves
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    # The same settings on a fresh file: every pragma holds on the connection Django opens.
    handler = ConnectionHandler({"default": {**default, "NAME": str(tmp_path / "duban.sqlite3")}})
    with django_db_blocker.unblock():
        try:
            with handler["default"].cursor() as cursor:
                assert pragmas(cursor) == PRAGMAS
            assert handler["default"].transaction_mode == "IMMEDIATE"
        finally:
            handler.close_all()
    # WAL is a property of the file: any later client (sqlite3, a backup) finds it so.
    assert sqlite3.connect(tmp_path / "duban.sqlite3").execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_postgresql_settings_are_the_urls_with_no_jit(monkeypatch):
    # the URL's own settings, and no just-in-time compilation of queries (it cost more than the queries)
    url = "postgres://duban@db.example:5432/duban"
    expected = dj_database_url.parse(url, conn_max_age=60)
    assert settings_databases(monkeypatch, url) == {"default": {**expected, "OPTIONS": {"options": "-c jit=off"}}}
    with_ssl = settings_databases(monkeypatch, f"{url}?sslmode=require")["default"]["OPTIONS"]
    assert with_ssl == {"sslmode": "require", "options": "-c jit=off"}


def test_a_sqlite_database_url_gets_the_same_options(monkeypatch, tmp_path):
    options = settings_databases(monkeypatch, f"sqlite:///{tmp_path / 'other.sqlite3'}")["default"]["OPTIONS"]
    assert options == settings_databases(monkeypatch, None)["default"]["OPTIONS"]


@pytest.mark.django_db(transaction=True)
def test_the_suite_runs_on_what_production_runs_on():
    """The suite's SQLite test database is a file with the same pragmas, and a transaction takes the
    write lock when it begins: a second writer cannot start while it is open, even before it writes."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    path = connection.settings_dict["NAME"]
    assert not connection.is_in_memory_db() and Path(path).is_file()
    with connection.cursor() as cursor:
        assert pragmas(cursor) == PRAGMAS
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
        other.execute("ROLLBACK")
    finally:
        other.close()
