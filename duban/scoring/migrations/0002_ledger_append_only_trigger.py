"""PostgreSQL refuses UPDATE and DELETE on the score ledger, whatever code talks to it."""

from django.db import migrations

from duban.accounts.append_only import forbid_update_delete_operation


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [forbid_update_delete_operation("scoring_consequenceentry")]
