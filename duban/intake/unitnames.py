"""Recognising names of government units by their shape, not by a list of one city's units.

Chinese unit names end in a small set of suffixes (…局, …委, …办, …中心, …支队, …人民政府,
团市委, 红十字会, 工商联 …) and start with a level (市, 县, 区, 省) or a place name. This grammar
is enough to split "市卫健体委和县区人民政府" at 和 while keeping "市人力资源和社会保障局"
whole, and to find the subject of a sentence in a speech ("汝南县、平舆县……务必要在6月15日前").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first: the first matching suffix decides.
UNIT_SUFFIXES: tuple[str, ...] = (
    "人民政府",
    "管理委员会",
    "领导小组办公室",
    "街道办事处",
    "委员会",
    "办公室",
    "领导小组",
    "成员单位",
    "指挥部",
    "管委会",
    "办事处",
    "检察院",
    "红十字会",
    "工商联",
    "总工会",
    "银保监分局",
    "监管分局",
    "分局",
    "支队",
    "大队",
    "总队",
    "中队",
    "中心",
    "集团",
    "公司",
    "分行",
    "支行",
    "银行",
    "协会",
    "学会",
    "商会",
    "政府",
    "法院",
    "车务段",
    "党委",
    "团委",
    "妇联",
    "残联",
    "科协",
    "侨联",
    "文联",
    "社科联",
    "局",
    "委",
    "办",
    "厅",
    "部",
    "署",
    "院",
    "所",
    "站",
    "段",
    "处",
    "室",
    "馆",
    "会",
    "社",
    "队",
    "县",
    "区",
    "乡",
    "镇",
    "街道",
    "旗",
)
_SUFFIX_RE = "|".join(re.escape(s) for s in UNIT_SUFFIXES)
_UNIT_SHAPE = re.compile(rf"^[\u4e00-\u9fff（）()]{{0,30}}?(?:{_SUFFIX_RE})$")

# Subjects that name no one in particular. They may appear next to named units, but alone they
# do not make a speech sentence into a task.
GENERIC_PREFIXES = ("各", "全", "我", "本", "该", "有关", "相关", "其他", "其它", "所有", "这些")

_TRAILING_NOISE = re.compile(r"(?:等(?:其他|其它|相关|有关)?(?:[\u4e00-\u9fff]{0,6}?(?:部门|单位|机构)|县区|地方)?)$")
_LEADING_NOISE = re.compile(r"^(?:由|请|分别由|要求|并由|会同|以及|及|和)")
_CONNECTORS = re.compile("以及|和|及|与|会同|同")

# A place: two to four characters and 县/区/镇/乡/街道 (汝南县, 驿城区, 经济开发区, 青山镇); a unit: a level prefix,
# a body and an agency suffix (市自然资源和规划局, 市政府督查室, 团市委).
_NOT_A_NAME_START = r"(?!涉及|包括|其中|对于|对|在|由|向|将|把|从|按|以|为|等|其|如|即|除|和|与|及|是|有|无|要|各类|全市|全省|本|该|这|那)"
PLACE = _NOT_A_NAME_START + r"[\u4e00-\u9fff]{2,4}?(?:县|区|旗|镇|乡|街道)(?:人民政府|政府|管委会|办事处)?"
AGENCY = (
    r"(?:(?:市|县|区|省|州|盟|旗|镇|乡)[\u4e00-\u9fff]{1,14}?(?:人民政府|政府|管委会|委员会|办公室|局|委|办|厅|部|中心|支队|室|署|院)"
    r"|团市委|团县委|团区委|[\u4e00-\u9fff]{2,6}(?:消防救援支队|银保监分局|税务局))"
)
GENERIC = (
    r"各(?:县区|县（区）|县、区|区县|区|县|市|乡镇|级各部门|级|有关部门|部门|相关部门|地|单位)(?:人民政府|政府|党委)?"
)
_NAME = rf"(?:{GENERIC}|{AGENCY}|{PLACE})"
# A list of names at the start of a clause: "市自然资源和规划局、各县区", "正阳县、汝南县".
SUBJECT_LIST = re.compile(rf"^(?:{_NAME})(?:[、和及与](?:{_NAME}))*")


def looks_like_unit(name: str) -> bool:
    """Whether `name` has the shape of a unit name (suffix grammar)."""
    name = name.strip()
    if not 2 <= len(name) <= 32:
        return False
    if _SHARED_LEVEL_NAME.match(name):
        return True
    if re.search("[，。；：！？、]", name):
        return False
    return bool(_UNIT_SHAPE.match(name))


def is_generic(name: str) -> bool:
    return name.startswith(GENERIC_PREFIXES)


def clean_unit(name: str) -> str:
    name = name.strip(" ，,、；;。:：")
    name = _LEADING_NOISE.sub("", name)
    name = _TRAILING_NOISE.sub("", name)
    return name.strip(" ，,、；;。")


def split_units(text: str) -> list[str]:
    """Split a printed list of units into names, as printed, without duplicates.

    Separators: 、，；/ always; 和 及 与 以及 only where both sides are unit names
    ("市卫健体委和县区人民政府" splits, "市人力资源和社会保障局" does not).
    """
    names: list[str] = []
    for piece in _split_outside_brackets(text):
        for name in _split_connectors(clean_unit(piece)):
            name = clean_unit(name)
            if name and name not in names:
                names.append(name)
    return names


def _split_outside_brackets(text: str) -> list[str]:
    """Split at 、，；/ except inside brackets: "各县（市、区）人民政府" is one name."""
    pieces: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "（(〔[【［":
            depth += 1
        elif ch in "）)〕]】］" and depth:
            depth -= 1
        if depth == 0 and ch in "、，,；;/／":
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    return _join_shared_levels(pieces)


# A bare level, with or without a suffix ("县（市）政府", "县级市"), is no name by itself: it shares the 各 of the
# piece before ("各区、县（市）政府" is one name: the governments of every 区 and 县（市）; "各区、县级市" every 区
# and 县级市).
_BARE_LEVEL = re.compile(
    r"^\s*(?:县级市|区|县|市|乡|镇|乡镇|街道|旗)(?:[（(][^）)]*[）)])?(?:人民政府|政府|党委|管委会)?\s*$"
)
_LEVELS = r"(?:县级市|区|县|市|乡|镇|乡镇|街道|旗)(?:[（(][^）)]*[）)])?"
_LEVEL_ONLY = re.compile(rf"各{_LEVELS}\s*$")
_SHARED_LEVEL_NAME = re.compile(rf"^各{_LEVELS}(?:、{_LEVELS})+(?:人民政府|政府|党委|管委会)$")


def _join_shared_levels(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and _BARE_LEVEL.match(piece) and _LEVEL_ONLY.search(joined[-1]):
            joined[-1] = joined[-1] + "、" + piece
        else:
            joined.append(piece)
    return joined


def _split_connectors(piece: str) -> list[str]:
    for match in _CONNECTORS.finditer(piece):
        left, right = piece[: match.start()], piece[match.end() :]
        if (
            looks_like_unit(clean_unit(left))
            and looks_like_unit(clean_unit(right).split("和")[0])
            and _unit_head(right)
        ):
            return [left, *_split_connectors(right)]
    return [piece] if piece else []


def _unit_head(text: str) -> bool:
    """The right side of 和 starts like a unit: a level, a place, or 各."""
    text = clean_unit(text)
    return bool(re.match(rf"(?:{_NAME})", text)) or looks_like_unit(text)


@dataclass(frozen=True)
class Subject:
    names: tuple[str, ...]
    end: int  # index in the clause after the names

    @property
    def named(self) -> bool:
        """At least one name that is not generic (各县区 alone is not a named subject)."""
        return any(not is_generic(name) for name in self.names)


def subject_at_start(clause: str) -> Subject | None:
    """The list of unit or place names a clause starts with, if any."""
    match = SUBJECT_LIST.match(clause)
    if not match:
        return None
    names = tuple(split_units(match.group(0)))
    if not names:
        return None
    return Subject(names, match.end())
