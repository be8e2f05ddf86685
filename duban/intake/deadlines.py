"""Dated deadlines, resolved to ISO dates against the document's own date.

- "6月15日前", "于4月15日之前", "8月15日17:30前", "明年1月10日前" → that day (the document's year
  unless printed, 明年 the next);
- "6月底前", "2021年6月底", "确保2026年6月投入使用" → the month's last day; "5月中旬前" → the 20th
  (上旬 the 10th, 下旬 the month's end);
- "年底前", "今年年底", "2020年末" → 12-31 of that year; "2024年起3年内完成" → 12-31 of 2026;
- "到2022年……完成", "今年全部完成", "年内实现" → 12-31, when the time comes before a completion verb
  ("完成今年…任务" is not a deadline, it names this year's tasks; "三年内" is not "年内");
- "上半年完成", "三季度末", "今年二季度实现供地" → the period's last day (a quarter that is a target's
  own time is not a deadline);
- "本通知印发后2个月内", "自本方案印发之日起30日内" → counted from the document's date.
A date before the document's own date is history (原定3月底开工…), not a deadline; nor are "4月25日后",
"截至3月31日", windows and validity (自…起至…前, 有效期至, 执行到), permissions (可于…前补缴), recurring
limits (每年1月底前), a policy's effect (…前，对…减按1%征收), who a policy is for (在…前缴纳契税的购房人),
a year in a quoted title, and a qualitative goal (到2027年，基本建成…体系).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypedDict

from duban.intake.dates import month_end, safe_date
from duban.intake.numbers import arabize, parse_cn_decimal
from duban.intake.sentences import sentences

COMPLETION_VERBS = (
    "完成|建成|到位|完毕|办结|结束|上报|报送|出台|印发|验收|竣工|投入使用|投用|清零|全覆盖|落地|开工|"
    "拆除|整改|实现|供地|报区|报市|报县|报省|提交|备案|推出|上线"
)

_BEFORE = r"(?:前|之前|以前)"
_YEAR_OR_REL = r"(?:(?P<y>\d{4})年|(?P<rel>今|本|明)年)?"
# A time of day after the day keeps the day: 8月15日17:30前, 9月10日12：00前, 6月1日18时前.
_CLOCK = r"(?:(?:上午|下午|中午|晚)?\d{1,2}(?:[:：]\d{2}|时(?:\d{1,2}分)?|点(?:\d{1,2}分|半)?))?"
_DAY = re.compile(rf"{_YEAR_OR_REL}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_CLOCK}{_BEFORE}")
_TEN_DAYS = re.compile(rf"{_YEAR_OR_REL}(?P<m>\d{{1,2}})月(?P<x>上|中|下)旬(?:{_BEFORE})?")
_MONTH_END = re.compile(
    rf"{_YEAR_OR_REL}(?P<m>\d{{1,2}})月(?:(?P<s>底|末|份)(?:{_BEFORE})?|(?![\d上中下底末份]|{_BEFORE}))"
)
_MONTH_BEFORE = re.compile(rf"{_YEAR_OR_REL}(?P<m>\d{{1,2}})月{_BEFORE}")
_YEAR_END = re.compile(rf"(?:(?:(?P<y>\d{{4}})|(?P<rel>今|本|明|当))年年?|(?<![\d月日])年)(?:底|末){_BEFORE}?")
_PERIOD = re.compile(rf"{_YEAR_OR_REL}(?P<p>上半年|下半年|第?[一二三四1-4]季度)(?P<s>末|底|{_BEFORE})?")
_YEAR_THEN_VERB = re.compile(
    rf"(?P<time>(?:到|至|于|在)?(?P<y>\d{{4}})年|(?P<rel>今年|(?<![\d一二三四五六七八九十两几多数每近])年内|本年度|明年))"
    rf"(?P<between>，?[^，。；！？\d]{{0,14}}?)(?:{COMPLETION_VERBS})"
)
# YYYY年起N年内 → the end of year YYYY+N−1.
_YEARS_FROM = re.compile(r"(?P<y>\d{4})年(?:起|开始)[，,]?(?:用)?(?P<n>\d{1,2}|[一二三四五六七八九十两])年(?:内|时间)")
# 本通知印发后2个月内, 自本方案印发之日起30日内: counted from the document's date.
_AFTER_ISSUE = re.compile(
    r"(?:自|从)?(?:本[\u4e00-\u9fff]{0,4}?)?(?:印发|下发|发布|出台|施行|实施|公布)(?:之日)?(?:起|后)"
    r"(?P<n>\d{1,3}|[一二三四五六七八九十两]{1,3})(?P<u>个月|日|天|周|个工作日|个?星期)(?:内|以内)"
)
_NOT_A_DEADLINE_BEFORE = re.compile(r"(?:截至|截止|自|从|原定|去年|已于|已在|已经)\s*$")
# Windows and validity (自…起至2023年12月31日前, 有效期至, 执行到), permissions (可于…前补缴),
# and recurring limits (每年1月底前) are no completion limits.
_WINDOW_BEFORE = re.compile(
    r"(?:(?:自|从)[^，。；]*(?:至|到)|有效期(?:至|到)?|(?:执行|延续|延长|实施|持续|截)(?:至|到)|"
    r"(?:可|可以|允许|准予)(?:于|在)?|每(?:年|季度|半年|月|周|旬))\s*[^，。；]{0,6}?$"
)
# A deadline inside a relative clause names who a policy is for (在6月30日前足额缴纳契税的购房人).
_WHO_AFTER = re.compile(r"的[\u4e00-\u9fff]{0,6}(?:人|者|企业|家庭|户|主体|职工|学生)$")
# A date before a policy's effect (2027年12月31日前，对…减按0.5%征收增值税) is its validity.
_POLICY_AFTER = re.compile(r"减按|减半|征收|免征|减征|免收|缓缴|补贴|奖励|贴息|享受|给予|执行|适用")
# 到2027年，基本建成…体系: a qualitative goal, not a deadline.
_GOAL_AFTER = re.compile(r"基本|初步|全面建成|全面形成|体系|格局")
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


def parse_deadline_text(text: str, doc_date: date | None, issued: date | bool | None = True) -> Deadline | None:
    """A 完成时限 column or label ("2021年6月底前", "2021年12月", "2024年三季度", "年底前"): any date counts."""
    text = arabize(text.strip())
    hits = deadlines_in_sentence(text, doc_date, False, issued)
    if hits:
        return hits[0]
    match = _PERIOD.search(text)
    year = _year(match, doc_date) if match else None
    if match and year:
        end = _period_end(year, match.group("p"))
        if end:
            return Deadline(match.group(0), end)
    match = re.search(r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月)?", text)
    if match:
        month = int(match.group("m") or 12)
        end = month_end(int(match.group("y")), month)
        if end:
            return Deadline(match.group(0), end)
    return None


def _add_months(start: date, months: int) -> date | None:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    end = month_end(year, month)
    return end and safe_date(year, month, min(start.day, end.day))


def _count(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_cn_decimal(text))


_TIME_WORD = re.compile(r"[\d０-９年季月日天周旬〇零一二三四五六七八九十两百]")


def deadlines_in_sentence(
    sentence: str, doc_date: date | None, year_is_a_target: bool, issued: date | bool | None = True
) -> list[Deadline]:
    """Deadlines of one sentence; when its year belongs to a target, no year-end or quarter deadline.

    `issued` is the document's own date for limits counted from it (印发后2个月内); True means
    `doc_date`, None that the document's date is not known."""
    if not _TIME_WORD.search(sentence):
        return []  # every form read below names a year, season, month, day, week or a number (most sentences don't)
    text = arabize(sentence)
    issue_date = doc_date if issued is True else (issued or None)
    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]
    hits: list[tuple[int, int, Deadline]] = []

    def add(match: re.Match[str], resolved: date | None, span_text: str | None = None) -> None:
        if resolved is None:
            return
        before = text[: match.start()]
        if _NOT_A_DEADLINE_BEFORE.search(before[-4:]) or _WINDOW_BEFORE.search(before):
            return
        if any(start <= match.start() < end for start, end in titles):
            return  # 《…三年行动计划（2024—2026年）》: a title, not a time
        clause_end = min([i for mark in "，,；。！？" if (i := text.find(mark, match.end())) >= 0] or [len(text)])
        if _WHO_AFTER.search(text[match.end() : clause_end]):
            return
        rest = text[match.end() :]
        if _POLICY_AFTER.search(rest) and not re.search(COMPLETION_VERBS, rest):
            return
        if doc_date is not None and resolved < doc_date:
            return  # history, not a deadline
        if any(start < match.end() and match.start() < end for start, end, _ in hits):
            return
        hits.append((match.start(), match.end(), Deadline(span_text or match.group(0), resolved)))

    if issue_date is not None:
        for match in _AFTER_ISSUE.finditer(text):
            number, unit = _count(match.group("n")), match.group("u")
            if "工作日" in unit:
                continue  # working days cannot be counted without the calendar
            if unit == "个月":
                resolved = _add_months(issue_date, number)
            else:
                resolved = issue_date + timedelta(days=number * (7 if unit in ("周", "星期", "个星期") else 1))
            if resolved is not None:
                hits.append((match.start(), match.end(), Deadline(match.group(0).lstrip("自从"), resolved)))
    for match in _DAY.finditer(text):
        year = _year(match, doc_date)
        if year:
            add(match, safe_date(year, int(match.group("m")), int(match.group("d"))))
    for match in _TEN_DAYS.finditer(text):
        year = _year(match, doc_date)
        if year and (re.search(_BEFORE + "$", match.group(0)) or _completion_follows(text, match.end())):
            month = int(match.group("m"))
            day = {"上": 10, "中": 20}.get(match.group("x"))
            end = month_end(year, month) if month <= 12 else None
            add(match, safe_date(year, month, day) if day else end)
    for match in _MONTH_END.finditer(text):
        year = _year(match, doc_date)
        printed_end = match.group("s") in ("底", "末") or bool(re.search(_BEFORE + "$", match.group(0)))
        if year and (printed_end or _completion_follows(text, match.end())):
            add(match, month_end(year, int(match.group("m"))))  # 6月底前; 确保2026年6月投入使用
    for match in _MONTH_BEFORE.finditer(text):
        year = _year(match, doc_date)
        if year and int(match.group("m")) > 1:
            add(match, month_end(year, int(match.group("m")) - 1))
    for match in _PERIOD.finditer(text):
        year = _year(match, doc_date)
        quarter = "季度" in match.group("p")
        if not year or (quarter and year_is_a_target):
            continue  # "第四季度末主动评价率达到70%以上": the target's own time
        if match.group("s") or _completion_follows(text, match.end()):
            add(match, _period_end(year, match.group("p")))
    for match in _YEARS_FROM.finditer(text):
        if not year_is_a_target and _completion_follows(text, match.end()):
            year = int(match.group("y")) + _count(match.group("n")) - 1
            add(match, safe_date(year, 12, 31))
    if not year_is_a_target:
        for match in _YEAR_END.finditer(text):
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
            if _GOAL_AFTER.search(text[match.end("time") : _clause_after(text, match.end("time"))]):
                continue  # "到2027年，基本建成…体系": a goal, not a limit
            if year and not re.search(r"\d", match.group("between")):
                # "到2022年" is the text; "于2022年" reads the same.
                add(match, safe_date(year, 12, 31), match.group("time").lstrip("于在"))
    hits.sort(key=lambda hit: hit[0])
    return [hit[2] for hit in hits]


def _clause_after(text: str, position: int) -> int:
    """End of the clause after `position` (a comma right after a year phrase does not end it)."""
    start = position + 1 if text[position : position + 1] in "，," else position
    ends = [i for mark in "，,；。！？" if (i := text.find(mark, start)) >= 0]
    return min(ends) if ends else len(text)


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
