"""Reading a 任务分解表 (.xlsx) as offices keep it: one task per row, under a header row.

The header row is found by its words (``HEADER_VOCABULARY``: 序号 / 任务 / 具体内容 / 牵头单位 / 责任单位 /
配合单位 / 完成时限 / 目标 …, in any order and the spellings offices use), below a title row or two.
A merged cell applies to every cell it covers (a 牵头单位 merged over three rows names the lead of
each); a cell may list several units (newlines, 、，；) and several deadlines. When no header row is
recognised the caller maps columns to fields itself (``mapping``: column number → field).

Each row becomes a ``RowRecord`` and its problems (``Problem``, "第N行：…" with N the sheet's own row
number): an empty task, a unit the caller's directory does not know (with the closest names it
knows), a deadline no date reader can read. Unit resolution is the caller's (``UnitLookup``: the
jurisdiction's 机构名录, ``DirectoryLookup`` over ``duban.intake.directory``); this module imports no
Django and writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Protocol

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from duban.errors import InputError
from duban.intake.dates import find_dates
from duban.intake.deadlines import parse_deadline_text
from duban.intake.directory import UnitDirectory
from duban.intake.unitnames import split_units

# --- the vocabulary (data) ----------------------------------------------------------------------------

# Each field and the header words that name it. A header cell names the field whose word it is
# (after folding widths and dropping spaces, "*" marks and a bracketed note), or else the field of
# the longest word it contains ("牵头单位（盖章）", "责任单位及责任人").
HEADER_VOCABULARY: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "项目序号", "任务序号"),
    "identity": ("系统编号", "台账编号", "督办编号", "任务编号"),
    "title": (
        "任务",
        "任务名称",
        "重点任务",
        "工作任务",
        "主要任务",
        "任务事项",
        "督办事项",
        "督查事项",
        "工作事项",
        "事项",
        "事项名称",
        "项目名称",
        "重点工作",
        "工作名称",
    ),
    "text": (
        "具体内容",
        "任务内容",
        "工作内容",
        "主要内容",
        "具体任务",
        "具体措施",
        "工作措施",
        "工作举措",
        "主要措施",
        "任务分解",
        "工作要求",
        "任务要求",
        "内容",
    ),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "牵头单位（部门）", "主责单位", "主责部门", "牵头"),
    "leader": ("责任领导", "分管领导", "牵头领导", "包联领导", "责任市领导"),
    "responsible": ("责任单位", "责任部门", "承办单位", "主办单位", "落实单位", "实施单位", "责任主体"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "配合"),
    "deadline": (
        "完成时限",
        "完成时间",
        "时限要求",
        "完成期限",
        "办结时限",
        "时间节点",
        "截止时间",
        "截止日期",
        "完成日期",
        "时限",
        "时间要求",
    ),
    "targets": ("目标", "工作目标", "目标任务", "预期目标", "目标要求", "量化指标", "量化目标", "预期成效"),
    "cycle": ("报送周期", "报送频次", "调度频次", "报送时间要求"),
    # Written by the export, read back only to be recognised (not imported).
    "standing": ("办理状态", "状态", "当前状态"),
    "progress": ("最新进展", "进展情况", "最新进度"),
    "percent": ("完成进度", "完成比例", "进度"),
    "source": ("任务来源", "来源", "来源类型", "任务出处"),
}

FIELD_LABELS: dict[str, str] = {
    "seq": "序号",
    "identity": "系统编号",
    "title": "任务",
    "text": "具体内容",
    "lead": "牵头单位",
    "leader": "责任领导",
    "responsible": "责任单位",
    "cooperating": "配合单位",
    "deadline": "完成时限",
    "targets": "目标",
    "cycle": "报送周期",
    "standing": "办理状态",
    "progress": "最新进展",
    "percent": "完成进度",
    "source": "任务来源",
}
UNIT_FIELDS = ("lead", "responsible", "cooperating")
# Fields a sheet's columns are read into; the others are recognised so that they do not count as unknown.
IMPORTED_FIELDS: tuple[str, ...] = ("seq", "identity", "title", "text", "lead", "leader", "responsible")
IMPORTED_FIELDS += ("cooperating", "deadline", "targets", "cycle")

# A deadline cell that names no date but a way of working: kept as written, no dated deadline.
STANDING_DEADLINES = re.compile(
    r"^(?:长期坚持|长期|持续推进|持续开展|持续|常态化(?:推进|开展)?|长期推进|按年度推进|按序时推进|"
    r"每(?:年|半年|季度|季|月|半月|旬|周|日|天).{0,20}|逐年推进|年度内持续推进)$"
)
# 报送周期 as offices write it → the ledger's cycle codes (duban.ledger.models.ReportingCycle).
CYCLE_WORDS: dict[str, str] = {
    "每月": "monthly",
    "月报": "monthly",
    "每月一报": "monthly",
    "按月": "monthly",
    "每半月": "biweekly",
    "半月报": "biweekly",
    "每半月一报": "biweekly",
    "每周": "weekly",
    "周报": "weekly",
    "每周一报": "weekly",
    "按周": "weekly",
}

HEADER_SEARCH_ROWS = 15  # the header is among the first rows (under a title row or two)
MAX_ROWS = 5000  # a year's plan is hundreds of rows; more is not a 任务分解表
MAX_COLUMNS = 60
MAX_TITLE = 300  # the ledger's task title


# --- what the reader returns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int  # the sheet's row number, as Excel shows it
    field: str
    message: str
    suggestions: tuple[str, ...] = ()
    error: bool = True  # an error refuses the import; a note does not

    def __str__(self) -> str:
        hint = f"（是否为：{'、'.join(self.suggestions)}）" if self.suggestions else ""
        return f"第{self.row}行：{self.message}{hint}"


@dataclass
class UnitCell:
    printed: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)  # the lookup's names, in order, without duplicates


@dataclass
class RowRecord:
    row: int
    seq: str = ""
    identity: str = ""
    title: str = ""
    text: str = ""
    leader: str = ""
    lead: UnitCell = field(default_factory=UnitCell)
    responsible: UnitCell = field(default_factory=UnitCell)
    cooperating: UnitCell = field(default_factory=UnitCell)
    deadline_text: str = ""  # the cell as written
    deadlines: list[tuple[date, str]] = field(default_factory=list)  # (date, 原文)
    standing_deadline: str = ""  # 长期坚持, 每季度 …: no date
    targets_text: str = ""
    cycle: str = ""  # a ReportingCycle code, or ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.error]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    index: int  # 1-based, as openpyxl counts
    header: str  # the header cell as written
    field: str | None  # the field it is read into (None: not read)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)


@dataclass
class SheetReading:
    sheet: str
    sheet_names: list[str]
    header_row: int | None  # None: no header row recognised; the caller must map the columns
    columns: list[Column]
    records: list[RowRecord]
    problems: list[Problem]  # problems of the sheet itself (no 任务 column, a column named twice …)
    preview: list[list[str]] = field(default_factory=list)  # the first rows as text, for a mapping step

    @property
    def needs_mapping(self) -> bool:
        return self.header_row is None

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(problem for record in self.records for problem in record.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.all_problems if problem.error]

    @property
    def ok(self) -> bool:
        return not self.needs_mapping and not self.errors and bool(self.records)


class UnitLookup(Protocol):
    """The caller's 机构名录: a printed name → the unit's name, or None; the closest names for one it lacks."""

    def resolve(self, printed: str) -> str | None: ...

    def suggest(self, printed: str) -> list[str]: ...


# --- units ---------------------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"[\s（）()]", "", unicodedata.normalize("NFKC", text))


def closest_names(printed: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names most like `printed`, by the characters they share in order (Dice's coefficient over
    the longest common subsequence): "市卫建委" → 市卫健委; below 0.6 (市气象局 against 市教育局) it is
    no suggestion."""
    wanted = _squeeze(printed)
    if not wanted:
        return []
    scored: list[tuple[float, int, str]] = []
    for name in dict.fromkeys(names):
        key = _squeeze(name)
        if not key:
            continue
        common = _common_subsequence(wanted, key)
        score = 2 * common / (len(wanted) + len(key))
        if score >= 0.6:
            scored.append((-score, len(key), name))
    scored.sort()
    return [name for _, _, name in scored[:limit]]


def _common_subsequence(left: str, right: str) -> int:
    previous = [0] * (len(right) + 1)
    for a in left:
        current = [0]
        for j, b in enumerate(right):
            current.append(previous[j] + 1 if a == b else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@dataclass
class DirectoryLookup:
    """A ``UnitLookup`` over a jurisdiction's 机构名录 (directories/<code>/units.yaml)."""

    directory: UnitDirectory

    def resolve(self, printed: str) -> str | None:
        return self.directory.resolve(printed)

    def suggest(self, printed: str) -> list[str]:
        # By canonical name and by alias ("市卫建委" is closest to the alias 市卫健委): each unit once.
        canonical = closest_names(printed, sorted(set(self.directory.aliases.values())))
        by_alias = [self.directory.aliases[key] for key in closest_names(printed, self.directory.aliases)]
        return list(dict.fromkeys([*by_alias, *canonical]))[:3]


def _split_unit_cell(text: str) -> list[str]:
    # Newlines and spaces separate names too: no unit name holds a space.
    return split_units(re.sub(r"\s+", "、", text.strip()))


# --- cells ---------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _header_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\s*＊※]", "", folded)
    return re.sub(r"\([^()]*\)$", "", folded)  # "完成时限(截止日期)": the note does not name the field


def _vocabulary_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, words in HEADER_VOCABULARY.items():
        for word in words:
            keys.setdefault(_header_key(word), name)
    return keys


def header_field(text: str) -> str | None:
    """The field a header cell names, or None."""
    key = _header_key(text)
    if not key or len(key) > 20:
        return None
    keys = _vocabulary_keys()
    if key in keys:
        return keys[key]
    contained = [word for word in keys if len(word) >= 2 and word in key]
    if not contained:
        return None
    return keys[max(contained, key=len)]


# --- deadlines -----------------------------------------------------------------------------------------


def read_deadlines(text: str, today: date) -> tuple[list[tuple[date, str]], str, list[str]]:
    """A 完成时限 cell → ((date, 原文) pairs, a standing phrase, the parts no reader could read).

    Each line (or part between ；) is read as a full date (2021年6月30日, 2021.6.30), else as a deadline
    (2021年6月底前, 年底前, 三季度末: a year not written is `today`'s), else as a standing phrase (长期坚持,
    每季度)."""
    found: list[tuple[date, str]] = []
    standing: list[str] = []
    unread: list[str] = []
    for part in re.split(r"[\n；;]+", text):
        part = part.strip(" ，,。")
        if not part:
            continue
        if STANDING_DEADLINES.match(part):
            standing.append(part)
            continue
        dates = find_dates(part)
        if dates:
            found.extend((when, part if len(dates) == 1 else match.group(0)) for match, when in dates)
            continue
        deadline = parse_deadline_text(part, None) or parse_deadline_text(part, date(today.year, 1, 1))
        if deadline is not None:
            found.append((deadline.date, part))
        else:
            unread.append(part)
    return found, "；".join(standing), unread


# --- the sheet -----------------------------------------------------------------------------------------


def open_workbook(content: bytes, file_name: str = "") -> Workbook:
    """The workbook, or InputError naming why the file is not one."""
    name = file_name or "文件"
    if file_name.lower().endswith(".xls") or content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(f"{name}：是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    if not content:
        raise InputError(f"{name}：文件为空")
    try:
        return load_workbook(BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, EOFError) as exc:
        raise InputError(f"{name}：不是可读取的 Excel（.xlsx）文件（{type(exc).__name__}）") from None


def _grid(sheet: Worksheet) -> list[list[str]]:
    """The sheet's cells as text, a merged range's value in every cell it covers."""
    rows = min(sheet.max_row or 0, MAX_ROWS + HEADER_SEARCH_ROWS)
    columns = min(sheet.max_column or 0, MAX_COLUMNS)
    grid = [["" for _ in range(columns)] for _ in range(rows)]
    for r, values in enumerate(sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True)):
        for c, value in enumerate(values):
            grid[r][c] = _cell_text(value)
    for merged in sheet.merged_cells.ranges:
        top = (
            grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= rows and merged.min_col <= columns else ""
        )
        for r in range(merged.min_row, min(merged.max_row, rows) + 1):
            for c in range(merged.min_col, min(merged.max_col, columns) + 1):
                grid[r - 1][c - 1] = top
    return grid


def _merged_across(sheet: Worksheet) -> set[int]:
    """Rows holding a range merged across several columns (a title or a section heading)."""
    rows: set[int] = set()
    for merged in sheet.merged_cells.ranges:
        if merged.max_col - merged.min_col >= 2:
            rows.update(range(merged.min_row, merged.max_row + 1))
    return rows


def _find_header(grid: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    """(row number, column number → field) of the header row: the first rows' row naming a task column
    and the most fields; None when none names a task column and one other."""
    best: tuple[int, int, dict[int, str]] | None = None
    for r, cells in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        fields = {c: name for c, text in enumerate(cells, start=1) if text and (name := header_field(text))}
        named = set(fields.values())
        if not ({"title", "text"} & named) or len(named) < 2:
            continue  # a title row merged across the width names one field in every cell
        if best is None or len(named) > best[1]:
            best = (r, len(named), fields)
    return (best[0], best[2]) if best else None


def _guess_header_row(grid: list[list[str]]) -> int:
    for r, cells in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        if sum(1 for text in cells if text) >= 2:
            return r
    return 1


def read_sheet(
    content: bytes,
    units: UnitLookup,
    *,
    today: date,
    file_name: str = "",
    sheet: str | None = None,
    mapping: Mapping[int, str] | None = None,
    header_row: int | None = None,
) -> SheetReading:
    """Read a 任务分解表. Without `mapping` the header row is recognised; with it, `mapping` (column
    number → field of ``IMPORTED_FIELDS``) says what each column holds, under `header_row` (default:
    the first row with two filled cells). `today` gives a year to deadlines written without one."""
    workbook = open_workbook(content, file_name)
    worksheets: list[Worksheet] = list(workbook.worksheets)
    names = [ws.title for ws in worksheets]
    if not worksheets:
        raise InputError(f"{file_name or '文件'}：没有工作表")
    if sheet is not None and sheet not in names:
        raise InputError(f"{file_name or '文件'}：没有名为“{sheet}”的工作表（有：{'、'.join(names)}）")
    chosen = [ws for ws in worksheets if ws.title == sheet] if sheet is not None else worksheets
    grids = {ws.title: _grid(ws) for ws in chosen}
    if (sheet_ws := _pick_sheet(chosen, grids, mapping)) is None:
        raise InputError(f"{file_name or '文件'}：工作表都是空的")
    grid = grids[sheet_ws.title]
    if sum(1 for cells in grid if any(cells)) > MAX_ROWS:
        raise InputError(f"{file_name or '文件'}：超过 {MAX_ROWS} 行，不像任务分解表，请分表导入")
    preview = list(grid[:HEADER_SEARCH_ROWS])

    if mapping is not None:
        unknown = sorted(set(mapping.values()) - set(IMPORTED_FIELDS))
        if unknown:
            raise InputError(f"未知的字段：{'、'.join(unknown)}")
        row = header_row or _guess_header_row(grid)
        fields = {int(column): name for column, name in mapping.items() if name}
    else:
        found = _find_header(grid)
        if found is None:
            guess = _guess_header_row(grid)
            columns = [Column(c, text, None) for c, text in enumerate(grid[guess - 1] if grid else [], start=1)]
            return SheetReading(sheet_ws.title, names, None, columns, [], [], preview)
        row, fields = found
    sheet_problems: list[Problem] = []
    seen: dict[str, int] = {}
    for column, name in sorted(fields.items()):
        if name in seen:
            first, second = get_column_letter(seen[name]), get_column_letter(column)
            message = f"{FIELD_LABELS.get(name, name)}对应了两列（{first}列、{second}列），只读取{first}列"
            sheet_problems.append(Problem(row, name, message, error=False))
            del fields[column]
        seen.setdefault(name, column)
    if "title" not in seen and "text" not in seen:
        sheet_problems.append(Problem(row, "title", "没有“任务”或“具体内容”列，无法读取任务"))
    header_cells = grid[row - 1] if 0 < row <= len(grid) else []
    columns = [
        Column(c, text, fields.get(c) if fields.get(c) in IMPORTED_FIELDS else None)
        for c, text in enumerate(header_cells, start=1)
    ]
    read_fields = {column.index: column.field for column in columns if column.field}
    across = _merged_across(sheet_ws)
    records: list[RowRecord] = []
    for number in range(row + 1, len(grid) + 1):
        cells = grid[number - 1]
        values = {name: cells[c - 1] for c, name in read_fields.items() if c - 1 < len(cells)}
        if not any(values.values()):
            continue
        if number in across and len({text for text in cells if text}) == 1:
            continue  # a section heading merged across the row ("一、产业发展"), not a task
        records.append(_record(number, values, units, today))
    if not records and not sheet_problems:
        sheet_problems.append(Problem(row, "title", "表头下没有任务行"))
    return SheetReading(sheet_ws.title, names, row, columns, records, sheet_problems, preview)


def _pick_sheet(
    sheets: Sequence[Worksheet], grids: Mapping[str, list[list[str]]], mapping: Mapping[int, str] | None
) -> Worksheet | None:
    filled = [ws for ws in sheets if any(any(cells) for cells in grids[ws.title])]
    if mapping is None:
        for ws in filled:
            if _find_header(grids[ws.title]) is not None:
                return ws
    return filled[0] if filled else None


def _record(number: int, values: Mapping[str, str], units: UnitLookup, today: date) -> RowRecord:
    record = RowRecord(row=number)
    record.seq = values.get("seq", "")
    record.identity = values.get("identity", "")
    record.title = " ".join(values.get("title", "").split())
    record.text = values.get("text", "")
    record.leader = values.get("leader", "")
    record.targets_text = values.get("targets", "")
    if not record.title and record.text:
        record.title = _title_from(record.text)
    if not record.title:
        record.problems.append(Problem(number, "title", "任务为空（“任务”“具体内容”都没有填写）"))
    elif len(record.title) > MAX_TITLE:
        record.problems.append(Problem(number, "title", f"任务名称超过 {MAX_TITLE} 字，请把细节写在“具体内容”中"))
    for name in UNIT_FIELDS:
        cell: UnitCell = getattr(record, name)
        cell.printed = _split_unit_cell(values.get(name, ""))
        for printed in cell.printed:
            resolved = units.resolve(printed)
            if resolved is None:
                record.problems.append(
                    Problem(
                        number,
                        name,
                        f"{FIELD_LABELS[name]}“{printed}”不在机构名录中",
                        tuple(units.suggest(printed)),
                    )
                )
            elif resolved not in cell.resolved:
                cell.resolved.append(resolved)
    if record.title and not record.lead.printed and not record.responsible.printed:
        record.problems.append(Problem(number, "lead", "没有填写牵头单位或责任单位"))
    record.deadline_text = values.get("deadline", "")
    if record.deadline_text:
        found, standing, unread = read_deadlines(record.deadline_text, today)
        record.deadlines = sorted(dict.fromkeys(found), key=lambda pair: pair[0])
        record.standing_deadline = standing
        for part in unread:
            record.problems.append(Problem(number, "deadline", f"完成时限“{part}”无法识别为日期"))
    cycle = re.sub(r"\s", "", values.get("cycle", ""))
    if cycle:
        if cycle in CYCLE_WORDS:
            record.cycle = CYCLE_WORDS[cycle]
        else:
            record.problems.append(Problem(number, "cycle", f"报送周期“{cycle}”无法识别（可填：每月、每半月、每周）"))
    return record


def _title_from(text: str) -> str:
    first = re.split(r"[\n。；]", text.strip(), maxsplit=1)[0].strip()
    return first[:60] + ("…" if len(first) > 60 else "")
