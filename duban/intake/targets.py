"""Quantitative targets bound to a year: "到2022年和2030年，…分别不低于22%和30%".

A target is a number with a unit that a year of its sentence governs: a year printed before it (到2022年,
2020年底, 2024—2026年 → its last year, 2024年起3年内 → 2026) or one that takes the document's year (今年,
全年, 年内, 一季度, 元宵节前). A year opening a clause governs the clauses after it; a year inside
a clause (恩阳区2022年通信项目) only its own; a year in brackets only the bracket; a clause with a period
of its own (三年内…, 每年…) is not the year's. The figure needs a comparator word before it (不低于,
达到, 控制在, 超, 比例为 …), a suffix (以上, 以下, 左右), or, for quotas, a verb of planned work (新建4万个,
发放1亿元) or the quota of the clause before it (新增…8000家，…承诺店3000家) → ">=". Not targets: past
figures (2019年全国平均火化率49%), forecasts (预计) and statistics, policy parameters (subsidies, caps,
rates: 给予, 最高, 每户, 按10%), conditions (若…超过200人), starting points (由30%提高至40%), ranges
(2—3个), ranks (前5名) and modifiers (不足5年的劳动者, 65岁及以上人群, 千亿级).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypedDict

from duban.intake.dates import month_end
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
    ("超", ">"),
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
_ONE_VALUE = re.compile(rf"(?<![\d.A-Za-z])(?:{_VALUE})")
# A coefficient has no unit: 灌溉水有效利用系数提高到0.60以上 (a decimal right after a comparator word).
_COEFFICIENT = re.compile(rf"(?<=[到至在于])(?P<num>\d+\.\d+)(?P<unit>)(?P<suffix>{_SUFFIX})(?=[，,；。！？]|$)")
_VALUE_JOIN = re.compile(r"^(?:和|、|及|与|或)$")

# The comparator printed before a value: right before it (不低于22%), with 分别/均 between, or across a
# noun phrase ending in 的 (不低于住房建设用地供应总量的70%); 至少 may stand before the verb (至少建成1个).
_CMP_BEFORE = re.compile(rf"(?P<cmp>{_CMP})(?:分别|均|都)?$")
_CMP_ACROSS = re.compile(rf"(?P<cmp>{_CMP})[^，,；：:。\d]{{1,20}}的$")
_AT_LEAST_GAP = re.compile(r"(?P<cmp>至少)[\u4e00-\u9fff]{1,4}$")
_EQUALS_BEFORE = re.compile(r"(?:比例|比重|占比|份额|[率])(?:分别)?为$")
_STARTING_POINT = re.compile(r"(?:由|从|\d[—－\-~～至到])$")  # 由30%提高至40%: where it starts; 2—3个: a range

# Figures that are no target although a year governs them.
# A quota with no comparator word needs a verb of planned work before it in its clause
# (新建4万个, 发放1亿元, 建成投用…等19个), or continues the quota of the clause before it
# (新增…单位8000家，…承诺店3000家).
_QUOTA_VERBS = (
    "新建|建成|新增|增加|培育|打造|改造|建设|举办|引进|培训|植树|造林|种植|筹集|筹建|创建|招引|签约|开工|实施|"
    "完成|安置|认定|推广|安排|推动|发放|提供|派发|组织|开展|竣工|投用|到位|收购|吸纳|带动|培养|孵化|供应|落实|"
    "提升|增长|下降|减少|降低|压减|拓展|新开|推出|举行|招聘|接待|抽检|检测|覆盖|帮扶|转移|扶持|保障"
)
_NOT_A_PLAN = re.compile(
    rf"据统计|统计显示|预计|已经|已有|已累计|已(?:{_QUOTA_VERBS})|截至|截止|目前|现有|共有|去年|上年|以来|累计完成|同比(?:下降|减少)"
)
_QUOTA_VERB = re.compile(rf"(?:{_QUOTA_VERBS})[^，,；：:。]{{0,24}}$")
# Policy parameters (subsidies, caps, rates, limits on enterprises or individuals): the clause before
# the figure names a grant, a rate or a permission.
_PARAMETER = re.compile(
    r"给予|奖励|奖补|补贴|资助|贴息|最高|最低|上限|封顶|费率|税率|利率|征收率|首付|标准为|限额|额度|不得|抵扣|抵减|"
    r"可(?:按|享受|申请|提取|获得|领取)|提取|缴存|减按|减免|免征|减征|期限"
)
_PER_HEAD = re.compile(r"每(?:人|户|家|台|辆|套|平方米|亩|年|月|次|项|个)?$|按(?:照)?(?:分别)?$|(?:分别)?按$")
_ATTRIBUTE_BEFORE = re.compile(r"的近?$|近$|约$|仅占?$|占$|前$|第$")  # "…意义的100个", "占全省的近16%", "前5名"
_CONDITION = re.compile(r"^(?:若|如果|如|倘若|凡是?|一旦)")
_TIME_SPAN_AFTER = re.compile(r"(?:月|工作日|年|周|季度|星期)")
_PROPORTION_SUBJECT = re.compile(
    r"的[\u4e00-\u9fff]{1,12}?(?:建成|实现|达到|达标|完成|开展|具备|覆盖|通过|纳入|建立|配备|接入|开通)"
)
_TASK_AFTER = re.compile(r"的(?:工作)?(?:目标)?任务|的目标")

# Years: 2022年, 2020年底, 到2022年和2030年, 2024—2026年 (its last year), 2024年起3年内 (2026);
# relative: 今年, 全年, 年内 (not 三年内), 明年, 一季度, 元宵节前 (上半年 is a deadline's, not a target's year).
_YEAR = re.compile(r"(?P<y>\d{4})(?:[—－\-~～至到](?P<y2>\d{4}))?年(?P<end>底|末)?")
_PERIOD_FROM = re.compile(
    r"(?P<y>\d{4})年(?:起|开始)[，,]?(?:用|的)?(?P<n>\d{1,2}|[一二三四五六七八九十两])年(?:内|时间|间)"
)
_RELATIVE_YEAR = re.compile(
    r"(?P<rel>今年|全年|(?<![\d一二三四五六七八九十两几多数每近])年内|本年度|本年|明年)(?!\d|以来|一季度|二季度|三季度|四季度|上半年|下半年|初)"
)
_RELATIVE_PERIOD = re.compile(
    r"(?P<rel>今年|本年|明年)?(?P<p>第?[一二三四1-4]季度|(?:春节|元宵节|清明节?|端午节?|中秋节?|国庆节?|元旦)前)"
)
_YEAR_LIST = re.compile(r"^(?:和|、|及|与)$")
_YEAR_RANGE = re.compile(r"^(?:至|到|—|－|-|~|～)$")
_PAST_CONTEXT = re.compile(r"(?:截至|截止|自|从|去|与|较|比|在|于)$")
_CLAUSE_MARKS = "，,；：:"
_LEAD_WORDS = re.compile(r"^(?:力争|确保|争取|计划|努力|全力|要|将|并|且|同时|其中|完成|实现|到|至|在|于|全年|今年)*")
# A clause that opens with a period of its own and no year (三年内…, 每年…) is not the year's.
_YEARLESS_PERIOD = re.compile(
    r"(?:每年|每季度|每月|[\d一二三四五六七八九十两几]+年(?:内|来|间)|近[\d一二三四五六七八九十两几]*年|长期)"
)
_SPAN_OF_YEARS = re.compile(r"(?<!\d)(?:\d{1,2}|[一二三四五六七八九十两几])年(?:内|来|间)")
_CN_SMALL_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


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


def _cn_small(text: str) -> int:
    return int(text) if text.isdigit() else _CN_SMALL_DIGITS.get(text, 0)


def _quarter_end_month(period: str) -> int:
    if period == "上半年":
        return 6
    if period == "下半年":
        return 12
    digit = re.search(r"[一二三四1-4]", period)
    if not digit:
        return 0
    return (_CN_SMALL_DIGITS.get(digit.group(0)) or int(digit.group(0))) * 3


def _year_phrases(sentence: str, doc_year: int | None, doc_date: date | None = None) -> list[_YearPhrase]:
    """Year phrases of a sentence; years joined by 和/、 form one phrase, a range (2024—2026年,
    2022年至2025年) stands for its last year."""
    raw: list[tuple[int, int, list[int], bool]] = []
    periods = [
        (m.start(), m.end(), int(m.group("y")) + _cn_small(m.group("n")) - 1) for m in _PERIOD_FROM.finditer(sentence)
    ]
    for start, end, year in periods:
        raw.append((start, end, [year], False))
    for match in _YEAR.finditer(sentence):
        if any(start <= match.start() < end for start, end, _ in periods):
            continue
        after = sentence[match.end() : match.end() + 3]
        before = sentence[max(0, match.start() - 2) : match.start()]
        if re.match(r"\d{1,2}月|度|第|以来|前后|开始|起", after) and not match.group("end"):
            # "2019年第三次国土调查", "2018年度卫片", "2020年4月…": a date or a period, not a target year.
            if re.match(r"度", after) and doc_year and int(match.group("y")) >= doc_year:
                pass
            else:
                continue
        years = [int(match.group("y2") or match.group("y"))]
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
        relative: list[tuple[int, int, int, bool]] = []
        for match in _RELATIVE_PERIOD.finditer(sentence):
            year = doc_year + 1 if match.group("rel") == "明年" else doc_year
            month = _quarter_end_month(match.group("p"))
            period_end = month_end(year, month) if month else None
            past = bool(doc_date and period_end and period_end < doc_date)
            relative.append((match.start(), match.end(), year, past))
        for match in _RELATIVE_YEAR.finditer(sentence):
            if any(start <= match.start() < end for start, end, _, _ in relative):
                continue
            relative.append(
                (match.start(), match.end(), doc_year + 1 if match.group("rel") == "明年" else doc_year, False)
            )
        for start, end, year, past in relative:
            if not any(s <= start < e for s, e, _, _ in raw):
                raw.append((start, end, [year], past))
    raw.sort()
    phrases: list[_YearPhrase] = []
    for start, end, years, past in raw:
        between = sentence[phrases[-1].end : start] if phrases else ""
        if phrases and _YEAR_LIST.match(between or "x"):
            phrases[-1].years.extend(years)
            phrases[-1].end = end
            continue
        if phrases and _YEAR_RANGE.match(between or "x"):
            phrases[-1].years = years
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
    if suffix == "左右":
        return "="
    return _CMP_MAP.get(word or "", ">=")


def _clause_start(sentence: str, position: int) -> int:
    """Start of the clause containing `position` (after the last ，；： before it)."""
    cut = max(sentence.rfind(mark, 0, position) for mark in _CLAUSE_MARKS)
    return cut + 1 if cut >= 0 else 0


def _clause_end(sentence: str, position: int) -> int:
    ends = [index for mark in _CLAUSE_MARKS + "。；！？" if (index := sentence.find(mark, position)) >= 0]
    return min(ends) if ends else len(sentence)


_INDICATOR_NOISE_HEAD = re.compile(r"^(?:力争|确保|要|使|并|且|同时|其中|到|至|在|以)+")
_INDICATOR_NOISE_TAIL = re.compile(r"(?:分别|均|都|要|应|需|将|力争|确保|为)+$")


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


def _brackets(sentence: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, opening mark) of the brackets and book-title quotes of a sentence."""
    spans: list[tuple[int, int, str]] = []
    stack: list[tuple[int, str]] = []
    pairs = {"）": "（", ")": "(", "》": "《", "】": "【"}
    for index, ch in enumerate(sentence):
        if ch in "（(《【":
            stack.append((index, ch))
        elif ch in pairs and stack and stack[-1][1] == pairs[ch]:
            opened, mark = stack.pop()
            spans.append((opened, index + 1, mark))
    return spans


def _innermost(spans: list[tuple[int, int, str]], position: int) -> tuple[int, int, str] | None:
    inside = [span for span in spans if span[0] < position < span[1]]
    return min(inside, key=lambda span: span[1] - span[0]) if inside else None


def _value_groups(sentence: str) -> list[list[re.Match[str]]]:
    """Values of a sentence, those joined by 和/、/及 (22%和30%) in one group."""
    groups: list[list[re.Match[str]]] = []
    values = list(_ONE_VALUE.finditer(sentence))
    values += [m for m in _COEFFICIENT.finditer(sentence) if _CMP_BEFORE.search(sentence[: m.start()])]
    for match in sorted(values, key=lambda m: m.start()):
        if groups and _VALUE_JOIN.match(sentence[groups[-1][-1].end() : match.start()] or "x"):
            groups[-1].append(match)
        else:
            groups.append([match])
    return groups


def targets_in_sentence(original: str, doc_year: int | None, doc_date: date | None = None) -> list[Target]:
    """Targets of one sentence: every figure with a unit that a year of the sentence governs, which is
    not a past figure, a policy parameter, a condition or a modifier (see module docstring)."""
    sentence = arabize(original)
    if not re.search(r"\d", sentence):
        return []
    phrases = _year_phrases(sentence, doc_year, doc_date)
    if not phrases:
        return []
    text_base = original.rstrip("。；！？ ")
    spans = _brackets(sentence)
    results: list[Target] = []

    def adverbial(phrase: _YearPhrase) -> bool:
        start = _clause_start(sentence, phrase.start)
        lead = _LEAD_WORDS.match(sentence[start : phrase.start])
        return (lead is not None and lead.end() == phrase.start - start) or sentence[
            phrase.end : phrase.end + 1
        ] in tuple(_CLAUSE_MARKS)

    def governing(position: int) -> _YearPhrase | None:
        clause = _clause_start(sentence, position)
        for phrase in reversed([p for p in phrases if p.end <= position]):
            bracket = _innermost(spans, phrase.start)
            if bracket and (bracket[2] == "《" or not bracket[0] < position < bracket[1]):
                continue  # a year inside a title or a bracket speaks only inside it
            same_clause = _clause_start(sentence, phrase.start) == clause
            opens = adverbial(phrase)
            if not same_clause and not opens:
                continue  # "恩阳区2022年通信基础设施等项目，79个…": an attribute of its own clause
            if phrase.past:
                if opens:
                    return None  # "2019年，全国平均火化率49%": history
                continue  # "2000年底前建成的小区": an attribute
            if _SPAN_OF_YEARS.search(sentence[phrase.end : position]):
                return None  # "…，三年内覆盖率达到60%": the figure has a period of its own
            for cut in range(phrase.end, position):
                if sentence[cut] in _CLAUSE_MARKS + "、":
                    rest = sentence[cut + 1 : position]
                    lead = _LEAD_WORDS.match(rest)
                    if _YEARLESS_PERIOD.match(rest[lead.end() if lead else 0 :]):
                        return None  # "…，每年新增…": that clause counts by a period of its own
            return phrase
        return None

    accepted_clauses: set[int] = set()
    for group in _value_groups(sentence):
        first = group[0]
        start = first.start()
        clause = _clause_start(sentence, start)
        lead_text = sentence[clause:start]
        if _STARTING_POINT.search(lead_text) or _PER_HEAD.search(lead_text):
            continue  # "由30%提高至40%", "每户补贴2000元", "分别按10%": a starting point or a rate
        bracket = _innermost(spans, start)
        if bracket and bracket[2] == "《":
            continue
        phrase = governing(start)
        if phrase is None:
            continue
        if bracket and not bracket[0] < phrase.start < bracket[1]:
            continue  # a figure in a note (…（组织150家企业参展）) is the note's, not the year's
        if _NOT_A_PLAN.search(sentence[_clause_start(sentence, phrase.start) : start]):
            continue
        if _PARAMETER.search(lead_text) or _CONDITION.match(_LEAD_WORDS.sub("", lead_text, count=1)):
            continue
        last = group[-1]
        end = last.end()
        following = sentence[end : end + 1]
        if re.match(r"[A-Za-z级]", following) or any(value.group("unit") == "岁" for value in group):
            continue  # "3A级", "千亿级商圈", "65岁及以上人群"
        if first.group("unit").endswith("个") and _TIME_SPAN_AFTER.match(following):
            continue  # "3个月内", "5个工作日": a time limit
        word: str | None = None
        cmp_start = start
        for pattern in (_CMP_BEFORE, _CMP_ACROSS, _AT_LEAST_GAP):
            found = pattern.search(lead_text)
            if found:
                word, cmp_start = found.group("cmp"), clause + found.start()
                break
        if word is None and _EQUALS_BEFORE.search(lead_text):
            word = "为"
        proportion = False
        if following == "的" and word != "至少":
            clause_rest = sentence[end : _clause_end(sentence, end)]
            proportion = bool(
                first.group("unit") in ("%", "‰")
                and _PROPORTION_SUBJECT.match(clause_rest)
                and not _ONE_VALUE.search(clause_rest)
            )
            if not (_TASK_AFTER.match(clause_rest) or proportion):
                continue  # "不足5年的劳动者", "50%的乡镇至少建成1个…": a modifier
        if word is None and not proportion and not any(value.group("suffix") for value in group):
            if _ATTRIBUTE_BEFORE.search(lead_text):
                continue
            previous_clause = _clause_start(sentence, clause - 1) if clause else -1
            if not _QUOTA_VERB.search(lead_text) and previous_clause not in accepted_clauses:
                continue
        accepted_clauses.add(clause)
        indicator = _indicator(sentence, cmp_start, phrases)
        if word == "至少":
            tail = re.match(r"[\u4e00-\u9fff]{1,16}", sentence[end:])
            gap = _AT_LEAST_GAP.search(lead_text)
            indicator = indicator + (gap.group(0)[2:] if gap else "") + (tail.group(0) if tail else "")
        years = phrase.years
        if len(group) == len(years):
            pairs = list(zip(years, group, strict=False))
        elif len(group) == 1:
            pairs = [(year, first) for year in years]
        else:
            pairs = [(years[min(i, len(years) - 1)], value) for i, value in enumerate(group)]
        text = text_base if sentence != original else sentence[:end].rstrip("。；！？ ")
        for year, value in pairs:
            comparator = "=" if word == "为" and not value.group("suffix") else _comparator(word, value.group("suffix"))
            results.append(
                Target(
                    text=text,
                    indicator=indicator,
                    year=year,
                    comparator=comparator,
                    value=to_number(Decimal(value.group("num"))),
                    unit=value.group("unit"),
                )
            )
    return results
