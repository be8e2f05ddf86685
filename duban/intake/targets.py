"""Quantitative targets bound to a year: "到2022年和2030年，…分别不低于22%和30%".

A target needs a year (到2022年, 2020年底, 今年, 全年 …) that is not in the past, a number with
a unit, and either a comparator word before the number (不低于, 达到, 控制在 …) or, for quotas,
an imperative verb (确保全年新建高标准农田74.7万亩 → ">="). Past figures (2019年全国平均火化率
49%), forecasts (预计) and modifiers (不足5年的劳动者, 65岁及以上人群) are not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from duban.intake.numbers import arabize, to_number
from duban.intake.sentences import sentences

COMPARATOR_WORDS: tuple[tuple[str, str], ...] = (
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("力争达到", ">="),
    ("至少", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不大于", "<="),
    ("不多于", "<="),
    ("提升到", ">="),
    ("提升至", ">="),
    ("提高到", ">="),
    ("提高至", ">="),
    ("增加到", ">="),
    ("增加至", ">="),
    ("增长到", ">="),
    ("增长至", ">="),
    ("增至", ">="),
    ("保持在", ">="),
    ("稳定在", ">="),
    ("达到", ">="),
    ("突破", ">"),
    ("实现", ">="),
    ("达", ">="),
    ("下降到", "<="),
    ("下降至", "<="),
    ("降到", "<="),
    ("降至", "<="),
    ("降低到", "<="),
    ("降低至", "<="),
    ("减少到", "<="),
    ("减少至", "<="),
    ("压减到", "<="),
    ("压减至", "<="),
    ("控制在", "<="),
    ("低于", "<"),
    ("少于", "<"),
    ("小于", "<"),
    ("高于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("大于", ">"),
)
_CMP = "|".join(re.escape(word) for word, _ in sorted(COMPARATOR_WORDS, key=lambda item: -len(item[0])))
_CMP_MAP = dict(COMPARATOR_WORDS)

_MEASURES = (
    "微克/立方米|毫克/立方米|微克|毫克|平方公里|平方米|立方米|千瓦时|万千瓦|千瓦|标准箱|公顷|千米|公里|人次|户次|个百分点|百分点|"
    "亩|元|人|个|家|所|项|座|处|条|名|户|套|台|辆|张|件|场|次|支|批|吨|米|岁|天|小时|倍|篇|部|只|头|株|棵|间|床|公斤|千克|斤"
)
UNIT = rf"(?:%|‰|/\d*万|/千|/百|(?:[万亿千百]?(?:{_MEASURES}))(?:/[\u4e00-\u9fff])?|[万亿])"
NUMBER = r"\d+(?:\.\d+)?"
_SUFFIX = r"(?:及以上|以上|及以下|以下|以内|左右)?"
_VALUE = rf"(?P<num>{NUMBER})(?P<unit>{UNIT})(?P<suffix>{_SUFFIX})"
_ONE_VALUE = re.compile(_VALUE)
_VALUE_LIST = rf"{NUMBER}{UNIT}{_SUFFIX}(?:(?:和|、|及|与|或)(?:{NUMBER}{UNIT}{_SUFFIX}))*"

_COMPARATOR_TARGET = re.compile(rf"(?P<cmp>{_CMP})(?P<gap>(?<=至少)[\u4e00-\u9fff]{{0,4}}?)?(?P<values>{_VALUE_LIST})")
_QUOTA_VERBS = "新建|建成|新增|培育|打造|改造|建设|举办|引进|培训|植树|造林|种植|筹集|创建|招引|签约|开工|实施|完成|安置|新开工|认定|推广"
_QUOTA_TARGET = re.compile(rf"(?P<verb>{_QUOTA_VERBS})(?P<object>[\u4e00-\u9fff]{{0,10}}?)(?P<values>{_VALUE_LIST})")
_IMPERATIVE = re.compile(r"确保|力争|务必|必须|要|计划|目标|任务|争取|全年|年内")
_NOT_A_PLAN = re.compile(r"预计|已经|已|截至|截止|同比|累计完成|目前|现有|共有|仅|只有|去年|上年|以来")

# Years: 2022年, 2020年底, 到2022年和2030年, 2021—2022年; relative: 今年, 全年, 年内, 明年.
_YEAR = re.compile(r"(?P<y>\d{4})(?:[—－\-~～至到](?P<y2>\d{4}))?年(?P<end>底|末)?")
_RELATIVE_YEAR = re.compile(r"(?P<rel>今年|全年|年内|本年度|本年|当年|明年)(?!\d|以来|一季度|上半年|初)")
_YEAR_CONNECTOR = re.compile(r"^(?:和|、|及|与|至|到|—|－|-)$")
_PAST_CONTEXT = re.compile(r"(?:截至|截止|自|从|去|与|较|比|在|于)$")


class TargetDict(TypedDict):
    """A target as the contract prints it (extraction.md)."""

    text: str
    indicator: str
    year: int
    comparator: str
    value: int | float
    unit: str


@dataclass
class Target:
    text: str
    indicator: str
    year: int
    comparator: str
    value: int | float
    unit: str

    def as_dict(self) -> TargetDict:
        return {
            "text": self.text,
            "indicator": self.indicator,
            "year": self.year,
            "comparator": self.comparator,
            "value": self.value,
            "unit": self.unit,
        }


@dataclass
class _YearPhrase:
    years: list[int]
    start: int
    end: int
    past: bool


def _year_phrases(sentence: str, doc_year: int | None) -> list[_YearPhrase]:
    """Year phrases of a sentence; consecutive years joined by 和/、 form one phrase."""
    raw: list[tuple[int, int, list[int], bool]] = []
    for match in _YEAR.finditer(sentence):
        after = sentence[match.end() : match.end() + 3]
        before = sentence[max(0, match.start() - 2) : match.start()]
        if re.match(r"\d{1,2}月|度|第|以来|前后|开始|起", after) and not match.group("end"):
            # "2019年第三次国土调查", "2018年度卫片", "2020年4月…": a date or a period, not a target year.
            if re.match(r"度", after) and doc_year and int(match.group("y")) >= doc_year:
                pass
            else:
                continue
        years = [int(match.group("y"))]
        if match.group("y2"):
            years.append(int(match.group("y2")))
        raw.append(
            (
                match.start(),
                match.end(),
                years,
                bool(
                    _PAST_CONTEXT.search(before)
                    and before.endswith(("去", "自", "从", "截至", "截止", "较", "比", "与"))
                ),
            )
        )
    if doc_year:
        for match in _RELATIVE_YEAR.finditer(sentence):
            year = doc_year + 1 if match.group("rel") == "明年" else doc_year
            raw.append((match.start(), match.end(), [year], False))
    raw.sort()
    phrases: list[_YearPhrase] = []
    for start, end, years, past in raw:
        if phrases and _YEAR_CONNECTOR.match(sentence[phrases[-1].end : start] or "x"):
            phrases[-1].years.extend(years)
            phrases[-1].end = end
            continue
        is_past = past or bool(doc_year and all(year < doc_year for year in years))
        phrases.append(_YearPhrase(years, start, end, is_past))
    return phrases


def _comparator(word: str | None, suffix: str) -> str:
    if suffix in ("及以上", "以上"):
        return ">="
    if suffix in ("及以下", "以下", "以内"):
        return "<="
    return _CMP_MAP.get(word or "", ">=")


def _clause_start(sentence: str, position: int) -> int:
    """Start of the clause containing `position` (after the last ，；： before it)."""
    cut = max(sentence.rfind(mark, 0, position) for mark in "，,；：:")
    return cut + 1 if cut >= 0 else 0


_INDICATOR_NOISE_HEAD = re.compile(r"^(?:力争|确保|要|使|并|且|同时|其中|到|至|在|以)+")
_INDICATOR_NOISE_TAIL = re.compile(r"(?:分别|均|都|要|应|需|将|力争|确保)+$")


def _indicator(sentence: str, start: int, phrases: list[_YearPhrase]) -> str:
    clause_start = _clause_start(sentence, start)
    for phrase in phrases:
        if clause_start <= phrase.start < start:
            clause_start = max(clause_start, phrase.end)
    text = sentence[clause_start:start].strip("，,；：: ")
    text = _INDICATOR_NOISE_HEAD.sub("", text)
    text = _INDICATOR_NOISE_TAIL.sub("", text)
    return text


def find_targets(paragraph: str, doc_year: int | None) -> tuple[list[Target], set[int]]:
    """Targets in a paragraph, and the start offsets of the sentences that held them."""
    found: list[Target] = []
    sentence_starts: set[int] = set()
    for sentence in sentences(paragraph):
        targets = targets_in_sentence(sentence.text, doc_year)
        if targets:
            found.extend(targets)
            sentence_starts.add(sentence.start)
    return found, sentence_starts


def targets_in_sentence(original: str, doc_year: int | None) -> list[Target]:
    """Targets of one sentence (see module docstring)."""
    sentence = arabize(original)
    if not re.search(r"\d", sentence):
        return []
    phrases = _year_phrases(sentence, doc_year)
    if not phrases:
        return []
    text_base = original.rstrip("。；！？ ")
    results: list[Target] = []
    taken: list[tuple[int, int]] = []

    def governing(position: int) -> _YearPhrase | None:
        # A past year as an attribute ("2000年底前建成的小区") does not govern what follows; a
        # past year opening a clause ("2019年，全国平均火化率49%") does, and makes it history.
        for phrase in reversed([p for p in phrases if p.end <= position]):
            if not phrase.past or sentence[phrase.end : phrase.end + 1] in ("，", ",", "：", "") or phrase.start == 0:
                return phrase
        return None

    def add(match: re.Match[str], word: str | None, indicator: str) -> None:
        phrase = governing(match.start())
        if phrase is None or phrase.past:
            return
        values = list(_ONE_VALUE.finditer(match.group("values")))
        end = match.end()
        following = sentence[end : end + 1]
        if following == "的" or re.match(r"[A-Za-z]", following):
            return  # "不足5年的劳动者", "3A级": a modifier, not a target
        years = phrase.years
        if len(values) == len(years):
            pairs = list(zip(years, values, strict=False))
        elif len(values) == 1:
            pairs = [(year, values[0]) for year in years]
        else:
            pairs = [(years[min(i, len(years) - 1)], value) for i, value in enumerate(values)]
        text = text_base if sentence != original else sentence[:end].rstrip("。；！？ ")
        for year, value in pairs:
            results.append(
                Target(
                    text=text,
                    indicator=indicator,
                    year=year,
                    comparator=_comparator(word, value.group("suffix")),
                    value=to_number(Decimal(value.group("num"))),
                    unit=value.group("unit"),
                )
            )
        taken.append((match.start(), match.end()))

    for match in _COMPARATOR_TARGET.finditer(sentence):
        word = match.group("cmp")
        indicator = _indicator(sentence, match.start(), phrases)
        if match.group("gap"):
            tail = re.match(r"[\u4e00-\u9fff]{1,16}", sentence[match.end() :])
            indicator = indicator + match.group("gap") + (tail.group(0) if tail else "")
            # "至少建成1个城市公益性公墓": the noun after the number belongs to the indicator.
            following_noun = True
        else:
            following_noun = False
        if not following_noun and sentence[match.end() : match.end() + 1] == "的":
            continue
        add(match, word, indicator)

    planned = _IMPERATIVE.search(sentence) and not _NOT_A_PLAN.search(sentence)
    for match in _QUOTA_TARGET.finditer(sentence):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        # "完成加装电梯100部以上": 以上/以下 is a comparator of its own, no imperative needed.
        if planned or (re.search(r"以上|以下|以内", match.group("values")) and not _NOT_A_PLAN.search(sentence)):
            add(match, None, match.group("verb") + match.group("object"))
    return results
