"""The only writes of duban.reports: numbering a document (发文字号) and, for the office, replacing a
jurisdiction's templates. Keyword-only, atomic, each with its audit row."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from duban import clock
from duban.accounts.models import AuditAction, Jurisdiction
from duban.accounts.services import audit_record, snapshot
from duban.reports.docx import issuer_of, reference_text
from duban.reports.exports import KINDS, ExportError
from duban.reports.models import IssuedDocument


def document_issue(
    *, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction, kind: str, subject_key: str, title: str
) -> IssuedDocument:
    """The 发文字号 of the document of `kind` about `subject_key` (e.g. the month "2020-07"): the one it was
    given the first time, or else the next number of the kind in the jurisdiction's sequence of this year.
    Numbers are never reused: a number is taken once, in this transaction, with its audit row."""
    if kind not in KINDS:
        raise ExportError(f"未知的公文种类：{kind}")
    subject_key = subject_key.strip()
    if not subject_key:
        raise ExportError("公文编号缺少事由")
    with transaction.atomic():
        # One numbering at a time per jurisdiction (PostgreSQL: the row lock; SQLite: BEGIN IMMEDIATE).
        Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()
        existing = IssuedDocument.objects.filter(jurisdiction=jurisdiction, kind=kind, subject_key=subject_key).first()
        if existing is not None:
            return existing
        prefix = issuer_of(jurisdiction, kind).prefix
        year = clock.today().year
        last = IssuedDocument.objects.filter(jurisdiction=jurisdiction, kind=kind, year=year).aggregate(
            last=Max("number")
        )["last"]
        number = (last or 0) + 1
        document = IssuedDocument.objects.create(
            jurisdiction=jurisdiction,
            kind=kind,
            subject_key=subject_key,
            year=year,
            number=number,
            reference=reference_text(prefix, year, number),
            title=title[:200],
            issued_at=clock.now(),
            issued_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(actor=actor, action=AuditAction.DOCUMENT_ISSUE, instance=document, after=snapshot(document))
    return document
