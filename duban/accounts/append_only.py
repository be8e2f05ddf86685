"""Tables that only grow: the audit log and the score ledger.

A row, once written, is evidence. Corrections are new rows (a reversing ledger entry, a new audit
record), never edits, so the history can be replayed for any past date.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能删除")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        """Appending in bulk stays allowed; an upsert onto existing rows does not."""
        if update_conflicts:
            raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能修改")
        return super().bulk_create(objs, *args, **kwargs)

    # bulk_update goes through update().


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能删除")


def append_only_tables() -> list[str]:
    """The tables of every AppendOnlyModel: the audit log and the score ledger."""
    from django.apps import apps

    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel))


# --- the database refuses too ---------------------------------------------------------------------
#
# The guards above hold for code that goes through the model. The database itself refuses the rest
# (raw SQL, `loaddata`, which saves past the model, the base manager, a database shell):
# PostgreSQL since accounts/0002 and scoring/0002 (a row trigger on UPDATE and DELETE), SQLite and
# PostgreSQL's TRUNCATE since accounts/0007 and scoring/0005 (append_only_triggers_operation).
#
# SQLite drops a table's triggers when a migration rebuilds the table (many AlterField / AddField
# do there): a migration that rebuilds one of these tables must end with
# append_only_triggers_operation(table) again, which is safe to repeat. The suite checks that every
# append-only table has its triggers (tests/db/test_append_only_triggers.py).


def forbid_update_delete_sql(table: str) -> tuple[str, str]:
    """PostgreSQL trigger refusing UPDATE and DELETE on `table`: the server enforces it too.

    As accounts/0002 and scoring/0002 installed it; the TRUNCATE trigger and SQLite's triggers are
    append_only_triggers_sql's.
    """
    function = f"{table}_append_only"
    forward = f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{table} is append-only (% refused)', TG_OP;
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER {function}
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
    """
    backward = f"""
        DROP TRIGGER IF EXISTS {function} ON {table};
        DROP FUNCTION IF EXISTS {function}();
    """
    return forward, backward


def forbid_update_delete_operation(table: str):
    """The migration operation that installs (and on reverse removes) the PostgreSQL row trigger on
    ``table`` (accounts/0002, scoring/0002)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forbid_update_delete_sql(table)[0], params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forbid_update_delete_sql(table)[1], params=None)

    return migrations.RunPython(forward, backward)


def append_only_triggers_sql(vendor: str, table: str, pk: str = "id") -> tuple[list[str], list[str]]:
    """The statements that make ``table`` refuse, on the database ``vendor``, what the model refuses
    beyond forbid_update_delete_sql, and the statements that remove them again; each is idempotent.

    SQLite: triggers refusing UPDATE and DELETE, and an INSERT that reuses an existing row's key
    (``REPLACE INTO`` / ``INSERT OR REPLACE`` deletes the old row without firing DELETE triggers).
    PostgreSQL: a statement trigger refusing TRUNCATE, which row triggers never see; it calls the
    function of forbid_update_delete_sql (``… is append-only (TRUNCATE refused)``).
    Other databases: none.
    """
    if vendor == "sqlite":
        refuse = "SELECT RAISE(ABORT, '{table} is append-only ({op} refused)')"
        forward = [
            f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_update BEFORE UPDATE ON {table} "
            f"BEGIN {refuse.format(table=table, op='UPDATE')}; END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_delete BEFORE DELETE ON {table} "
            f"BEGIN {refuse.format(table=table, op='DELETE')}; END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {pk} = NEW.{pk}) "
            f"BEGIN {refuse.format(table=table, op='REPLACE')}; END",
        ]
        backward = [f"DROP TRIGGER IF EXISTS {table}_append_only_{op}" for op in ("update", "delete", "replace")]
        return forward, backward
    if vendor == "postgresql":
        trigger = f"{table}_append_only_truncate"
        backward = [f"DROP TRIGGER IF EXISTS {trigger} ON {table}"]
        forward = [
            *backward,
            f"CREATE TRIGGER {trigger} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
        ]
        return forward, backward
    return [], []


def append_only_triggers_operation(table: str):
    """The migration operation that installs append_only_triggers_sql on ``table`` for the database
    being migrated (and on reverse removes them): one operation, both databases."""
    from django.db import migrations

    def run(schema_editor, statements: list[str]) -> None:
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def forward(apps, schema_editor):
        run(schema_editor, append_only_triggers_sql(schema_editor.connection.vendor, table)[0])

    def backward(apps, schema_editor):
        run(schema_editor, append_only_triggers_sql(schema_editor.connection.vendor, table)[1])

    return migrations.RunPython(forward, backward)
