"""The audit log and the score ledger only grow, whatever talks to the database: every way to change
or remove a row, on SQLite (the normal suite) and on PostgreSQL (`-m postgres`).

The model refuses what goes through it (AppendOnlyError); the database refuses the rest (a trigger:
"… is append-only (UPDATE refused)"): the base manager, raw SQL, an upsert, `loaddata` (which saves
past the model), SQLite's REPLACE, PostgreSQL's TRUNCATE, `manage.py flush`.
"""

from __future__ import annotations

import json

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction

from duban.accounts.append_only import AppendOnlyError, append_only_tables, append_only_triggers_sql
from duban.accounts.models import AuditLog
from duban.scoring.models import ConsequenceEntry
from tests.factories import decide

pytestmark = pytest.mark.django_db

MODELS = [pytest.param(AuditLog, id="audit-log"), pytest.param(ConsequenceEntry, id="score-ledger")]


@pytest.fixture
def rows(world):
    """A decision's ledger rows and the audit rows of the world and the decision, as they stand."""
    decide(world, "2020-05-12", ["通报批评"])
    assert ConsequenceEntry.objects.count() == 2

    def now() -> dict:
        return {model: list(model.objects.order_by("pk").values()) for model in (AuditLog, ConsequenceEntry)}

    before = now()
    yield before
    assert now() == before  # whatever was tried, nothing changed


def refused_by_the_database(statement) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def triggers_of(table: str) -> dict[str, bool]:
    """The triggers on ``table``, each with whether it is enabled."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        else:
            cursor.execute(
                "SELECT tgname, tgenabled <> 'D' FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {name: bool(enabled) for name, enabled in cursor.fetchall()}


def expected_triggers(table: str) -> dict[str, bool]:
    if connection.vendor == "sqlite":
        return {f"{table}_append_only_{op}": True for op in ("update", "delete", "replace")}
    return {f"{table}_append_only": True, f"{table}_append_only_truncate": True}


def test_every_append_only_table_has_its_triggers(database):
    """Also a guard: on SQLite a migration that rebuilds one of these tables drops its triggers
    (duban/accounts/append_only.py says what to add to such a migration)."""
    assert append_only_tables() == ["accounts_auditlog", "scoring_consequenceentry"]
    for table in append_only_tables():
        assert triggers_of(table) == expected_triggers(table), f"{table} has lost its append-only triggers"


def test_the_suites_flush_empties_the_tables_and_leaves_the_triggers_on(database, transactional_db):
    """What every transactional test ends with (tests/conftest.py): the tables emptied, the triggers
    back as they were, refusing again."""
    from tests.factories import build_world

    decide(build_world(), "2020-05-12", ["通报批评"])
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditLog.objects.exists() and not ConsequenceEntry.objects.exists()
    for table in append_only_tables():
        assert triggers_of(table) == expected_triggers(table)
    AuditLog.objects.create(actor_label="系统", action="ingest", object_type="x", object_id="1")
    refused_by_the_database(lambda: raw("DELETE FROM accounts_auditlog"))
    assert AuditLog.objects.count() == 1


@pytest.mark.parametrize("model", MODELS)
def test_the_model_refuses_what_goes_through_it(database, rows, model):
    row = model.objects.order_by("pk").first()
    column = "action" if model is AuditLog else "note"
    setattr(row, column, "tampered")
    for attempt in (
        row.save,
        row.delete,
        lambda: model.objects.filter(pk=row.pk).update(**{column: "tampered"}),
        lambda: model.objects.all().delete(),
        lambda: model.objects.bulk_update([row], [column]),
        lambda: model.objects.bulk_create([row], update_conflicts=True, unique_fields=["id"], update_fields=[column]),
    ):
        with pytest.raises(AppendOnlyError), transaction.atomic():
            attempt()


@pytest.mark.parametrize("model", MODELS)
def test_the_database_refuses_what_goes_around_the_model(database, rows, model):
    row = model.objects.order_by("pk").first()
    table = model._meta.db_table
    column = "action" if model is AuditLog else "note"
    setattr(row, column, "tampered")
    for attempt in (
        lambda: models.Model.save(row),  # an existing row saved past AppendOnlyModel.save
        lambda: model._base_manager.filter(pk=row.pk).update(**{column: "tampered"}),
        lambda: model._base_manager.filter(pk=row.pk).delete(),
        lambda: model._base_manager.all()._raw_delete(connection.alias),
        lambda: raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["tampered", row.pk]),
        lambda: raw(f"DELETE FROM {table} WHERE id = %s", [row.pk]),
        lambda: raw(f"DELETE FROM {table}"),
        # An upsert onto an existing row is an UPDATE (SQLite and PostgreSQL: ON CONFLICT DO UPDATE).
        lambda: model._base_manager.bulk_create(
            [row], update_conflicts=True, unique_fields=["id"], update_fields=[column]
        ),
    ):
        refused_by_the_database(attempt)


@pytest.mark.parametrize("model", MODELS)
def test_loaddata_cannot_change_an_existing_row(database, rows, model, tmp_path):
    row = model.objects.order_by("pk").first()
    [record] = json.loads(serializers.serialize("json", [row]))
    record["fields"]["action" if model is AuditLog else "note"] = "tampered"
    fixture = tmp_path / "tampered.json"
    fixture.write_text(json.dumps([record]), encoding="utf-8")
    refused_by_the_database(lambda: call_command("loaddata", str(fixture), verbosity=0))


def test_sqlite_refuses_a_replace_of_an_existing_row(rows):
    """REPLACE deletes the old row without firing DELETE triggers: an INSERT reusing a key is refused."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's REPLACE")
    row = AuditLog.objects.order_by("pk").first()
    for verb in ("REPLACE INTO", "INSERT OR REPLACE INTO"):
        refused_by_the_database(
            lambda verb=verb: raw(
                f"{verb} accounts_auditlog (id, actor_label, action, object_type, object_id, at) "
                "VALUES (%s, 'x', 'tampered', 'x', 'x', %s)",
                [row.pk, row.at],
            )
        )


def no_pending_checks(database: str) -> None:
    """PostgreSQL will not TRUNCATE a table with deferred foreign-key checks pending (the rows this
    test's transaction wrote): run them now, so that what refuses is the trigger."""
    if database == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
def test_postgresql_refuses_truncate(rows):
    no_pending_checks("postgresql")
    for table in append_only_tables():
        refused_by_the_database(lambda table=table: raw(f"TRUNCATE {table} CASCADE"))


def test_manage_py_flush_is_refused(database, rows, monkeypatch):
    """Emptying the database is refused outside the suite: only the suite's own flush, after a
    transactional test, lifts the triggers (tests/conftest.py), and here it is the plain one."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    no_pending_checks(database)
    monkeypatch.setattr(BaseDatabaseOperations, "execute_sql_flush", BaseDatabaseOperations.execute_sql_flush.plain)
    with pytest.raises(CommandError, match="couldn't be flushed") as refusal:
        call_command("flush", interactive=False, verbosity=0)
    assert "append-only" in str(refusal.value.__cause__)


def test_the_triggers_can_be_installed_again_and_appending_goes_on(database, world):
    """The operation of the migrations may be repeated (after a table rebuild on SQLite); the
    tables still take new rows, through the model and in bulk."""
    with connection.cursor() as cursor:
        for table in append_only_tables():
            for statement in append_only_triggers_sql(database, table)[0]:
                cursor.execute(statement)
    count = AuditLog.objects.count()
    refused_by_the_database(lambda: raw("DELETE FROM accounts_auditlog"))
    AuditLog.objects.create(actor_label="系统", action="ingest", object_type="x", object_id="1")
    AuditLog.objects.bulk_create([AuditLog(actor_label="系统", action="ingest", object_type="x", object_id="2")])
    assert AuditLog.objects.count() == count + 2
    decide(world, "2020-05-12", ["通报批评"])
    assert ConsequenceEntry.objects.count() == 2
