"""PostgreSQL refuses UPDATE and DELETE on the score ledger, whatever code talks to it."""

from django.db import migrations

from duban.accounts.append_only import forbid_update_delete_sql

TABLE = "scoring_consequenceentry"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(forbid_update_delete_sql(TABLE)[0], params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(forbid_update_delete_sql(TABLE)[1], params=None)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
