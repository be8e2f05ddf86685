"""Dated deadlines, resolved to ISO dates against the document's own date.

- "6月15日前", "4月15日之前", "于4月15日前" → that day (the document's year unless printed);
- "6月底前", "2021年6月底" → the month's last day;
- "年底前", "今年年底", "2020年末" → 12-31 of that year;
- "到2022年……完成", "今年全部完成" → 12-31, when the time comes before a completion verb
  ("完成今年…任务" is not a deadline, it names this year's tasks);
- "上半年", "三季度末" → the period's last day.
A date before the document's own date is history (原定3月底开工…), not a deadline; "4月25日后"
and "截至3月31日" are not deadlines either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from duban.intake.dates import month_end, safe_date
from duban.intake.numbers import arabize
from duban.intake.sentences import sentences

COMPLETION_VERBS = (
    "完成|建成|到位|完毕|办结|结束|上报|报送|出台|印发|验收|竣工|投入使用|投用|清零|全覆盖|落地|开工|"
    "拆除|整改|实现全员|实现全覆盖"
)

_BEFORE = r"(?:前|之前|以前)"
_DAY = re.compile(rf"(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日(?:\d{{1,2}}时)?{_BEFORE}")
_MONTH_END = re.compile(rf"(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月(?:底|末|份)(?:{_BEFORE})?")
_MONTH_BEFORE = re.compile(rf"(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月{_BEFORE}")
_YEAR_END = re.compile(rf"(?:(?P<y>\d{{4}})年|(?P<rel>今|本|明|当)年)?年?(?:底|末){_BEFORE}?")
_PERIOD = re.compile(
    rf"(?:(?P<y>\d{{4}})年|(?P<rel>今|本|明)年)?(?P<p>上半年|下半年|第?[一二三四1-4]季度)(?:末|底|{_BEFORE})"
)
_YEAR_THEN_VERB = re.compile(
    rf"(?P<time>(?:到|至|于|在)?(?P<y>\d{{4}})年|(?P<rel>今年|年内|本年度|明年))"
    rf"(?P<between>，?[^，。；！？\d]{{0,14}}?)(?:{COMPLETION_VERBS})"
)
_NOT_A_DEADLINE_BEFORE = re.compile(r"(?:截至|截止|自|从|原定|去年|已于|已在|已经)\s*$")
_PERIOD_END = {"上半年": (6, 30), "下半年": (12, 31)}


class DeadlineDict(TypedDict):
    """A deadline as the contract prints it (extraction.md): the date in ISO form."""

    text: str
    date: str


@dataclass
class Deadline:
    text: str
    date: date

    def as_dict(self) -> DeadlineDict:
        return {"text": self.text, "date": self.date.isoformat()}


def _year(match: re.Match[str], doc_date: date | None) -> int | None:
    if match.groupdict().get("y"):
        return int(match.group("y"))
    rel = match.groupdict().get("rel")
    if doc_date is None:
        return None
    if rel and rel.startswith("明"):
        return doc_date.year + 1
    return doc_date.year


def find_deadlines(
    paragraph: str,
    doc_date: date | None,
    skip_year_sentences: set[int] | frozenset[int] = frozenset(),
) -> list[Deadline]:
    """Deadlines in a paragraph. Sentences whose year belongs to a target (their start offsets in
    `skip_year_sentences`) keep their day and month deadlines but give no year-end deadline."""
    found: list[Deadline] = []
    for sentence in sentences(paragraph):
        found.extend(deadlines_in_sentence(sentence.text, doc_date, sentence.start in skip_year_sentences))
    return found


def parse_deadline_text(text: str, doc_date: date | None) -> Deadline | None:
    """A 完成时限 column or label ("2021年6月底前", "2021年12月", "年底前"): any date counts."""
    text = arabize(text.strip())
    hits = deadlines_in_sentence(text, doc_date, False)
    if hits:
        return hits[0]
    match = re.search(r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月)?", text)
    if match:
        year = int(match.group("y"))
        month = int(match.group("m") or 12)
        end = month_end(year, month)
        if end:
            return Deadline(match.group(0), end)
    return None


def deadlines_in_sentence(sentence: str, doc_date: date | None, year_is_a_target: bool) -> list[Deadline]:
    """Deadlines of one sentence; when its year belongs to a target, no year-end deadline."""
    text = arabize(sentence)
    hits: list[tuple[int, int, Deadline]] = []

    def add(match: re.Match[str], resolved: date | None, span_text: str | None = None) -> None:
        if resolved is None:
            return
        if _NOT_A_DEADLINE_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            return
        if doc_date is not None and resolved < doc_date:
            return  # history, not a deadline
        if any(start < match.end() and match.start() < end for start, end, _ in hits):
            return
        hits.append((match.start(), match.end(), Deadline(span_text or match.group(0), resolved)))

    for match in _DAY.finditer(text):
        year = _year(match, doc_date)
        if year:
            add(match, safe_date(year, int(match.group("m")), int(match.group("d"))))
    for match in _MONTH_END.finditer(text):
        year = _year(match, doc_date)
        if year and (match.group(0).endswith(("前", "底", "末")) or _completion_follows(text, match.end())):
            add(match, month_end(year, int(match.group("m"))))
    for match in _MONTH_BEFORE.finditer(text):
        year = _year(match, doc_date)
        if year and int(match.group("m")) > 1:
            add(match, month_end(year, int(match.group("m")) - 1))
    for match in _PERIOD.finditer(text):
        year = _year(match, doc_date)
        if year:
            add(match, _period_end(year, match.group("p")))
    if not year_is_a_target:
        for match in _YEAR_END.finditer(text):
            if not re.search(r"(?:底|末)", match.group(0)) or match.group(0) in ("底", "末"):
                continue
            if re.match(r"\d{1,2}月", text[match.start() :]):
                continue
            explicit = match.group("y") or match.group("rel")
            if (
                not explicit
                and not re.search(_BEFORE + "$", match.group(0))
                and not _completion_follows(text, match.end())
            ):
                continue  # "年底考核" names an event; "年底前" and "年底完成" are deadlines
            year = _year(match, doc_date)
            if year:
                add(match, safe_date(year, 12, 31), re.sub(r"^[到至于在]", "", match.group(0)))
        for match in _YEAR_THEN_VERB.finditer(text):
            year = _year(match, doc_date)
            if year and not re.search(r"\d", match.group("between")):
                # "到2022年" is the text; "于2022年" reads the same.
                add(match, safe_date(year, 12, 31), match.group("time").lstrip("于在"))
    hits.sort(key=lambda hit: hit[0])
    return [hit[2] for hit in hits]


def _completion_follows(text: str, position: int) -> bool:
    return bool(re.match(rf"[^，。；！？]{{0,12}}?(?:{COMPLETION_VERBS})", text[position:]))


def _period_end(year: int, period: str) -> date | None:
    if period in _PERIOD_END:
        month, day = _PERIOD_END[period]
        return safe_date(year, month, day)
    quarter = re.search(r"[一二三四1-4]", period)
    if not quarter:
        return None
    number = "一二三四".find(quarter.group(0)) + 1 if quarter.group(0) in "一二三四" else int(quarter.group(0))
    return month_end(year, number * 3)
