"""A 任务分解表 into the 台账.

The sheet is read by duban.intake.workbook against the jurisdiction's units (``LedgerUnitLookup``);
``workbook_plan`` says what each row would become (new, already in the 台账 by its 系统编号, or refused
with its problems) and ``workbook_import`` opens every new row through ``services.task_open`` with a
任务分解表 source (file, sheet, row), all in one transaction, and only when no row has an error.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from duban import clock
from duban.accounts.models import AuditAction, Jurisdiction
from duban.accounts.services import audit_record
from duban.intake.workbook import Problem, RowRecord, SheetReading, open_workbook, read_sheet
from duban.ledger.models import Task
from duban.ledger.services import task_open
from duban.ledger.sources import MAX_LENGTHS, WORKBOOK, TaskSourceInput
from duban.ledger.workbook import LedgerUnitLookup, parse_identity

MAX_REF = 60  # Task.ref


@dataclass
class PlannedRow:
    record: RowRecord
    existing: Task | None = None  # the task its 系统编号 names: already in the 台账, not imported again
    problems: list[Problem] = field(default_factory=list)  # the row's own, and its 系统编号's

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.error]

    @property
    def status(self) -> str:
        if self.existing is not None:
            return "existing"
        return "error" if self.errors else "new"


@dataclass
class WorkbookPlan:
    """What importing a sheet would do: each row new, already in the 台账, or refused for its errors."""

    file_name: str
    reading: SheetReading
    rows: list[PlannedRow]

    @property
    def problems(self) -> list[Problem]:
        return [*self.reading.problems, *(p for row in self.rows for p in row.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.error]

    @property
    def new_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == "new"]

    @property
    def existing_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == "existing"]

    @property
    def ok(self) -> bool:
        return not self.reading.needs_mapping and not self.errors and bool(self.rows)

    def lines(self) -> list[str]:
        """One line per bad row (第N行：…；…), the sheet's own problems first."""
        if self.reading.needs_mapping:
            return [
                f"{self.file_name}：未能识别表头（需要“任务”或“具体内容”列及另一列，如“牵头单位”），请在网页上对应各列后导入"
            ]
        if not self.rows and not self.reading.problems:
            return [f"{self.file_name}：没有可导入的任务行"]
        by_row: dict[int, list[str]] = {}
        for problem in self.errors:
            text = str(problem).split("：", 1)[1]
            by_row.setdefault(problem.row, []).append(text)
        return [f"第{row}行：{'；'.join(texts)}" for row, texts in by_row.items()]


class WorkbookRefused(Exception):
    """The sheet has errors: nothing was imported."""

    def __init__(self, plan: WorkbookPlan):
        self.plan = plan
        super().__init__("；".join(plan.lines()))

    def lines(self) -> list[str]:
        return self.plan.lines()


@dataclass
class WorkbookImport:
    plan: WorkbookPlan
    created: list[Task]

    @property
    def existing(self) -> int:
        return len(self.plan.existing_rows)


def workbook_plan(
    *,
    jurisdiction: Jurisdiction,
    content: bytes,
    file_name: str,
    sheet: str | None = None,
    mapping: Mapping[int, str] | None = None,
    header_row: int | None = None,
) -> WorkbookPlan:
    """Read a 任务分解表 against the jurisdiction's units and 台账 (reads only). InputError when the file
    is not a workbook."""
    lookup = LedgerUnitLookup(jurisdiction)
    reading = read_sheet(
        content,
        lookup,
        today=clock.today(),
        file_name=file_name,
        sheet=sheet,
        mapping=mapping,
        header_row=header_row,
    )
    identities = [parse_identity(record.identity) for record in reading.records if record.identity]
    wanted = [identity[1] for identity in identities if identity is not None]
    known = {task.pk: task for task in Task.objects.filter(jurisdiction=jurisdiction, pk__in=wanted)}
    imported = _imported_before(jurisdiction, file_name, reading.sheet)
    rows: list[PlannedRow] = []
    seen: dict[int, int] = {}
    today = clock.today()
    for record in reading.records:
        row = PlannedRow(record, problems=[*record.problems, *_ledger_checks(record, today)])
        if record.identity:
            row.existing, identity_problem = _existing(record, jurisdiction, known, seen)
            if identity_problem is not None:
                row.problems.append(identity_problem)
        else:
            row.existing = imported.get((record.row, record.title))
        if row.existing is not None:
            # Not imported again: what the row says of it is only read.
            row.problems = [replace(problem, error=False) for problem in row.problems]
        rows.append(row)
    return WorkbookPlan(file_name, reading, rows)


def _ledger_checks(record: RowRecord, today: dt.date) -> list[Problem]:
    """What ``task_open`` would refuse, said of the row before anything is written; a unit named in two
    roles (offices list the lead among the responsible units too) keeps its first role."""
    problems = []
    for when, words in record.deadlines:
        if when < today:
            problems.append(Problem(record.row, "deadline", f"完成时限“{words}”（{when:%Y-%m-%d}）早于今天"))
    record.deadlines = list({when: (when, words) for when, words in reversed(record.deadlines)}.values())[::-1]
    if len(record.seq) > MAX_REF:
        problems.append(Problem(record.row, "seq", f"序号过长（最多 {MAX_REF} 字）"))
    named: set[str] = set()
    for cell in (record.lead, record.responsible, record.cooperating):
        cell.resolved = [name for name in cell.resolved if name not in named]
        named.update(cell.resolved)
    return problems


def _imported_before(jurisdiction: Jurisdiction, file_name: str, sheet: str) -> dict[tuple[int | None, str], Task]:
    """The tasks earlier imports of this very file and sheet opened (the office's own sheet, imported again),
    by the row that opened each and its title: one query for the whole sheet, not one per row."""
    found: dict[tuple[int | None, str], Task] = {}
    tasks = Task.objects.filter(
        jurisdiction=jurisdiction,
        source_kind=WORKBOOK,
        source__file_name=_stored_name(file_name),
        source__sheet=sheet,
    ).select_related("source")
    for task in tasks:
        found.setdefault((task.source.row, task.title), task)  # the first, as the ledger orders them
    return found


def _stored_name(file_name: str) -> str:
    limit = MAX_LENGTHS["file_name"]
    return file_name if len(file_name) <= limit else file_name[: limit - 5] + file_name[-5:]


def _existing(
    record: RowRecord, jurisdiction: Jurisdiction, known: Mapping[int, Task], seen: dict[int, int]
) -> tuple[Task | None, Problem | None]:
    identity = parse_identity(record.identity)
    if identity is None:
        return None, Problem(
            record.row,
            "identity",
            f"系统编号“{record.identity}”无法识别（应为导出时的编号，如 {jurisdiction.code}-12）",
        )
    code, pk = identity
    if code != jurisdiction.code:
        return None, Problem(
            record.row, "identity", f"系统编号“{record.identity}”属于其他辖区，不能导入{jurisdiction.name}"
        )
    task = known.get(pk)
    if task is None:
        return None, Problem(
            record.row, "identity", f"系统编号“{record.identity}”对应的任务不存在（请删去该编号作为新任务导入）"
        )
    if pk in seen:
        return None, Problem(record.row, "identity", f"系统编号“{record.identity}”与第{seen[pk]}行重复")
    seen[pk] = record.row
    return task, None


def workbook_import(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    content: bytes,
    file_name: str,
    sheet: str | None = None,
    mapping: Mapping[int, str] | None = None,
    header_row: int | None = None,
) -> WorkbookImport:
    """Import a 任务分解表: every new row through ``task_open`` with a 任务分解表 source (file, sheet, row),
    all in one transaction, or nothing when any row has an error (WorkbookRefused). Rows whose 系统编号
    names a task already in the 台账 create nothing."""
    with transaction.atomic():
        plan = workbook_plan(
            jurisdiction=jurisdiction,
            content=content,
            file_name=file_name,
            sheet=sheet,
            mapping=mapping,
            header_row=header_row,
        )
        if not plan.ok:
            raise WorkbookRefused(plan)
        lookup = LedgerUnitLookup(jurisdiction)
        created = []
        for row in plan.new_rows:
            try:
                created.append(_open(actor, jurisdiction, plan, row.record, lookup))
            except ValidationError as error:  # what the plan did not foresee: still nothing is written
                row.problems.append(Problem(row.record.row, "task", "；".join(error.messages)))
                raise WorkbookRefused(plan) from None
        audit_record(
            actor=actor,
            action=AuditAction.WORKBOOK_IMPORT,
            object_type="ledger.Task",
            object_id=",".join(str(task.pk) for task in created)[:60],
            after={
                "file_name": file_name,
                "sheet": plan.reading.sheet,
                "created": [task.pk for task in created],
                "existing": [row.existing.pk for row in plan.existing_rows if row.existing is not None],
            },
        )
    return WorkbookImport(plan, created)


def _open(actor, jurisdiction: Jurisdiction, plan: WorkbookPlan, record: RowRecord, lookup: LedgerUnitLookup) -> Task:
    text = record.text
    notes = [
        f"责任领导：{record.leader}" if record.leader else "",
        f"完成时限：{record.standing_deadline}" if record.standing_deadline else "",
    ]
    text = "\n".join(part for part in (text, *notes) if part)
    return task_open(
        actor=actor,
        jurisdiction=jurisdiction,
        source=TaskSourceInput(
            kind=WORKBOOK, file_name=_stored_name(plan.file_name), sheet=plan.reading.sheet, row=record.row
        ),
        title=record.title,
        text=text,
        lead_units=[lookup.unit(name) for name in record.lead.resolved],
        responsible_units=[lookup.unit(name) for name in record.responsible.resolved],
        cooperating_units=[lookup.unit(name) for name in record.cooperating.resolved],
        deadlines=record.deadlines,
        targets_text=record.targets_text,
        reporting_cycle=record.cycle,
        ref=record.seq,
    )


# --- a sheet between its upload and its import ------------------------------------------------------------

STAGING_DIR = "ledger/workbook-imports"
STAGING_SALT = "duban.ledger.workbook-import"
STAGING_MAX_AGE = 24 * 3600  # a preview is imported the same day, or uploaded again


@dataclass(frozen=True)
class StagedWorkbook:
    """An uploaded sheet kept (under MEDIA_ROOT) for its preview and its import, named by a signed token
    that says who uploaded it for which jurisdiction."""

    token: str
    path: str
    file_name: str
    user_id: int
    jurisdiction: Jurisdiction

    def content(self) -> bytes:
        with default_storage.open(self.path, "rb") as handle:
            return handle.read()

    def discard(self) -> None:
        default_storage.delete(self.path)


def workbook_stage(*, actor: AbstractBaseUser, jurisdiction: Jurisdiction, content: bytes, file_name: str) -> str:
    """Keep an uploaded sheet for its preview; the token names it. InputError when it is no workbook
    (it is opened whole before it is kept)."""
    open_workbook(content, file_name)
    path = default_storage.save(f"{STAGING_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    return signing.dumps({"p": path, "n": file_name, "u": actor.pk, "j": jurisdiction.pk}, salt=STAGING_SALT)


def staged_workbook(token: str) -> StagedWorkbook | None:
    """The sheet a token names, or None when the token is forged, too old or its sheet is gone."""
    try:
        data = signing.loads(token, salt=STAGING_SALT, max_age=STAGING_MAX_AGE)
    except signing.BadSignature:
        return None
    path = str(data.get("p", ""))
    if not path.startswith(f"{STAGING_DIR}/") or not default_storage.exists(path):
        return None
    jurisdiction = Jurisdiction.objects.filter(pk=data.get("j")).first()
    if jurisdiction is None:
        return None
    return StagedWorkbook(token, path, str(data.get("n", "")), int(data.get("u", 0)), jurisdiction)
