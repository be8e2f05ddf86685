"""The 公文库's reads (a selectors module): issues with their 目录, documents with their full text and the
tasks drafted from them, and the search with its filters. Every query runs in the database; a page loads
only the rows it shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear

from duban.accounts.models import Jurisdiction
from duban.ledger.models import Document, GazetteIssue, Task
from duban.ledger.search import LibraryQuery, library_query, library_search

MAX_YEAR_PROBES = 200  # the years between a jurisdiction's first and last document the filter checks one by one


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    issuer: str = ""
    year: int | None = None
    kind: str = ""

    @property
    def any(self) -> bool:
        return bool(self.q or self.issuer or self.year or self.kind)


@dataclass
class LibraryResult:
    documents: QuerySet[Document]
    query: LibraryQuery | None = None
    terms: list[str] = field(default_factory=list)


def _task_count():
    """How many tasks were drafted from the document, as a subquery (no GROUP BY over the document's text)."""
    counted = Task.objects.filter(document=OuterRef("pk")).order_by().values("document").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def issues_of(jurisdiction: Jurisdiction) -> QuerySet[GazetteIssue]:
    return (
        GazetteIssue.objects.filter(jurisdiction=jurisdiction)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("-published", "-ingested_at", "-pk")
    )


def documents_of(jurisdiction: Jurisdiction) -> QuerySet[Document]:
    return (
        Document.objects.filter(jurisdiction=jurisdiction)
        .select_related("issue")
        .defer("search_tokens")
        .annotate(task_count=_task_count())
    )


def library_documents(jurisdiction: Jurisdiction, filters: LibraryFilters) -> LibraryResult:
    """The documents the filters (and the search, when there is one) select, newest first."""
    documents = documents_of(jurisdiction).defer("full_text")
    if filters.issuer:
        documents = documents.filter(issuer=filters.issuer)
    if filters.year:
        documents = documents.filter(date__year=filters.year)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    result = LibraryResult(documents=documents.order_by("-date", "-issue_id", "position", "pk"))
    if filters.q:
        query = library_query(filters.q, jurisdiction)
        result.query = query
        result.terms = query.terms
        result.documents = library_search(query, result.documents)
    return result


def filter_choices(jurisdiction: Jurisdiction) -> dict[str, list]:
    """The issuers, years and kinds the jurisdiction's documents have (the filters' choices)."""
    documents = Document.objects.filter(jurisdiction=jurisdiction)
    issuers = documents.exclude(issuer="").values_list("issuer", flat=True).distinct().order_by("issuer")
    kinds = documents.exclude(kind="").values_list("kind", flat=True).distinct().order_by("kind")
    return {"issuers": list(issuers), "kinds": list(kinds), "years": _years(documents)}


def _years(documents: QuerySet[Document]) -> list[int]:
    """The years ``documents`` are dated in, newest first: the first and the last date, then whether each year
    between has a document, one EXISTS a year in one query (a date range each, read from the index) — not the
    year of every document's date, which SQLite computes by a call into Python per document."""
    first = documents.order_by().aggregate(day=Min("date"))["day"]  # one each: the index's ends
    if first is None:
        return []
    last = documents.order_by().aggregate(day=Max("date"))["day"]
    years = range(last.year, first.year - 1, -1)
    if len(years) > MAX_YEAR_PROBES:  # dates far apart (a misread year): each document's year, as it is
        dated = documents.filter(date__isnull=False).annotate(year=ExtractYear("date"))
        return list(dated.values_list("year", flat=True).distinct().order_by("-year"))
    probes = {f"y{year}": Exists(documents.filter(date__year=year)) for year in years}
    found = documents.order_by().annotate(**probes).values(*probes)[0]
    return [year for year in years if found[f"y{year}"]]


def issue_documents(issue: GazetteIssue) -> QuerySet[Document]:
    return (
        issue.documents.defer("full_text", "search_tokens")
        .annotate(task_count=_task_count())
        .order_by("position", "pk")
    )


def document_tasks(document: Document) -> QuerySet[Task]:
    return document.tasks.prefetch_related("assignments__unit").order_by("position", "pk")


def issue_task_counts(issue: GazetteIssue) -> dict[str, int]:
    tasks = Task.objects.filter(document__issue=issue)
    counts = tasks.aggregate(
        draft=Count("pk", filter=Q(status=Task.Status.DRAFT)),
        confirmed=Count("pk", filter=Q(status=Task.Status.CONFIRMED)),
        rejected=Count("pk", filter=Q(status=Task.Status.REJECTED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def issue_with_bytes(jurisdiction: Jurisdiction, content: bytes) -> GazetteIssue | None:
    """The issue read from exactly these bytes in ``jurisdiction``, if any (the upload form's first check)."""
    from duban.ledger.ingest import content_digest

    return GazetteIssue.objects.filter(jurisdiction=jurisdiction, content_hash=content_digest(content)).first()
