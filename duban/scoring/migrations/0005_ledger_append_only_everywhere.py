"""The score ledger is append-only in the database on SQLite too (UPDATE, DELETE, REPLACE refused),
and PostgreSQL refuses TRUNCATE as well as UPDATE and DELETE (0002)."""

from django.db import migrations

from duban.accounts.append_only import append_only_triggers_operation


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_effect_labels")]
    operations = [append_only_triggers_operation("scoring_consequenceentry")]
