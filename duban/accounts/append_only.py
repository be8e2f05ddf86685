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

    # bulk_update goes through update(); bulk_create (append) stays allowed.


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


def forbid_update_delete_sql(table: str) -> tuple[str, str]:
    """PostgreSQL trigger refusing UPDATE and DELETE on `table`: the server enforces it too.

    Row triggers do not fire on TRUNCATE, so test-database flushes keep working. SQLite gets no
    trigger because Django's flush there is a plain DELETE.
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
    """The migration operation that installs (and on reverse removes) the PostgreSQL trigger on
    ``table``; other databases rely on the model and queryset guards above."""
    from django.db import migrations

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forbid_update_delete_sql(table)[0], params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forbid_update_delete_sql(table)[1], params=None)

    return migrations.RunPython(forward, backward)
