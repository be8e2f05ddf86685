"""The planner's statistics are gathered again after migrations are applied (duban.web.planner)."""

from __future__ import annotations

import pytest
from django.db import connection

from duban.web.planner import after_migrate, planner_statistics_refresh
from tests.ledger.ledger_world import build_ledger_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(db):
    return build_ledger_world()


def _tables_with_statistics() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite_stat1 is SQLite's")
def test_after_migrations_were_applied_the_tables_have_statistics_again(tasks):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")  # as a rebuilt table's are
    after_migrate(None, plan=[])  # nothing applied: nothing to do
    assert "ledger_task" not in _tables_with_statistics()
    after_migrate(None, plan=[("a migration", False)])
    assert {"ledger_task", "accounts_unit", "ledger_taskunit"} <= _tables_with_statistics()


def test_gathering_them_again_changes_no_row(tasks):
    from duban.ledger.models import Task

    before = list(Task.objects.values_list("pk", "ledger_place").order_by("pk"))
    planner_statistics_refresh()
    assert list(Task.objects.values_list("pk", "ledger_place").order_by("pk")) == before


def test_the_test_database_made_by_migrate_was_analyzed():
    """The suite's database is made by ``migrate``: the hook ran at its end (the table exists)."""
    if connection.vendor != "sqlite":
        pytest.skip("sqlite_master is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
