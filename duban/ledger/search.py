"""Full-text search over documents in Chinese.

Chinese has no spaces, so text is cut into words with jieba (search mode: long words and their
parts) and stored space-separated in ``Document.search_tokens``. SQLite indexes those tokens in an
FTS5 table; PostgreSQL in a GIN index over ``to_tsvector('simple', search_tokens)`` (both made by
migration 0002). A query is cut the same way and every word must match.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Length, NullIf, StrIndex, Substr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from duban.accounts.models import Jurisdiction
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


# --- the 公文库's search: words, unit names, snippets ---------------------------------------------------------

_PARTS = re.compile(r"[\s,，、;；]+")
SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 140


@dataclass(frozen=True)
class QueryPart:
    """One word of a query as typed: its jieba words, and when it names a unit of the 机构名录 every
    name the unit goes by (full name, short name, aliases)."""

    text: str
    words: tuple[str, ...]
    unit_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LibraryQuery:
    text: str
    parts: tuple[QueryPart, ...] = ()

    @property
    def terms(self) -> list[str]:
        """What a snippet marks, longest first (a unit's full name before its short name)."""
        found: dict[str, None] = {}
        for part in self.parts:
            for term in (*part.unit_names, part.text, *part.words):
                if len(term) >= 2 or term == part.text:
                    found.setdefault(term)
        return sorted(found, key=len, reverse=True)


def unit_names(jurisdiction: Jurisdiction, printed: str) -> tuple[str, ...]:
    """Every name of the unit ``printed`` names in ``jurisdiction`` (none when it names no unit)."""
    from duban.ledger.ingest import UnitResolver

    resolver = UnitResolver(jurisdiction)
    unit = resolver.resolve(printed)
    if unit is None:
        return ()
    names = {unit.name, unit.short_name, *(unit.aliases or [])}
    if resolver.directory is not None:
        names |= {alias for alias, canonical in resolver.directory.aliases.items() if canonical == unit.name}
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def library_query(text: str, jurisdiction: Jurisdiction) -> LibraryQuery:
    parts = []
    for piece in _PARTS.split((text or "").strip()):
        if not piece:
            continue
        words = tuple(tokenize(piece).split())
        names = unit_names(jurisdiction, piece)
        if words or names:
            parts.append(QueryPart(text=piece, words=words, unit_names=names))
    return LibraryQuery(text=text, parts=tuple(parts))


def _words_match(words: tuple[str, ...]) -> Q:
    """Documents whose indexed words hold every one of ``words`` (FTS5 on SQLite, GIN on PostgreSQL)."""
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))
    if connection.vendor == "postgresql":
        return Q(
            pk__in=RawSQL(
                "SELECT id FROM ledger_document "
                "WHERE to_tsvector('simple', search_tokens) @@ plainto_tsquery('simple', %s)",
                [" ".join(words)],
            )
        )
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=word)
    return condition


def _written(text: str) -> Q:
    return Q(full_text__contains=text) | Q(title__contains=text) | Q(doc_no__contains=text)


def library_search(query: LibraryQuery, documents: QuerySet[Document]) -> QuerySet[Document]:
    """The documents that match every part of the query — by its words, as written, or (a unit's name) by
    any name of the unit — in SQL, each annotated with ``hit`` (where the first term stands in its text)
    and ``snippet`` (the text around it), both computed by the database."""
    if not query.parts:
        return documents.none()
    for part in query.parts:
        condition = _words_match(part.words) | _written(part.text)
        for name in part.unit_names:
            condition |= _written(name)
        documents = documents.filter(condition)
    positions = [NullIf(StrIndex("full_text", Value(term)), Value(0)) for term in query.terms]
    hit = Coalesce(*positions, Value(1)) if len(positions) > 1 else Coalesce(positions[0], Value(1))
    start = Greatest(F("hit") - Value(SNIPPET_BEFORE), Value(1))
    return documents.annotate(hit=hit).annotate(
        snippet=Substr("full_text", start, SNIPPET_LENGTH),
        snippet_start=start,
        text_length=Length("full_text"),
    )


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` HTML-escaped, every occurrence of a term in <mark>."""
    if not terms:
        return format_html("{}", text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        pieces.append(conditional_escape(text[last : found.start()]))
        pieces.append(format_html("<mark>{}</mark>", found.group(0)))
        last = found.end()
    pieces.append(conditional_escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece was escaped above


def snippet_html(document: Document, terms: list[str]) -> SafeString:
    """A search hit's snippet (from ``library_search``'s annotations), marked, with … where it is cut."""
    snippet = " ".join((getattr(document, "snippet", "") or "").split())
    start = getattr(document, "snippet_start", 1) or 1
    before = "…" if start > 1 else ""
    after = "…" if start - 1 + SNIPPET_LENGTH < (getattr(document, "text_length", 0) or 0) else ""
    return format_html("{}{}{}", before, highlight(snippet, terms), after)
