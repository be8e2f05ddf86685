"""The extraction pipeline: text → cleanup → documents → structure → tasks, targets, deadlines.

`extract_text` / `extract_file` return the JSON object of the contract
(../shared/spec/extraction.md): {"source", "documents": [...]}. Per task, when a unit directory
applies, the extra keys `resolved_lead_units`, `resolved_units` and `unresolved` are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NotRequired, TypedDict

from duban.errors import InputError
from duban.intake.cleanup import clean_lines
from duban.intake.dates import parse_date
from duban.intake.deadlines import Deadline, DeadlineDict, deadlines_in_sentence, parse_deadline_text
from duban.intake.directory import UnitDirectory, directory_for, resolve_units
from duban.intake.doc_kinds import kind_of
from duban.intake.doc_numbers import is_doc_no_line, normalise_doc_no
from duban.intake.documents import DocumentBlock, document_year_hint, split_documents
from duban.intake.issue import IssueHeader, read_issue_header
from duban.intake.page_info import PageInfo, page_text
from duban.intake.reading import Reading, read_source, read_source_bytes
from duban.intake.sentences import sentences
from duban.intake.speech import assignee, involved_places, named_assignees, point_title, roles, speech_ref
from duban.intake.structure import Node, build_tree
from duban.intake.tables import read_text_tables
from duban.intake.targets import Target, TargetDict, targets_in_sentence
from duban.intake.tasks import TaskDraft, annotated_tasks, is_regulation


class TaskDict(TypedDict):
    """A task as the contract prints it; the resolved_* keys when a unit directory applies."""

    ref: str
    title: str
    lead_units: list[str]
    units: list[str]
    targets: list[TargetDict]
    deadlines: list[DeadlineDict]
    resolved_lead_units: NotRequired[list[str]]
    resolved_units: NotRequired[list[str]]
    unresolved: NotRequired[list[str]]
    text: NotRequired[str]  # include_text only


class _DocumentFields(TypedDict):
    """A document's keys other than its tasks, targets and deadlines, which follow the first five
    (and attachment_of, speaker, speaker_title where they apply) in the contract's order."""

    doc_no: str | None
    title: str | None
    issuer: str | None
    date: str | None  # ISO
    kind: str | None
    attachment_of: NotRequired[str | None]  # attachments only
    attachment_of_title: NotRequired[str]  # attachments of a notice without a 文号
    speaker: NotRequired[str | None]  # speeches only
    speaker_title: NotRequired[str | None]  # speeches only
    ocr: NotRequired[bool]  # read by OCR (a scan or an image): true, else absent
    text: NotRequired[str]  # include_text only, last


class DocumentDict(_DocumentFields):
    """A document as the contract prints it (extraction.md)."""

    tasks: list[TaskDict]
    targets: list[TargetDict]
    deadlines: list[DeadlineDict]


class Extraction(TypedDict):
    """What extract_text, extract_file and extract_bytes return: the contract's JSON object."""

    source: str
    documents: list[DocumentDict]
    ocr: NotRequired[bool]  # some of the file was read by OCR: true, else absent
    ocr_pages: NotRequired[list[int]]  # the pages (image frames) OCR read, 1-based
    issue: NotRequired[IssueHeader]  # include_text only


@dataclass
class _Collected:
    targets: list[Target] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def _read_sentence(text: str, doc_year: int | None, doc_date: date | None) -> tuple[list[Target], list[Deadline]]:
    targets = targets_in_sentence(text, doc_year)
    deadlines = deadlines_in_sentence(text, doc_date, bool(targets))
    return targets, deadlines


def _annotated(
    root: Node, doc_year: int | None, doc_date: date | None, prose: bool = True
) -> tuple[list[tuple[TaskDraft, _Collected]], _Collected]:
    drafts = annotated_tasks(root, prose=prose)
    by_node = {id(draft.node): (draft, _Collected()) for draft in drafts}
    own = _Collected()
    for node in root.walk():
        owner = own
        for candidate in (node, *node.ancestors()):
            if id(candidate) in by_node:
                owner = by_node[id(candidate)][1]
                break
        for paragraph in node.paragraphs:
            owner.texts.append(paragraph)
            for sentence in sentences(paragraph):
                targets, deadlines = _read_sentence(sentence.text, doc_year, doc_date)
                owner.targets.extend(targets)
                owner.deadlines.extend(deadlines)
    tasks = [by_node[id(draft.node)] for draft in drafts]
    for draft, collected in tasks:
        for text in draft.deadline_texts:
            deadline = parse_deadline_text(text, doc_date)
            if deadline and all(d.date != deadline.date for d in collected.deadlines):
                collected.deadlines.append(deadline)
    return tasks, own


def _speech(
    root: Node, doc_year: int | None, doc_date: date | None
) -> tuple[list[tuple[TaskDraft, _Collected]], _Collected]:
    tasks: list[tuple[TaskDraft, _Collected]] = []
    own = _Collected()
    refs: dict[str, int] = {}
    for node in root.walk():
        for paragraph in node.paragraphs:
            # The task last formed in this paragraph, by its heading path and enumerator (一是 …).
            last: dict[str, TaskDraft] = {}
            for sentence in sentences(paragraph):
                targets, deadlines = _read_sentence(sentence.text, doc_year, doc_date)
                subject = None
                if deadlines:
                    positions = [sentence.text.find(d.text) for d in deadlines if d.text in sentence.text]
                    subject = assignee(sentence.text, min(positions) if positions else len(sentence.text))
                base = speech_ref(node, paragraph[: sentence.start])
                if subject is None or not subject.named:
                    # A later sentence of the same point naming a unit with a modal (市X局要加强督导)
                    # adds that unit to the point's task.
                    joined = last.get(base)
                    if joined is not None and not deadlines:
                        for name in [*named_assignees(sentence.text), *involved_places(sentence.text)]:
                            if name not in joined.units and name not in joined.lead_units:
                                joined.units.append(name)
                    own.targets.extend(targets)
                    own.deadlines.extend(deadlines)
                    continue
                ref = base
                refs[ref] = refs.get(ref, 0) + 1
                if refs[ref] > 1:
                    ref = f"{ref}#{refs[ref]}"
                lead, units = roles(sentence.text, subject)
                units += [name for name in involved_places(sentence.text) if name not in units + lead]
                title = point_title(paragraph, sentence.start) or sentence.text.strip().rstrip("。；！？")
                draft = TaskDraft(ref=ref, title=title, lead_units=lead, units=units, node=node)
                tasks.append((draft, _Collected(targets, deadlines, [sentence.text.strip()])))
                last[base] = draft
    return tasks, own


def _task_dict(
    draft: TaskDraft, collected: _Collected, directory: UnitDirectory | None, include_text: bool
) -> TaskDict:
    task: TaskDict = {
        "ref": draft.ref,
        "title": draft.title,
        "lead_units": list(draft.lead_units),
        "units": [unit for unit in draft.units if unit not in draft.lead_units],
        "targets": [target.as_dict() for target in collected.targets],
        "deadlines": [deadline.as_dict() for deadline in collected.deadlines],
    }
    if directory is not None:
        lead, unresolved_lead = resolve_units(directory, task["lead_units"])
        units, unresolved_units = resolve_units(directory, task["units"])
        task["resolved_lead_units"] = lead
        task["resolved_units"] = [unit for unit in units if unit not in lead]
        task["unresolved"] = unresolved_lead + [name for name in unresolved_units if name not in unresolved_lead]
    if include_text:
        task["text"] = "\n".join(collected.texts)
    return task


def _document_dict(
    block: DocumentBlock, fallback_year: int | None, directory: UnitDirectory | None, include_text: bool
) -> DocumentDict:
    doc_date = block.date
    doc_year = doc_date.year if doc_date else fallback_year
    # Without a date of its own a document resolves month-and-day deadlines in the issue's year.
    reference_date = doc_date or (date(doc_year, 1, 1) if doc_year else None)
    root = build_tree([line.text for line in block.body])
    if block.is_speech:
        tasks, own = _speech(root, doc_year, reference_date)
    else:
        # A regulation's provisions (X负责…) state standing duties: only annotations make its tasks.
        tasks, own = _annotated(root, doc_year, reference_date, prose=not is_regulation(block.kind))
    fields: _DocumentFields = {
        "doc_no": block.doc_no,
        "title": block.title or None,  # a body-only text has none
        "issuer": block.issuer,
        "date": doc_date.isoformat() if doc_date else None,
        "kind": block.kind,
    }
    if block.is_attachment:
        fields["attachment_of"] = block.attachment_of
        if block.attachment_of is None and block.notice is not None and block.notice.title:
            fields["attachment_of_title"] = block.notice.title  # a notice without a 文号
    if block.is_speech:
        fields["speaker"] = block.speaker
        fields["speaker_title"] = block.speaker_title
    document: DocumentDict = {
        **fields,
        "tasks": [_task_dict(draft, collected, directory, include_text) for draft, collected in tasks],
        "targets": [target.as_dict() for target in own.targets],
        "deadlines": [deadline.as_dict() for deadline in own.deadlines],
    }
    if include_text:
        document["text"] = "\n".join(line.text for line in block.body)
    return document


def extract_text(
    text: str,
    source: str = "",
    directory: UnitDirectory | bool | None = True,
    include_text: bool = False,
) -> Extraction:
    """Extract documents from a document's text.

    `directory`: a UnitDirectory, True to pick one by the jurisdiction the text names, False/None
    for none. `include_text` adds what the ledger stores besides the contract: the issue's front
    matter ("issue") and the text of every document and task ("text").
    """
    text, page = page_text(text)
    # Task tables printed as text become task lines before cleanup joins their cells.
    text = read_text_tables(text)
    lines = clean_lines(text)
    front, blocks = split_documents(lines)
    _fill_from_page(blocks, page)
    fallback_year = document_year_hint(lines)
    if directory is True:
        directory = directory_for(" ".join(f"{b.title} {b.issuer or ''}" for b in blocks))
    elif directory is False:
        directory = None
    documents = []
    previous_year = fallback_year
    for block in blocks:
        documents.append(_document_dict(block, previous_year, directory, include_text))
        if block.date:
            previous_year = block.date.year
    result: Extraction = {"source": source, "documents": documents}
    if include_text:
        result["issue"] = read_issue_header(text, front)
    return result


def _fill_from_page(blocks: list[DocumentBlock], page: PageInfo) -> None:
    """The fields the website's 公开信息栏 gives, for the document it publishes (the first one that is no
    attachment), where the document itself does not print them."""
    document = next((block for block in blocks if not block.is_attachment), None)
    if document is None or not page.fields:
        return
    fields = page.fields
    if document.doc_no is None and is_doc_no_line(fields.get("doc_no", "")):
        document.doc_no = normalise_doc_no(fields["doc_no"])
    if document.date is None and fields.get("date"):
        document.date = parse_date(fields["date"])
    title = fields.get("title", "")
    if not document.title and title:
        document.title = title
    elif title and document.title != title and document.title.endswith(title):
        # Site navigation run into the printed title: the page's 名称 says where the title starts.
        extra = document.title[: -len(title)]
        document.title = title
        if document.issuer and document.issuer.startswith(extra):
            document.issuer = document.issuer[len(extra) :] or None
    if document.kind is None:
        document.kind = kind_of(document.title) or fields.get("kind") or None
    if document.issuer is None and fields.get("issuer"):
        document.issuer = fields["issuer"]
    for block in blocks:
        if block.notice is document:  # its attachments take what the page gave the notice
            block.attachment_of, block.date, block.issuer = document.doc_no, document.date, document.issuer


def extract_file(
    path: str | Path, directory: UnitDirectory | bool | None = True, include_text: bool = False
) -> Extraction:
    """Read a file (text, PDF, DOCX) and extract it. Raises InputError for unreadable input."""
    path = Path(path)
    reading = read_source(path)
    result = extract_text(reading.text, source=path.name, directory=directory, include_text=include_text)
    return _require_documents(_mark_ocr(result, reading), path)


def extract_bytes(content: bytes, name: str = "", directory: UnitDirectory | bool | None = True) -> Extraction:
    """Extract an uploaded file, with the issue header and texts the ledger stores."""
    reading = read_source_bytes(content, name or "upload")
    result = extract_text(reading.text, source=name, directory=directory, include_text=True)
    return _require_documents(_mark_ocr(result, reading), name or "upload")


def _mark_ocr(result: Extraction, reading: Reading) -> Extraction:
    """A reading OCR made is marked, on the whole and on every document, for reviewers to check it
    against the original (OCR confuses characters)."""
    if not reading.ocr:
        return result
    for document in result["documents"]:
        text = document.pop("text", None)
        document["ocr"] = True
        if text is not None:
            document["text"] = text
    marked: Extraction = {"source": result["source"], "documents": result["documents"], "ocr": True}
    marked["ocr_pages"] = list(reading.ocr_pages)
    if "issue" in result:
        marked["issue"] = result["issue"]
    return marked


def _is_document(document: DocumentDict) -> bool:
    keys = ("doc_no", "title", "date", "kind", "tasks", "targets", "deadlines")
    return any(document.get(key) for key in keys)


def _require_documents(result: Extraction, source: str | Path) -> Extraction:
    """Readable Chinese text in which no 公文 stands (no title, 发文字号 or date) is not a document
    (extraction.md: "not a document" exits 2)."""
    if not any(_is_document(document) for document in result["documents"]):
        raise InputError(f"{source}: no official document found (no 公文 title, 发文字号 or date of issue)")
    return result
