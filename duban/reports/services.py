"""The only writes of duban.reports: numbering a document (发文字号) and, for the office, replacing a
jurisdiction's templates. Keyword-only, atomic, each with its audit row."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from duban import clock
from duban.accounts.models import AuditAction, Jurisdiction
from duban.accounts.services import audit_record, snapshot
from duban.reports.docx import issuer_of, jurisdiction_folder, reference_text, template_problem
from duban.reports.exports import KINDS, ExportError
from duban.reports.models import IssuedDocument
from duban.reports.samples import SAMPLES


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
        Jurisdiction.objects.select_for_update(no_key=True).filter(pk=jurisdiction.pk).first()
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


TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def document_template_replace(
    *, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction, template: str, content: bytes
) -> None:
    """Put `content` in place of the jurisdiction's `template` (e.g. "order.docx"), once it renders with the
    template's sample context; the file is written beside and renamed into place, with an audit row."""
    if template not in SAMPLES:
        raise ExportError(f"没有可替换的公文模板 {template}")
    if not content:
        raise ExportError("上传的模板是空文件")
    if len(content) > TEMPLATE_MAX_BYTES:
        raise ExportError(f"上传的模板超过 {TEMPLATE_MAX_BYTES // (1024 * 1024)} MB")
    problem = template_problem(content, SAMPLES[template][1])
    if problem is not None:
        raise ExportError(f"上传的模板 {template} 有误：{problem}")
    folder = jurisdiction_folder(jurisdiction)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / template
    before = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".docx")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.DOCUMENT_TEMPLATE_REPLACE,
                object_type="reports.template",
                object_id=f"{jurisdiction.code}/{template}",
                before={"sha256": before} if before else None,
                after={"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)},
            )
            os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
