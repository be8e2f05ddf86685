"""Store what intake read: the issue, its documents with full text, and their tasks as drafts.

A gazette is known by what it says, not by its bytes: the same issue in GB18030 instead of UTF-8,
with CRLF line ends, a BOM or a trailing newline is the same issue. Three identities, in order:
the SHA-256 of the file's bytes (the same file: nothing is read again); the digest of the issue's
normalised text (``text_hash``: every document's 文号, date and text, whitespace, zero-width
characters and full-/half-width differences aside); and per document its 文号 + date, or for a
document without 文号 the digest of its normalised text. Ingesting an equivalent file changes
nothing and says it was already read; an issue that reprints known documents stores only the
documents it adds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record
from duban.errors import InputError
from duban.ledger.models import Deadline, Document, GazetteIssue, Target, Task, TaskUnit
from duban.ledger.search import index_document


@dataclass
class IngestResult:
    issue: GazetteIssue
    created: bool
    documents: int = 0
    tasks: int = 0
    unresolved: list[str] = field(default_factory=list)
    already_read: int = 0  # documents of the file that were stored before (by an earlier issue)


class UnitResolver:
    """Printed unit names → the jurisdiction's units, by full name, short name or alias."""

    def __init__(self, jurisdiction: Jurisdiction):
        from duban import DIRECTORIES_DIR
        from duban.intake.directory import load_directory

        self.names: dict[str, Unit] = {}
        for unit in Unit.objects.filter(jurisdiction=jurisdiction):
            for name in (unit.name, unit.short_name, *(unit.aliases or [])):
                if name:
                    self.names.setdefault(_squeeze(name), unit)
        # The 机构名录 also knows spellings no alias lists: "驻马店市卫健委" for "市卫健委", "县区" for "各县区".
        path = DIRECTORIES_DIR / jurisdiction.code / "units.yaml"
        self.directory = load_directory(path) if path.exists() else None

    def resolve(self, printed: str) -> Unit | None:
        unit = self.names.get(_squeeze(printed))
        if unit is None and self.directory is not None:
            canonical = self.directory.resolve(printed)
            unit = self.names.get(_squeeze(canonical)) if canonical else None
        return unit


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def normalised(text: str | None) -> str:
    """Text as a reader compares it: NFKC (full- and half-width forms alike), without whitespace,
    line ends, BOMs or zero-width characters. (Frozen in migration ledger 0005 for the rows before it.)"""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")


def text_digest(text: str | None) -> str:
    """The SHA-256 of a document's normalised text; "" for a text with nothing in it."""
    kept = normalised(text)
    return hashlib.sha256(kept.encode("utf-8")).hexdigest() if kept else ""


def extraction_digest(documents: list[dict[str, Any]]) -> str:
    """The identity of an issue: its documents' 文号, date and normalised text, in order."""
    parts = [
        "\x1f".join((normalised(raw.get("doc_no")), str(_date(raw.get("date")) or ""), normalised(raw.get("text"))))
        for raw in documents
    ]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def known_document(jurisdiction: Jurisdiction, raw: dict[str, Any]) -> Document | None:
    """The stored document ``raw`` is: the same 文号 and date, or (without 文号) the same normalised text."""
    documents = Document.objects.filter(jurisdiction=jurisdiction)
    doc_no, date = (raw.get("doc_no") or "").strip(), _date(raw.get("date"))
    if doc_no and date is not None:
        return documents.filter(doc_no=doc_no, date=date).order_by("pk").first()
    digest = text_digest(raw.get("text"))
    return documents.filter(text_hash=digest).order_by("pk").first() if digest else None


def _already_read(issue: GazetteIssue) -> IngestResult:
    return IngestResult(
        issue=issue,
        created=False,
        documents=issue.documents.count(),
        tasks=Task.objects.filter(document__issue=issue).count(),
        unresolved=list(issue.unresolved_units),
    )


def issue_ingest(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    source_name: str,
    content: bytes,
    extraction: dict[str, Any] | None = None,
) -> IngestResult:
    """Read ``content`` (unless ``extraction`` is given) and store it; a known issue is left as it is."""
    digest = content_digest(content)
    existing = GazetteIssue.objects.filter(jurisdiction=jurisdiction, content_hash=digest).first()
    if existing is not None:
        return _already_read(existing)
    if extraction is None:
        extraction = _extract(content, source_name)
    documents = list(extraction.get("documents") or [])
    text_hash = extraction_digest(documents)
    existing = GazetteIssue.objects.filter(jurisdiction=jurisdiction, text_hash=text_hash).first()
    if existing is not None:
        return _already_read(existing)
    known = [known_document(jurisdiction, raw) for raw in documents]
    if documents and all(known):
        return _already_read(known[0].issue)  # type: ignore[union-attr]
    try:
        return _store(
            actor=actor,
            jurisdiction=jurisdiction,
            source_name=source_name,
            digest=digest,
            text_hash=text_hash,
            extraction=extraction,
            known=known,
        )
    except IntegrityError:  # the same issue, ingested at the same moment by another process
        existing = GazetteIssue.objects.filter(jurisdiction=jurisdiction, text_hash=text_hash).first()
        existing = existing or GazetteIssue.objects.filter(jurisdiction=jurisdiction, content_hash=digest).first()
        if existing is None:
            raise
        return _already_read(existing)


def _extract(content: bytes, source_name: str) -> dict[str, Any]:
    from duban.intake.extract import extract_bytes

    return extract_bytes(content, name=source_name)


@transaction.atomic
def _store(
    *,
    actor,
    jurisdiction: Jurisdiction,
    source_name: str,
    digest: str,
    text_hash: str,
    extraction: dict[str, Any],
    known: list[Document | None],
) -> IngestResult:
    resolver = UnitResolver(jurisdiction)
    header = extraction.get("issue") or {}
    issue = GazetteIssue.objects.create(
        jurisdiction=jurisdiction,
        source_name=source_name,
        content_hash=digest,
        text_hash=text_hash,
        title=header.get("title") or "",
        number=header.get("number") or "",
        published=_date(header.get("date")),
        table_of_contents=header.get("contents") or [],
        ingested_by=actor if actor is not None and actor.pk else None,
    )
    result = IngestResult(issue=issue, created=True)
    unresolved: dict[str, None] = {}
    by_doc_no: dict[str, Document] = {}
    by_title: dict[str, Document] = {}  # notices without a 文号, which their attachments name by title
    for position, raw in enumerate(extraction.get("documents") or []):
        stored = known[position]
        if stored is not None:  # printed before: kept once, with the tasks drawn from it then
            result.already_read += 1
            if stored.doc_no:
                by_doc_no[stored.doc_no] = stored
            by_title[stored.title] = stored
            continue
        document = Document.objects.create(
            issue=issue,
            jurisdiction=jurisdiction,
            position=position,
            doc_no=raw.get("doc_no") or "",
            title=raw.get("title") or "（无标题）",
            issuer=raw.get("issuer") or "",
            date=_date(raw.get("date")),
            kind=raw.get("kind") or "",
            speaker=raw.get("speaker") or "",
            attachment_of=by_doc_no.get(raw.get("attachment_of") or "")
            or by_title.get(raw.get("attachment_of_title") or ""),
            full_text=raw.get("text") or "",
            ocr=bool(raw.get("ocr")),
            text_hash=text_digest(raw.get("text")),
        )
        if document.doc_no:
            by_doc_no[document.doc_no] = document
        by_title[document.title] = document
        index_document(document)
        result.documents += 1
        for task_position, raw_task in enumerate(raw.get("tasks") or []):
            task = Task.objects.create(
                document=document,
                jurisdiction=jurisdiction,
                position=task_position,
                ref=raw_task.get("ref") or str(task_position + 1),
                title=(raw_task.get("title") or "")[:300],
                text=raw_task.get("text") or "",
            )
            result.tasks += 1
            for role, key in ((TaskUnit.Role.LEAD, "lead_units"), (TaskUnit.Role.RESPONSIBLE, "units")):
                for unit_position, printed in enumerate(raw_task.get(key) or []):
                    unit = resolver.resolve(printed)
                    if unit is None:
                        unresolved.setdefault(printed)
                    TaskUnit.objects.create(
                        task=task, role=role, printed_name=printed, unit=unit, position=unit_position
                    )
            _store_targets_and_deadlines(document, task, raw_task)
        _store_targets_and_deadlines(document, None, raw)
    issue.unresolved_units = list(unresolved)
    issue.save(update_fields=["unresolved_units"])
    result.unresolved = issue.unresolved_units
    audit_record(
        actor=actor,
        action=AuditAction.INGEST,
        instance=issue,
        before=None,
        after={
            "source_name": source_name,
            "content_hash": digest,
            "text_hash": text_hash,
            "documents": result.documents,
            "already_read": result.already_read,
            "tasks": result.tasks,
            "unresolved_units": result.unresolved,
        },
    )
    return result


def _store_targets_and_deadlines(document: Document, task: Task | None, raw: dict[str, Any]) -> None:
    for target in raw.get("targets") or []:
        Target.objects.create(
            document=document,
            task=task,
            text=target.get("text") or "",
            indicator=(target.get("indicator") or "")[:200],
            year=int(target["year"]),
            comparator=target.get("comparator") or ">=",
            value=_decimal(target.get("value")),
            unit_label=target.get("unit") or "",
        )
    for deadline in raw.get("deadlines") or []:
        date = _date(deadline.get("date"))
        if date is not None:
            Deadline.objects.create(document=document, task=task, text=(deadline.get("text") or "")[:200], date=date)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InputError(f"target value {value!r} is not a number") from None


def _squeeze(name: str) -> str:
    return "".join(name.split())
