"""Where a task came from: its source kind and that kind's fields, stated once.

A task of kind ``document`` (公文) comes from a stored document (``Task.document``); every other kind
keeps its fields in one ``TaskSource`` row beside the task. ``SOURCE_KINDS`` is the one place that
says which kinds exist, what each is called, which fields it has and what each field is called; the
model, the services, the 立项 form, the task page and the ledger's filter read it.

The ``TaskSource`` columns are shared by meaning, and each kind names them in its own words: ``person``
is the 批示领导 of a 领导批示 and the 提案人 of a 政协提案; ``origin`` the 会议名称, the 交办机关 or the
反映渠道; ``number`` the 纪要编号, the 交办文号, the 建议/提案编号 or the 受理编号.

``TaskSourceInput`` is what a caller hands to ``services.task_open``; ``clean_source`` checks it and
returns the values to store (``ValidationError`` naming the field, in Chinese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from duban import clock
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.inputs import visible_text

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from duban.accounts.models import Jurisdiction
    from duban.ledger.models import Document, Task

DOCUMENT = "document"
INSTRUCTION = "instruction"
MEETING = "meeting"
SUPERIOR = "superior"
NPC_SUGGESTION = "npc"
CPPCC_PROPOSAL = "cppcc"
PUBLIC = "public"
WORKBOOK = "workbook"


@dataclass(frozen=True)
class SourceField:
    name: str  # the TaskSourceInput attribute and the TaskSource column
    label: str
    required: bool = True
    kind: str = "text"  # text, longtext, date, file, integer, document
    max_length: int = 0


@dataclass(frozen=True)
class SourceKind:
    code: str
    label: str
    fields: tuple[SourceField, ...]

    def field(self, name: str) -> SourceField | None:
        return next((f for f in self.fields if f.name == name), None)


# The columns' sizes (TaskSource), stated once: the model reads them too.
MAX_LENGTHS = {"person": 60, "origin": 200, "number": 100, "file_name": 255, "sheet": 100}


def _text(name: str, label: str, *, required: bool = True) -> SourceField:
    return SourceField(name, label, required, "text", MAX_LENGTHS[name])


SOURCE_KINDS: dict[str, SourceKind] = {
    kind.code: kind
    for kind in (
        SourceKind(DOCUMENT, "公文", (SourceField("document", "来源公文", kind="document"),)),
        SourceKind(
            INSTRUCTION,
            "领导批示",
            (
                _text("person", "批示领导"),
                SourceField("date", "批示日期", kind="date"),
                SourceField("words", "批示内容", kind="longtext"),
                SourceField("attachment", "批示件", required=False, kind="file"),
            ),
        ),
        SourceKind(
            MEETING,
            "会议交办",
            (
                _text("origin", "会议名称"),
                SourceField("date", "会议日期", kind="date"),
                _text("number", "纪要编号", required=False),
            ),
        ),
        SourceKind(SUPERIOR, "上级交办", (_text("origin", "交办机关"), _text("number", "交办文号", required=False))),
        SourceKind(NPC_SUGGESTION, "人大建议", (_text("number", "建议编号"), _text("person", "提出代表"))),
        SourceKind(CPPCC_PROPOSAL, "政协提案", (_text("number", "提案编号"), _text("person", "提案人"))),
        SourceKind(PUBLIC, "群众反映", (_text("origin", "反映渠道"), _text("number", "受理编号", required=False))),
        SourceKind(
            WORKBOOK,
            "任务分解表",
            (
                _text("file_name", "文件名"),
                _text("sheet", "工作表"),
                SourceField("row", "行号", kind="integer"),
            ),
        ),
    )
}
KIND_CHOICES = [(kind.code, kind.label) for kind in SOURCE_KINDS.values()]
# The kinds the office opens by hand on the 立项 page (公文 arrive by ingest, 任务分解表 by import).
HAND_KINDS = (INSTRUCTION, MEETING, SUPERIOR, NPC_SUGGESTION, CPPCC_PROPOSAL, PUBLIC)


@dataclass(frozen=True)
class TaskSourceInput:
    """A task's source as a caller gives it: the kind and that kind's fields (the others left empty)."""

    kind: str
    document: Document | None = None
    person: str = ""
    origin: str = ""
    number: str = ""
    date: dt.date | None = None
    words: str = ""
    attachment: UploadedFile | None = None
    file_name: str = ""
    sheet: str = ""
    row: int | None = None


FIELD_NAMES = tuple(f.name for f in fields(TaskSourceInput) if f.name != "kind")


def source_kind(code: str) -> SourceKind:
    kind = SOURCE_KINDS.get(code)
    if kind is None:
        raise ValidationError({"kind": "请选择任务来源（" + "、".join(k.label for k in SOURCE_KINDS.values()) + "）"})
    return kind


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not visible_text(value))


def clean_source(source: TaskSourceInput, *, jurisdiction: Jurisdiction) -> dict[str, Any]:
    """The checked values of ``source``'s fields, by name; a refusal names the field.

    A required field must be given, a field of another kind must not be, a date must be plausible
    and not after today, a 批示件 must be a file the ledger keeps (``attachments.check_attachment``)
    and a document must be of ``jurisdiction``."""
    from duban.ledger.attachments import check_attachment

    kind = source_kind(source.kind)
    for name in FIELD_NAMES:
        if kind.field(name) is None and not _empty(getattr(source, name)):
            raise ValidationError({name: f"“{kind.label}”来源没有这一项，请勿填写"})
    values: dict[str, Any] = {}
    for spec in kind.fields:
        value = getattr(source, spec.name)
        if _empty(value):
            if spec.required:
                verb = "请选择" if spec.kind in ("document", "file") else "请填写"
                raise ValidationError({spec.name: f"{verb}{spec.label}"})
            continue
        if spec.kind in ("text", "longtext"):
            value = required_text(spec.name, str(value), f"请填写{spec.label}")
            if spec.max_length and len(value) > spec.max_length:
                raise ValidationError({spec.name: f"{spec.label}过长（最多 {spec.max_length} 字）"})
        elif spec.kind == "date":
            if not isinstance(value, dt.date):
                raise ValidationError({spec.name: f"{spec.label}不是日期"})
            refuse_implausible_dates(**{spec.name: (value, spec.label)})
            if value > clock.today():
                raise ValidationError({spec.name: f"{spec.label}不能晚于今天"})
        elif spec.kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValidationError({spec.name: f"{spec.label}须是正整数"})
        elif spec.kind == "file":
            try:
                values["attachment_type"] = check_attachment(value)
            except ValidationError as error:
                raise ValidationError({spec.name: error.message_dict["attachments"]}) from None
        elif spec.kind == "document" and value.jurisdiction_id != jurisdiction.pk:
            raise ValidationError({spec.name: f"公文“{value.title}”不属于本辖区"})
        values[spec.name] = value
    return values


def source_rows(task: Task) -> list[tuple[str, Any]]:
    """The task's source as (label, value) rows for a page: the kind first, then its fields given."""
    kind = SOURCE_KINDS[task.source_kind]
    rows: list[tuple[str, Any]] = [("来源类型", kind.label)]
    if task.source_kind == DOCUMENT:
        document = task.document
        if document is not None:
            rows.append(("来源公文", str(document)))
            if document.date:
                rows.append(("成文日期", document.date))
        return rows
    detail = getattr(task, "source", None)
    if detail is None:
        return rows
    for spec in kind.fields:
        if spec.kind == "file":
            continue  # the page links the 批示件 itself
        value = getattr(detail, spec.name)
        if not _empty(value):
            rows.append((spec.label, value))
    return rows


def source_summary(task: Task) -> str:
    """One line naming where the task came from, for lists, 督办单 and cases."""
    if task.source_kind == DOCUMENT:
        document = task.document
        return (document.doc_no or document.title) if document is not None else "公文"
    kind = SOURCE_KINDS[task.source_kind]
    detail = getattr(task, "source", None)
    parts = []
    for spec in kind.fields:
        value = getattr(detail, spec.name, None) if spec.kind not in ("file", "longtext") else None
        if not _empty(value):
            parts.append(value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value))
    return f"{kind.label}：{' '.join(parts)}" if parts else kind.label
