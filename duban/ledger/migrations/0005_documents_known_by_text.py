# A gazette is known by its text, not its bytes (issue 8): the issue's and each document's digest
# of normalised text, filled in for the rows already stored.

import hashlib
import unicodedata

from django.db import migrations, models


# duban.ledger.ingest.normalised / text_digest / extraction_digest as they were written with this
# migration (frozen here: a later change of those functions must not change what this one did).
def _normalised(text):
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fill_text_hashes(apps, schema_editor):
    GazetteIssue = apps.get_model("ledger", "GazetteIssue")
    Document = apps.get_model("ledger", "Document")
    for document in Document.objects.all().iterator():
        kept = _normalised(document.full_text)
        document.text_hash = _digest(kept) if kept else ""
        document.save(update_fields=["text_hash"])
    seen = set()
    for issue in GazetteIssue.objects.order_by("pk").iterator():
        parts = [
            "\x1f".join((_normalised(d.doc_no), d.date.isoformat() if d.date else "", _normalised(d.full_text)))
            for d in Document.objects.filter(issue=issue).order_by("position")
        ]
        text_hash = _digest("\x1e".join(parts))
        # An issue ingested twice before this migration keeps its first copy as the known one.
        if (issue.jurisdiction_id, text_hash) in seen:
            continue
        seen.add((issue.jurisdiction_id, text_hash))
        issue.text_hash = text_hash
        issue.save(update_fields=["text_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0004_timestamps_from_clock"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="text_hash",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64, verbose_name="正文摘要（SHA-256）"
            ),
        ),
        migrations.AddField(
            model_name="gazetteissue",
            name="text_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="正文摘要（SHA-256）"),
        ),
        migrations.RunPython(fill_text_hashes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="gazetteissue",
            constraint=models.UniqueConstraint(
                condition=models.Q(("text_hash", ""), _negated=True),
                fields=("jurisdiction", "text_hash"),
                name="issue_text_unique_in_jurisdiction",
            ),
        ),
    ]
