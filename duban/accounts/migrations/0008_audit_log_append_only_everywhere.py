"""The audit log is append-only in the database on SQLite too (UPDATE, DELETE, REPLACE refused),
and PostgreSQL refuses TRUNCATE as well as UPDATE and DELETE (0002)."""

from django.db import migrations

from duban.accounts.append_only import append_only_triggers_operation


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_audit_actions_logins_import")]
    operations = [append_only_triggers_operation("accounts_auditlog")]
