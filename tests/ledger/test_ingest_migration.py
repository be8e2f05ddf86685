"""Migration ledger 0005 gives the issues and documents stored before it their text digests; an
issue ingested twice before it keeps its first copy as the known one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from duban.ledger.ingest import extraction_digest, text_digest

BEFORE = [("ledger", "0004_timestamps_from_clock")]
AFTER = [("ledger", "0005_documents_known_by_text")]


@pytest.mark.django_db(transaction=True)
def test_the_rows_before_the_migration_get_their_digests():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Jurisdiction = old.get_model("accounts", "Jurisdiction")
    GazetteIssue, Document = old.get_model("ledger", "GazetteIssue"), old.get_model("ledger", "Document")
    city = Jurisdiction.objects.create(code="zhumadian", name="驻马店市")
    text = "实施健康知识普及行动。\r\n向社会公众普及健康知识。"
    for copy, content_hash in enumerate(("a" * 64, "b" * 64)):
        issue = GazetteIssue.objects.create(jurisdiction=city, source_name=f"{copy}.txt", content_hash=content_hash)
        Document.objects.create(issue=issue, jurisdiction=city, doc_no="驻政〔2020〕23号", title="意见", full_text=text)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    GazetteIssue, Document = new.get_model("ledger", "GazetteIssue"), new.get_model("ledger", "Document")
    expected = extraction_digest([{"doc_no": "驻政〔2020〕23号", "date": None, "text": text}])
    assert list(GazetteIssue.objects.order_by("pk").values_list("text_hash", flat=True)) == [expected, ""]
    assert set(Document.objects.values_list("text_hash", flat=True)) == {text_digest(text)}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
