"""PostgreSQL refuses UPDATE and DELETE on the audit log, whatever code talks to it."""

from django.db import migrations

from duban.accounts.append_only import forbid_update_delete_sql

TABLE = "accounts_auditlog"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(forbid_update_delete_sql(TABLE)[0], params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(forbid_update_delete_sql(TABLE)[1], params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
