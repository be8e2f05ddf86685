"""Full-text search over documents in Chinese.

Chinese has no spaces, so text is cut into words with jieba (search mode: long words and their
parts) and stored space-separated in ``Document.search_tokens``. SQLite indexes those tokens in an
FTS5 table; PostgreSQL in a GIN index over ``to_tsvector('simple', search_tokens)`` (both made by
migration 0002). A query is cut the same way and every word must match.
"""

from __future__ import annotations

import logging
import re

from django.db import connection
from django.db.models import QuerySet

from duban.ledger.models import Document

FTS_TABLE = "ledger_document_fts"
_WORD = re.compile(r"[\w\u4e00-\u9fff]+")


def tokenize(text: str) -> str:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on stderr otherwise
    words = (w.strip() for w in jieba.cut_for_search(text or ""))
    return " ".join(w for w in words if w and _WORD.fullmatch(w))


def index_document(document: Document) -> None:
    """Store the document's tokens and (on SQLite) its row in the FTS5 table."""
    tokens = tokenize(f"{document.title}\n{document.doc_no}\n{document.full_text}")
    Document.objects.filter(pk=document.pk).update(search_tokens=tokens)
    document.search_tokens = tokens
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (%s, %s)", [document.pk, tokens])


def search_documents(query: str, documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    documents = documents if documents is not None else Document.objects.all()
    words = tokenize(query).split()
    if not words:
        return documents.none()
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            ids = [row[0] for row in cursor.fetchall()]
        return documents.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        return documents.extra(
            where=["to_tsvector('simple', search_tokens) @@ plainto_tsquery('simple', %s)"], params=[" ".join(words)]
        )
    for word in words:  # other databases: a plain scan over the tokens
        documents = documents.filter(search_tokens__contains=word)
    return documents
