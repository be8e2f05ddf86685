"""Task tables (任务分解表, 重点任务清单): one numbered, annotated line per row.

A task table has a 序号 column, a task column (工作任务, 重点任务, 具体措施 …), unit columns
(牵头单位, 责任单位, 配合单位 …) and often a 完成时限. Whatever form it comes in, each row becomes
the same line a task list in prose has, so the rest of the pipeline reads it like any other item:

    1. 推行企业开办全程网上办理。（牵头单位：市市场监管局；责任单位：市税务局；完成时限：2024年6月底前）

Forms read here:
- grid tables (python-docx, pdfplumber): `table_lines(rows)`; a header over two rows, merged cells
  (a vertically merged lead unit repeats, a horizontally merged row is a category), no 序号 column
  (rows numbered 1..n), columns that are not the table's business (责任领导, 备注) left out;
- tables printed as text (`read_text_tables`), before cleanup joins and drops lines: one row per
  line (cells split at tabs or runs of spaces, else by the grammar of the columns: a 序号 first, a
  deadline last, unit names in the unit columns, the rest is the task), rows wrapped onto a
  continuation line, and one cell per line (a lone number starts a row; inside a table it is a
  序号, not a page number);
- ruled tables of a PDF page (`pdf_page_text`): the table's text is replaced by its lines, in
  reading order with the rest of the page.

A category row (一、营商环境, spanning the table) is printed as the heading it is, so the rows
below nest under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from duban.intake.unitnames import is_generic, looks_like_unit, split_units

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CN_NUM = "一二三四五六七八九十"

# Column name → role; the first pattern that matches decides. 责任领导 and 备注 are columns of a
# table that give no fact of the contract.
_COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("skip", re.compile(r"领导|责任人|联系人|联系方式|电话|备注|说明|完成情况|进展|进度情况|督办|评分|分值")),
    ("number", re.compile(r"^(?:序号|编号|序|项次|排序)$")),
    ("category", re.compile(r"^(?:类别|分类|类型|领域|板块|方面|任务类别)$")),
    ("lead", re.compile(r"牵头|主责|主办")),
    ("deadline", re.compile(r"时限|时间|期限|节点|进度安排|完成日期")),
    ("units", re.compile(r"责任|配合|协办|协同|参与|单位|部门|主体|处室|科室")),
    ("content", re.compile(r"任务|内容|措施|事项|工作|目标|举措|要求|项目|指标|重点|名称|举措|问题|清单")),
)
_UNIT_ROLES = ("lead", "units")
_LABELS = {"lead": "牵头单位", "units": "责任单位", "deadline": "完成时限"}
# A header word: a short run of Chinese characters (a slash or brackets allowed: 责任单位（部门）).
_HEADER_WORD = re.compile(rf"^[{_CJK}（）()/、]{{1,12}}$")


def column_role(name: str) -> str | None:
    """The role of a column by its header text ("牵头单位" → "lead"); None for an unknown column."""
    name = re.sub(r"\s", "", name)
    if not name or len(name) > 14:
        return None
    for role, pattern in _COLUMN_ROLES:
        if pattern.search(name):
            return role
    return None


def _roles(header: Sequence[str]) -> list[str | None]:
    return [column_role(cell) for cell in header]


def _is_task_header(roles: Sequence[str | None]) -> bool:
    found = set(roles)
    return "content" in found and bool(found & set(_UNIT_ROLES))


# ---------------------------------------------------------------------------------------------
# The mapping: one row, one line.


def join_cell(text: str, role: str | None = None, wrapped: bool = False) -> str:
    """A cell's text on one line. Line breaks inside a cell are layout: between Chinese characters
    they vanish, elsewhere they are a space; in a unit column of a Word table (a paragraph per name)
    they separate names (、), in a PDF's (`wrapped`: the line broke at the cell's edge) they do not."""
    parts = [part.strip() for part in re.split(r"\s*\n\s*", text.strip()) if part.strip()]
    if not parts:
        return ""
    result = parts[0]
    for part in parts[1:]:
        if (
            role in _UNIT_ROLES
            and not wrapped
            and not re.search(r"[、，,；;（(]$", result)
            and not re.match(r"[、，,；;）)]", part)
        ):
            result += "、" + part
        elif re.search(rf"[{_CJK}\u3000-\u303f\uff00-\uffef]$", result) or re.match(
            rf"[{_CJK}\u3000-\u303f\uff00-\uffef]", part
        ):
            result += part
        else:
            result += " " + part
    return result


def task_line(number: str, content: str, cells: dict[str, str]) -> str:
    """The numbered line of one task row: its content, then a labelled annotation."""
    content = content.strip()
    if content and not content.endswith(("。", "；", "！", "？")):
        content += "。"
    labels = [f"{_LABELS[role]}：{cells[role]}" for role in ("lead", "units", "deadline") if cells.get(role)]
    annotation = f"（{'；'.join(labels)}）" if labels else ""
    separator = "、" if re.fullmatch(f"[{_CN_NUM}]+", number) else ". "
    return f"{number}{separator}{content}{annotation}"


def _row_number(text: str) -> str:
    """The 序号 as printed, without its punctuation: "1." → "1", "（3）" → "3", "一、" → "一"."""
    return re.sub(r"[.．、，,\s（）()]", "", text)


def _category_line(text: str) -> str:
    return join_cell(text)


def table_lines(rows: Sequence[Sequence[str | None]], wrapped: bool = False) -> list[str]:
    """Rows of a grid table as text lines. A task table (序号 | 任务 | 牵头单位 | 责任单位 | 完成时限)
    becomes numbered items with a labelled annotation; any other table, its rows' cells joined.

    A cell of None is covered by a merged cell (pdfplumber): the text of the cell above (a
    vertical merge), or of the row's only text (a row merged across, a category row).
    """
    grid = [list(row) for row in rows if row is not None]
    if not grid:
        return []
    header_at = next((i for i, row in enumerate(grid[:4]) if _is_task_header(_roles([c or "" for c in row]))), None)
    if header_at is None:
        return [line for line in (_plain_row(row) for row in grid) if line]
    lines = [line for line in (_plain_row(row) for row in grid[:header_at]) if line]
    header = [join_cell(cell or "") for cell in grid[header_at]]
    body_at = header_at + 1
    # A header over two rows: 责任单位 spanning 牵头单位 | 配合单位 beneath it.
    if body_at < len(grid) and _is_second_header(header, grid[body_at]):
        below = [join_cell(cell or "") for cell in grid[body_at]]
        width = max(len(header), len(below))
        header = [
            _stack(header[i] if i < len(header) else "", below[i] if i < len(below) else "") for i in range(width)
        ]
        body_at += 1
    roles = _roles(header)
    width = len(roles)
    has_number = "number" in roles
    count = 0
    previous: list[str] = [""] * width
    last: tuple[str, str, dict[str, str]] | None = None
    out: list[tuple[str, str, dict[str, str]] | str] = []
    for raw in grid[body_at:]:
        raw = list(raw) + [""] * (width - len(raw))
        category = _category_of(raw, roles)
        if category is not None:
            out.append(category)
            previous = [""] * width
            last = None
            continue
        cells = []
        for index, cell in enumerate(raw[:width]):
            if cell is None:
                cell = previous[index]
            cells.append(join_cell(cell, roles[index], wrapped))
        previous = cells
        number = ""
        content_parts: list[str] = []
        values: dict[str, str] = {}
        for role, cell in zip(roles, cells, strict=False):
            if not cell or role in (None, "skip", "category"):
                continue
            if role == "number":
                number = _row_number(cell)
            elif role == "content":
                if cell not in content_parts:
                    content_parts.append(cell)
            else:
                values[role] = f"{values[role]}、{cell}" if role in values and cell not in values[role] else cell
        content = "".join(part if re.search("[。；！？：]$", part) else part + "。" for part in content_parts[:-1])
        content += content_parts[-1] if content_parts else ""
        if not content:
            continue
        if last is not None and content == last[1] and (not has_number or number in ("", last[0])):
            # One task over several rows (its text merged down): the rows' units add up.
            for role, value in values.items():
                for name in split_units(value):
                    if name not in split_units(last[2].get(role, "")):
                        last[2][role] = f"{last[2][role]}、{name}" if last[2].get(role) else name
            continue
        if not has_number or not re.fullmatch(rf"\d{{1,3}}|[{_CN_NUM}]{{1,3}}", number):
            count += 1
            number = str(count)
        last = (number, content, values)
        out.append(last)
    for item in out:
        lines.append(item if isinstance(item, str) else task_line(*item))
    return lines


def _stack(top: str, below: str) -> str:
    if not below or below == top:
        return top
    if not top:
        return below
    return top + below


def _is_second_header(header: Sequence[str], row: Sequence[str | None]) -> bool:
    """The row under a header is a header too when its cells are column names or repeat the cell
    above (a vertical merge), and at least one is a new column name."""
    new = 0
    for index, cell in enumerate(row):
        text = join_cell(cell or "")
        above = header[index] if index < len(header) else ""
        if not text or cell is None or text == above:
            continue
        if column_role(text) is None:
            return False
        new += 1
    return new > 0


def _category_of(row: Sequence[str | None], roles: Sequence[str | None]) -> str | None:
    """A category row's heading ("一、营商环境"), or None for a task row: one text merged across the
    row (repeated in its cells, or alone with the rest covered or empty) in the 序号 or task
    column, or a Chinese numeral as 序号 with a name and no units."""
    filled = {i: join_cell(cell) for i, cell in enumerate(row) if cell and join_cell(cell)}
    if not filled:
        return None
    distinct = set(filled.values())
    if len(distinct) == 1 and len(row) > 1:
        text = next(iter(distinct))
        if len(filled) > 1:
            return text
        column = next(iter(filled))
        role = roles[column] if column < len(roles) else None
        if (
            role in ("number", "content", "category", None)
            and not _is_plain_number(text)
            and _looks_like_category(text)
        ):
            return text
        return None
    roles_filled = {roles[i] for i in filled if i < len(roles)}
    number = next((filled[i] for i in filled if i < len(roles) and roles[i] == "number"), "")
    if re.fullmatch(f"[{_CN_NUM}]{{1,3}}[、.．]?", number) and not roles_filled & set(_UNIT_ROLES):
        rest = next((filled[i] for i in filled if i < len(roles) and roles[i] in ("content", "category")), "")
        return f"{_row_number(number)}、{rest}" if rest else None
    return None


def _looks_like_category(text: str) -> bool:
    return bool(re.match(rf"^(?:[{_CN_NUM}]+[、.．]|[（(][{_CN_NUM}]+[）)]|第[{_CN_NUM}\d]+[部类项])", text)) or (
        len(text) <= 20 and not re.search("[。；]", text)
    )


def _is_plain_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}[.．、]?", text))


def _plain_row(row: Sequence[str | None]) -> str:
    """A row of a table that is not a task table: its cells, merged runs once, full-width spaced."""
    cells: list[str] = []
    for cell in row:
        if cell is None:
            continue
        text = join_cell(cell)
        if text and (not cells or cells[-1] != text):
            cells.append(text)
    return "\u3000".join(cells)


# ---------------------------------------------------------------------------------------------
# Tables printed as text.

_HINT = re.compile(r"(?:牵头|责任|配合|协办|承办|主责)(?:单位|部门|处室)|责任主体")
_STRONG_SEPARATOR = re.compile(r"\t+|\u3000+| {2,}|\s*[|｜]\s*")
_ANY_SEPARATOR = re.compile(r"[\s\u3000|｜]+")
_ROW_START = re.compile(rf"^\s*(\d{{1,3}})(?:[.．、](?!\d)\s*|[\t\u3000 ]+|(?=[{_CJK}]))")
_LONE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．、]?\s*$")
_PAGE_MARK = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页.*|\d{1,3}\s*/\s*\d{1,3})\s*$")
_CATEGORY_LINE = re.compile(
    rf"^\s*(?:[{_CN_NUM}]{{1,3}}\s*[、.．]|[（(]\s*[{_CN_NUM}]{{1,3}}\s*[）)]|第[{_CN_NUM}\d]+[部类项])"
)
_QUANTITY_AFTER = re.compile(r"^(?:万|亿|个|家|年|月|日|%|元|亩|项|人|所|次|天|小时)")
_TABLE_END = re.compile(r"^\s*(?:附件|附表|抄送|来源|扫一扫|打印|关闭|【|责任编辑)")
_DEADLINE_CELL = re.compile(
    r"^(?:(?:\d{4}|[二〇零一]{4})\s*年|\d{1,2}月|年底|年内|年中|上半年|下半年|本年|今年|明年|长期|持续|常态|"
    r"每年|每季|每月|每半年|全年|按年|按季|按月|立即|即时|\d{4}\s*[-—–~～至到]\s*\d{4}|20\d\d[.\-/]\d{1,2})"
)


def _is_deadline_cell(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= 40 and bool(_DEADLINE_CELL.match(text))


def _is_unit_cell(text: str) -> bool:
    text = text.strip().strip("、，,；;")
    if not text or len(text) > 200 or re.search("[。！？：:]", text):
        return False
    names = split_units(text)
    return bool(names) and all(_is_unit_name(name) for name in names)


# Task text opens with a verb; a unit's name never does (a unit is a noun phrase ending in 局, 委, 办 …).
_TASK_VERB = re.compile(
    r"^(?:实现|推进|推动|推行|加强|加快|加大|开展|建立|建设(?!局|厅|委)|完善|落实|提升|提高|实施|强化|健全|深化|优化|全面|"
    r"积极|做好|确保|创建|打造|构建|严格|规范|支持|鼓励|引导|促进|扩大|培育|压缩|新建|改造|整治|降低|减少|探索|坚持|深入|"
    r"大力|持续|组织|制定|出台|编制|开发|搭建|保障|力争|争取|完成)"
)


def _is_unit_name(name: str) -> bool:
    name = re.sub(r"[（(]\s*牵头\s*[）)]$", "", name)
    if _TASK_VERB.match(name):
        return False
    return (
        looks_like_unit(name)
        or (is_generic(name) and len(name) <= 16)
        or (len(name) <= 16 and name.endswith(("部门", "单位", "县区", "县（市、区）", "市区", "成员单位")))
    )


def read_text_tables(text: str) -> str:
    """The text with every task table printed as text replaced by its task lines (see module doc).
    Text without a table header is returned as it is."""
    if not _HINT.search(text):
        return text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    found = _find_headers(lines)
    if not found:
        return text
    out: list[str] = []
    position = 0
    for start, end, roles, cell_per_line in found:
        if start < position:
            continue
        reader = _read_cell_rows if cell_per_line else _read_line_rows
        rows, stop = reader(lines, end, roles)
        if not rows:
            continue
        out.extend(lines[position:start])
        grid: list[list[str | None]] = [[_name(role) for role in roles]]
        grid.extend(rows)
        out.extend(table_lines(grid))
        position = stop
    out.extend(lines[position:])
    return "\n".join(out)


def _name(role: str | None) -> str:
    """A header cell that table_lines maps back to the role."""
    return {
        "number": "序号",
        "content": "工作任务",
        "lead": "牵头单位",
        "units": "责任单位",
        "deadline": "完成时限",
        "category": "类别",
    }.get(role or "", "备注")


def _find_headers(lines: list[str]) -> list[tuple[int, int, list[str | None], bool]]:
    """(first line, line after the header, column roles, one cell per line?) of each table header."""
    headers: list[tuple[int, int, list[str | None], bool]] = []
    seen_until = -1
    for index, line in enumerate(lines):
        if index <= seen_until or len(line) > 120 or not _HINT.search(line):
            continue
        words = [word for word in _ANY_SEPARATOR.split(line.strip()) if word]
        if len(words) >= 3 and all(_HEADER_WORD.match(word) for word in words):
            roles = _roles(words)
            if None not in roles and "number" in roles and _is_task_header(roles):
                headers.append((index, index + 1, list(roles), False))
                seen_until = index
            continue
        if len(words) != 1 or not _HEADER_WORD.match(words[0]) or column_role(words[0]) is None:
            continue
        start = index
        while start > 0 and _is_header_cell_line(lines[start - 1]):
            start -= 1
        end = index + 1
        while end < len(lines) and _is_header_cell_line(lines[end]):
            end += 1
        roles = _roles([lines[i].strip() for i in range(start, end) if lines[i].strip()])
        if len(roles) >= 3 and "number" in roles and _is_task_header(roles):
            headers.append((start, end, list(roles), True))
            seen_until = end - 1
    return headers


def _is_header_cell_line(line: str) -> bool:
    word = line.strip()
    return bool(word) and bool(_HEADER_WORD.match(word)) and column_role(word) is not None


def _row_start(line: str, expected: int) -> tuple[str, str] | None:
    """(序号, the rest of the line) when the line starts the row numbered `expected` (or restarts
    the numbering at 1)."""
    match = _ROW_START.match(line)
    if not match:
        return None
    number = match.group(1)
    rest = line[match.end() :].strip()
    if not rest or int(number) not in (expected, 1) or _QUANTITY_AFTER.match(rest):
        return None
    return number, rest


def _split_row(text: str, roles: Sequence[str | None]) -> tuple[dict[int, str], bool]:
    """The cells of one row printed on a line (序号 removed): column index → text, and whether
    the row reached its last column."""
    columns = [i for i, role in enumerate(roles) if role not in ("number",)]
    pieces = [piece for piece in _STRONG_SEPARATOR.split(text.strip()) if piece.strip()]
    if len(pieces) == len(columns) and _plausible(pieces, [roles[i] for i in columns]):
        return dict(zip(columns, pieces, strict=True)), True
    if len(pieces) < 2:
        pieces = [piece for piece in _ANY_SEPARATOR.split(text.strip()) if piece]
    return _assign(pieces, roles, columns)


def _plausible(pieces: Sequence[str], roles: Sequence[str | None]) -> bool:
    for piece, role in zip(pieces, roles, strict=True):
        if role == "content" and re.search("[，、；：“（]$", piece):
            return False  # the task's text runs on into the next piece
        if role in _UNIT_ROLES and not (_is_unit_cell(piece) or piece in ("—", "-", "/", "无")):
            return False
        if role == "deadline" and _is_unit_cell(piece):
            return False
    return True


def _assign(pieces: Sequence[str], roles: Sequence[str | None], columns: Sequence[int]) -> tuple[dict[int, str], bool]:
    """Cells by the grammar of the columns: from the right, a deadline phrase in the deadline
    column, unit names in the unit columns; what is left is the task."""
    content_columns = [i for i in columns if roles[i] == "content"]
    if not content_columns or not pieces:
        return {}, False
    first_tail = content_columns[-1] + 1
    tail = [i for i in columns if i >= first_tail]
    cells: dict[int, str] = {}
    end = len(pieces)
    for column in reversed(tail):
        if end <= 1:
            break
        role = roles[column]
        piece = pieces[end - 1]
        if (role == "deadline" and _is_deadline_cell(piece)) or (role in _UNIT_ROLES and _is_unit_cell(piece)):
            cells[column] = piece
            end -= 1
    # Unit cells found fill the unit columns from the left (a table gives its lead unit first).
    unit_columns = [i for i in tail if roles[i] in _UNIT_ROLES]
    found = [cells.pop(i) for i in unit_columns if i in cells]
    for column, value in zip(unit_columns, found, strict=False):
        cells[column] = value
    content = " ".join(pieces[:end])
    cells[content_columns[0]] = content
    last = [i for i in tail if roles[i] in ("deadline", *_UNIT_ROLES)]
    return cells, bool(last) and last[-1] in cells


def _read_line_rows(lines: list[str], start: int, roles: list[str | None]) -> tuple[list[list[str | None]], int]:
    """Rows printed one per line from `start`: (rows as grid cells, the line after the table)."""
    rows: list[list[str | None]] = []
    current: dict[int, str] | None = None
    complete = False
    expected = 1
    index = start
    blank = False
    content_column = roles.index("content")
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            blank = True
            index += 1
            continue
        if _PAGE_MARK.match(line):
            index += 1
            continue
        begun = _row_start(line, expected)
        if begun is not None:
            number, rest = begun
            current, complete = _split_row(rest, roles)
            current[roles.index("number")] = number
            rows.append(_grid_row(current, len(roles)))
            expected = int(number) + 1
            blank = False
            index += 1
            continue
        lone = _LONE_NUMBER.match(line)
        if lone:
            index += 1  # a page number between rows
            continue
        if _TABLE_END.match(line):
            break
        upcoming = _next_line(lines, index + 1)
        restart = upcoming is not None and _row_start(upcoming, 1) is not None and expected > 1
        if _CATEGORY_LINE.match(line) or (restart and len(line) <= 30 and not _is_unit_cell(line)):
            if len(line) > 40 and re.search("[。；]", line):
                break
            rows.append([line] * len(roles))
            current = None
            blank = False
            index += 1
            continue
        if blank or current is None or (complete and (len(line) > 40 or (line.endswith("。") and len(line) > 20))):
            break
        # A row wrapped onto the next line.
        _continue_row(current, line, roles, complete, content_column)
        rows[-1] = _grid_row(current, len(roles))
        complete = complete or bool(rows[-1][len(roles) - 1])
        index += 1
    while rows and all(cell == rows[-1][0] for cell in rows[-1]):
        rows.pop()  # a heading after the table is not part of it
        index = _rewind(lines, index, start)
    return rows, index


def _rewind(lines: list[str], index: int, start: int) -> int:
    index -= 1
    while index > start and (not lines[index].strip() or _PAGE_MARK.match(lines[index])):
        index -= 1
    return index


def _next_line(lines: list[str], index: int) -> str | None:
    while index < len(lines):
        if lines[index].strip() and not _PAGE_MARK.match(lines[index]):
            return lines[index]
        index += 1
    return None


def _continue_row(
    current: dict[int, str], line: str, roles: Sequence[str | None], complete: bool, content: int
) -> None:
    pieces = [piece for piece in _STRONG_SEPARATOR.split(line) if piece.strip()]
    if not complete:
        # The row broke before its unit and deadline columns: read the joined text again.
        number_column = roles.index("number")
        joined = " ".join(current[i] for i in sorted(current) if i != number_column and current[i])
        cells, _ = _split_row(joined + "\t" + line if len(pieces) > 1 else joined + line, roles)
        number = current[number_column]
        current.clear()
        current.update(cells)
        current[number_column] = number
        return
    unit_columns = [i for i, role in enumerate(roles) if role in _UNIT_ROLES]
    for piece in pieces:
        target = content
        if _is_deadline_cell(piece) and "deadline" in roles:
            target = roles.index("deadline")
        elif _is_unit_cell(piece) and unit_columns:
            open_units = [i for i in unit_columns if current.get(i, "").endswith(("、", "，"))]
            target = open_units[0] if open_units else unit_columns[-1]
        before = current.get(target, "")
        glue = "、" if target in unit_columns and before and not before.endswith(("、", "，")) else ""
        current[target] = before + glue + piece


def _grid_row(cells: dict[int, str], width: int) -> list[str | None]:
    return [cells.get(i, "") for i in range(width)]


def _read_cell_rows(lines: list[str], start: int, roles: list[str | None]) -> tuple[list[list[str | None]], int]:
    """Rows printed one cell per line from `start`: each row opens with its lone 序号."""
    rows: list[list[str | None]] = []
    expected = 1
    index = start
    number_column = roles.index("number")
    columns = [i for i, role in enumerate(roles) if i != number_column]
    while index < len(lines):
        line = lines[index].strip()
        kind = _cell_line_kind(lines, index, expected)
        if kind == "skip":
            index += 1
            continue
        lone = _LONE_NUMBER.match(line)
        if kind == "row" and lone:
            number = lone.group(1)
            cell_lines, index = _cell_lines(lines, index + 1, int(number) + 1)
            cells, used = _assign_cell_lines(cell_lines, roles, columns)
            cells[number_column] = number
            rows.append(_grid_row(cells, len(roles)))
            expected = int(number) + 1
            if used < len(cell_lines):
                # Text after the last row's last cell is the document again.
                index = _line_index(lines, index, len(cell_lines) - used)
                break
            continue
        if kind == "category":
            rows.append([line] * len(roles))
            index += 1
            continue
        break
    return rows, index


def _cell_line_kind(lines: list[str], index: int, expected: int) -> str:
    """What a line of a table printed one cell per line is: "row" (the lone 序号 expected next, or 1), "category"
    (一、… over the next row), "skip" (blank, a page mark, a lone number that is a page number) or "text"."""
    line = lines[index].strip()
    if not line or _PAGE_MARK.match(line):
        return "skip"
    lone = _LONE_NUMBER.match(line)
    if lone:
        return "row" if int(lone.group(1)) in (expected, 1) else "skip"
    if _CATEGORY_LINE.match(line) and len(line) <= 40:
        upcoming = _next_line(lines, index + 1)
        if upcoming is not None and _LONE_NUMBER.match(upcoming):
            return "category"
    return "text"


def _cell_lines(lines: list[str], index: int, following: int) -> tuple[list[str], int]:
    """The lines of one row's cells: up to the next row's 序号, a category row or a blank gap."""
    cells: list[str] = []
    while index < len(lines):
        kind = _cell_line_kind(lines, index, following)
        if kind == "skip":
            index += 1  # a blank, or a page number inside the row
            continue
        line = lines[index].strip()
        if kind in ("row", "category") or _TABLE_END.match(line):
            break
        cells.append(line)
        index += 1
    return cells, index


def _line_index(lines: list[str], index: int, back: int) -> int:
    """The index of the `back`-th non-blank line before `index`."""
    while back > 0 and index > 0:
        index -= 1
        if lines[index].strip() and not _PAGE_MARK.match(lines[index]):
            back -= 1
    return index


def _assign_cell_lines(
    cell_lines: list[str], roles: Sequence[str | None], columns: list[int]
) -> tuple[dict[int, str], int]:
    """Cells of a row given one per line, in column order; (column → text, lines used).

    Exactly one line per column is read by position; otherwise by grammar: a task's text may
    run over several lines, an empty cell prints no line, and what follows the last column is
    no longer the table's."""
    if len(cell_lines) == len(columns) and _plausible(cell_lines, [roles[i] for i in columns]):
        return dict(zip(columns, cell_lines, strict=True)), len(cell_lines)
    cells: dict[int, str] = {}
    pointer = 0
    used = 0
    for line in cell_lines:
        placed = False
        while pointer < len(columns):
            column = columns[pointer]
            role = roles[column]
            later = [roles[i] for i in columns[pointer + 1 :]]
            kind = "deadline" if _is_deadline_cell(line) else "units" if _is_unit_cell(line) else "text"
            if role == "content":
                if (
                    column in cells
                    and kind != "text"
                    and (("deadline" in later) if kind == "deadline" else any(r in _UNIT_ROLES for r in later))
                ):
                    pointer += 1
                    continue
                cells[column] = cells.get(column, "") + line
                placed = True
            elif role in _UNIT_ROLES:
                if kind == "units" and column not in cells:
                    cells[column] = line
                    placed = True
                elif kind == "units" and cells[column].endswith(("、", "，")):
                    cells[column] += line
                    placed = True
                else:
                    pointer += 1
                    continue
            elif role == "deadline":
                if kind == "deadline" and column not in cells:
                    cells[column] = line
                    placed = True
                else:
                    pointer += 1
                    continue
            elif column not in cells and kind == "text" and len(line) <= 30:
                cells[column] = line  # 备注, 责任领导: read, then left out
                placed = True
            else:
                pointer += 1
                continue
            break
        if not placed:
            break
        used += 1
    return cells, used


# ---------------------------------------------------------------------------------------------
# PDF pages.


def pdf_page_text(page: Any) -> str:
    """The text of a pdfplumber page, its ruled tables read as tables in reading order. A page
    without ruling lines is read as it is (finding tables costs only where there are lines)."""
    if not (page.rects or page.lines):
        return page.extract_text() or ""
    try:
        tables = [table for table in page.find_tables() if len(table.rows) >= 2]
    except Exception:  # pdfplumber's table finder on a damaged page: read the page as text
        tables = []
    if not tables:
        return page.extract_text() or ""
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside)
    blocks: list[tuple[float, list[str]]] = []
    for line in rest.extract_text_lines():
        blocks.append((line["top"], [line["text"]]))
    for table in tables:
        rows = table.extract()
        blocks.append((table.bbox[1], table_lines(rows, wrapped=True)))
    blocks.sort(key=lambda block: block[0])
    return "\n".join(text for _, texts in blocks for text in texts)


# ---------------------------------------------------------------------------------------------
# DOCX bodies.


def docx_lines(document: Any) -> list[str]:
    """The lines of a python-docx document: paragraphs as they are, tables through table_lines,
    in body order. A table used for layout (a cell holding a table) gives its cells' contents."""
    return _block_lines(document.element.body, document)


def _block_lines(element: Any, parent: Any) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, parent).text)
        elif tag == "tbl":
            lines.extend(_docx_table_lines(Table(child, parent)))
        elif tag == "sdt":  # content controls wrap paragraphs and tables
            content = next((c for c in child.iterchildren() if c.tag.endswith("}sdtContent")), None)
            if content is not None:
                lines.extend(_block_lines(content, parent))
    return lines


def _docx_table_lines(table: Any) -> list[str]:
    rows = [list(row.cells) for row in table.rows]
    nested = any(cell._tc.xpath("./w:tbl") for row in rows for cell in row)
    grid = [[cell.text for cell in row] for row in rows]
    if nested and not any(_is_task_header(_roles(row)) for row in grid[:4]):
        # A layout table: its cells, each once, in order, nested tables read as tables.
        lines: list[str] = []
        seen: set[int] = set()
        for row in rows:
            for cell in row:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                lines.extend(_block_lines(cell._tc, cell))
        return lines
    return table_lines(grid)
