"""The full-text index of documents: FTS5 on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS ledger_document_fts USING fts5(tokens)")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ledger_document_search_gin "
            "ON ledger_document USING gin (to_tsvector('simple', search_tokens))"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS ledger_document_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ledger_document_search_gin")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
