"""PostgreSQL refuses UPDATE and DELETE on the audit log, whatever code talks to it."""

from django.db import migrations

from duban.accounts.append_only import forbid_update_delete_operation


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [forbid_update_delete_operation("accounts_auditlog")]
