"""On PostgreSQL: the real gazette ingested, searched through the GIN index, ingested again unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from duban.accounts.services import jurisdiction_create, unit_directory_load
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Document, Task, TaskUnit
from duban.ledger.search import search_documents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"


def test_the_seed_ingests_and_searches_on_postgresql():
    city = jurisdiction_create(actor=None, code="zhumadian", name="驻马店市")
    unit_directory_load(actor=None, jurisdiction=city)
    content = SEED.read_bytes()
    result = issue_ingest(actor=None, jurisdiction=city, source_name=SEED.name, content=content)
    assert (result.documents, result.tasks, result.unresolved) == (12, 66, [])
    assert TaskUnit.objects.filter(unit__isnull=True).count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'ledger_document_search_gin'")
        assert cursor.fetchone() is not None
    titles = [d.title for d in search_documents("殡葬改革", Document.objects.filter(jurisdiction=city))]
    assert titles and all("殡葬" in t for t in titles)
    assert list(search_documents("量子计算机")) == []
    again = issue_ingest(actor=None, jurisdiction=city, source_name=SEED.name, content=content)
    assert not again.created and Task.objects.count() == 66
