"""On a real PostgreSQL server: the migrations, the ledger's append-only trigger, sync and ranking.

Run by `make test` as `scripts/with-postgres .venv/bin/python -m pytest -m postgres`; skipped in a
plain `pytest` run. This module always holds postgres tests, so that run never collects nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from duban.accountability.services import decision_appeal, decision_revoke
from duban.accounts.models import AuditLog
from duban.scoring.models import ConsequenceEntry
from duban.scoring.selectors import monthly_ranking
from duban.scoring.services import ledger_sync
from tests.factories import decide

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_server_is_postgresql_15():
    assert connection.vendor == "postgresql"
    assert connection.pg_version // 10000 == 15


def test_the_connection_compiles_no_query_just_in_time():
    # settings: JIT off for duban's connections (it cost ~28 ms of the ledger's 60 ms count by light)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_migrations_are_applied_and_complete():
    # The test database was built by running every migration, and the models need no new one.
    call_command("makemigrations", "accounts", "accountability", "scoring", check=True, dry_run=True, verbosity=0)
    loader = MigrationLoader(connection)
    ours = {key for key in loader.graph.nodes if key[0] in ("accounts", "accountability", "scoring")}
    assert ("scoring", "0002_ledger_append_only_trigger") in ours
    assert ours <= loader.applied_migrations.keys()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")
        triggers = [row[0] for row in cursor.fetchall()]
    assert triggers == [
        "accounts_auditlog_append_only",
        "accounts_auditlog_append_only_truncate",
        "scoring_consequenceentry_append_only",
        "scoring_consequenceentry_append_only_truncate",
    ]


def test_ledger_sync_and_ranking_on_the_server(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-06-03", ["通报批评"])
    talk = decide(world, "2020-07-20", ["工作约谈"])
    assert [(r.rank, r.unit.name, r.score) for r in monthly_ranking(world.city, "2020-07")] == [
        (1, "市卫健体委", 100),
        (1, "市教育局", 100),
        (3, "市城市管理局", 90),
    ]
    assert ledger_sync(jurisdiction=world.city, actor=world.actor) == []

    talk = decision_appeal(actor=world.actor, decision=talk, filed_on=dt.date(2020, 7, 25))
    decision_revoke(actor=world.actor, decision=talk)
    assert monthly_ranking(world.city, "2020-07")[-1].score == 100
    assert ConsequenceEntry.objects.filter(decision=talk, value__lt=0).count() == 11


@pytest.mark.parametrize("table", ["scoring_consequenceentry", "accounts_auditlog"])
def test_the_server_refuses_to_edit_append_only_tables(world, table):
    decide(world, "2020-05-12", ["通报批评"])
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ConsequenceEntry.objects.count() == 2
    assert AuditLog.objects.filter(action="ledger_sync").count() == 1
