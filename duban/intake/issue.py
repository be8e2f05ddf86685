"""The issue's own front matter: masthead title, number (第4号（总第96号）), publication date,
table of contents. Recognised so that it is not mistaken for a document, and kept for the ledger."""

from __future__ import annotations

import re
from typing import TypedDict

from duban.intake.cleanup import Line, normalise_chars, split_raw_lines, squeeze_spaces

_MASTHEAD = re.compile(r"^(.{2,30}?(?:公报|政报|公告))$")
_NUMBER = re.compile(r"第(\d{1,3})[号期](?:（总第(\d{1,4})[号期]）)?")
_PUBLISHED = re.compile(r"出版(?:日期|时间)[:：]?(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_TOC_REF = re.compile(r"\s*(?:/\s*\d{1,3}|[…\.·]{2,}\s*\d{1,3})$")


class IssueHeader(TypedDict):
    title: str
    number: str
    date: str | None  # ISO
    contents: list[str]


def read_issue_header(text: str, front: list[Line]) -> IssueHeader:
    """{"title", "number", "date", "contents"}; empty values when the file is a single document."""
    head = [squeeze_spaces(normalise_chars(line)) for line in split_raw_lines(text[:20000])]
    head = [line for line in head if line]
    title = next((m.group(1) for line in head[:40] if (m := _MASTHEAD.match(line))), "")
    front_text = "\n".join(line.text for line in front)
    number = ""
    match = _NUMBER.search(front_text)
    if match:
        year = re.search(r"(?:^|\n)(\d{4})(?:年)?\s*\n", "\n".join(head[:60]) + "\n")
        number = (f"{year.group(1)}年" if year else "") + match.group(0)
    published = None
    date_match = _PUBLISHED.search(front_text.replace("\n", ""))
    if date_match:
        year_, month, day = date_match.group(1), int(date_match.group(2)), int(date_match.group(3) or 1)
        published = f"{year_}-{month:02d}-{day:02d}"
    contents: list[str] = []
    pending = ""  # a title line whose page reference comes on the next line (doc number, speech subtitle)
    for line in front:
        if _TOC_REF.search(line.text):
            entry = _TOC_REF.sub("", line.text)
            if pending and entry.startswith(("（", "——", "—")):
                entry = pending + entry
            contents.append(entry)
            pending = ""
        else:
            pending = line.text if not re.search("[：:。]", line.text) else ""
    return {"title": title, "number": number, "date": published, "contents": contents}
