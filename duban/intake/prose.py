"""Responsibility stated in prose inside an item, not in a bracket or label line.

Forms (extraction.md, "Annotations take many forms"): 由X牵头，Y、Z配合，于…前完成; X要……; X负责……;
X会同Y……; and duties under a unit heading (市教育局：负责……). The subject must be a *named* unit: a
unit name with a level or place in front (市住房城乡建设局, 某某市公积金中心) or a department named by its
sector (税务部门, 国有资产监督和金融监管部门); a list may elide the level after its first name
(市发展改革委、国资委). Generic subjects (各有关部门, 市有关部门) and classes of institutions (商业银行,
金融机构) name no one. Sentences about the document itself (落实本通知情况, 本意见的综合协调) are the
document's own implementation arrangements, not tasks.
"""

from __future__ import annotations

import re

from duban.intake.annotations import Annotation
from duban.intake.unitnames import UNIT_SUFFIXES, clean_unit, looks_like_unit, split_units

# What may follow a subject in prose for it to be the one given the work.
_STRICT_VERB = re.compile(
    r"要|须|需|应当|应|必须|务必|负责|牵头|会同|配合|协助|抓紧|加快研究"
    # manner words between the names and the verb (X按职责分工负责, X积极配合, X结合实际落实)
    r"|按照?(?:各自)?职责|根据职责|依据职责|结合实际|积极|认真|切实|分别|共同"
)
_LEAD_IN = re.compile(r"^(?:同时|另外|此外|其中|并且|并|由|请|以)")
# "…等部门", "…等其他行业部门": the list's shared tail.
_SHARED_TAIL = re.compile(r"(?:等(?:其他|其它|有关|相关)?(?:行业|主管|职能|成员)?(?:部门|单位)|等)$")
_LEVEL = re.compile(
    r"^(?:市|省|县|区|州|盟|旗|乡|镇|国家|中央|自治区|团[市县区]委|[\u4e00-\u9fff]{2,4}?(?:省|市|县|区|州|旗|盟|镇|乡|街道)(?!级))"
)
_GENERIC = re.compile(r"^(?:市|省|县|区|州)?(?:各|有关|相关|其他|其它|所有|全体|本|该)")
_FUNCTION_WORDS = re.compile(r"[的了在对把将被从向于为是这那之而]")
_ABOUT_THE_DOCUMENT = re.compile(
    r"(?:落实|贯彻|执行|实施|解释)[^，。；]{0,6}本(?:通知|意见|方案|措施|办法|规定|细则|计划|决定)"
    r"|本(?:通知|意见|方案|措施|办法|规定|细则|计划|决定)的?(?:综合协调|组织实施|统筹协调|实施|落实|解释|执行)"
)
# Sections that arrange the implementation of the whole document.
IMPLEMENTATION_SECTION = re.compile(
    r"保障措施|组织实施|组织保障|组织领导|保障机制|实施保障|工作保障|督查考核|考核评估|监督考核|(?:工作|贯彻|推进|狠抓)落实$"
)
_ALSO_RESPONSIBLE = re.compile(r"由([^，。；]+?)(?:共同|分别)?负责")


_UNSPECIFIED = re.compile(r"^(?:市|省|县|区|州)?(?:有关|相关|其他|其它|所有)")


# Words that make a name a class, wherever they stand (地方各级财政部门, 地方政府及其所属部门).
_CLASS_WORDS = re.compile(r"各级|各地|^地方|所属|及其|有关|相关|其他|其它|下属|基层")


def _named(name: str) -> bool:
    return bool(name) and not _GENERIC.match(name) and not _CLASS_WORDS.search(name)


def is_named(name: str) -> bool:
    """A particular body, not a class of them (各有关部门, 地方各级财政部门)."""
    return _named(name)


def is_official(name: str) -> bool:
    """A named unit with its level or place in front (县教育局, 盘龙县人民政府), not a thing that
    merely ends like one (建设县级冷链集配中心)."""
    return _official(name)


def _partner(name: str) -> bool:
    """A co-responsible unit (会同X, 由X及Y负责): the governments of every 区 and 县 are a partner,
    unspecified departments (有关部门) are not."""
    return bool(name) and not _UNSPECIFIED.match(name) and (_named(name) or looks_like_unit(name))


def _official(name: str) -> bool:
    """A named unit in prose: a level in front, or a department by its sector."""
    if len(name) < 3:  # 乡镇, 县区: classes of bodies
        return False
    return _named(name) and ((bool(_LEVEL.match(name)) and looks_like_unit(name)) or name.endswith("部门"))


def subject_names(text: str, shared_tail: bool = False) -> list[str] | None:
    """The names of a subject printed as `text` (a list of units), or None when it is no such list."""
    names = [clean_unit(name) for name in split_units(text)]
    names = [name for name in names if name]
    if not names:
        return None
    for name in names:
        if looks_like_unit(name) or name.endswith("部门"):
            continue
        # Sector words sharing the list's tail: 市住房城乡建设、发展改革、国土等部门.
        if (
            shared_tail
            and len(name) <= 12
            and not _FUNCTION_WORDS.search(name)
            and re.fullmatch(r"[\u4e00-\u9fff]+", name)
        ):
            continue
        return None
    return names


def clause_subject(clause: str, strict: bool = True) -> tuple[list[str], int] | None:
    """The named units a clause opens with, and where the rest starts. `strict`: a verb of
    responsibility must follow the names (X要…, X负责…, X牵头); otherwise any text may."""
    clause = _LEAD_IN.sub("", clause.strip())
    offset = len(clause) - len(clause.lstrip())
    # Strict: the names end where a verb starts; loose: the longest opening that is a list of names.
    candidates = (
        [match.start() for match in _STRICT_VERB.finditer(clause)]
        if strict
        else [end for end in range(min(len(clause), 160), 1, -1) if clause[end - 1] in _NAME_ENDS]
    )
    for end in candidates:
        subject = clause[:end]
        if not subject or len(subject) > 200:
            continue
        tail = _SHARED_TAIL.search(subject)
        names = subject_names(subject[: tail.start()] if tail else subject, shared_tail=bool(tail))
        if not names:
            continue
        named = [name for name in names if _named(name)]
        if not named:
            continue
        # The first name carries the level (市发展改革委、国资委) or each one is a sector department.
        if not (_official(named[0]) or (tail and _LEVEL.match(named[0])) or (not strict and looks_like_unit(named[0]))):
            continue
        return named, offset + end
    return None


def _clauses(sentence: str) -> list[str]:
    return [part for part in re.split(r"[，；：。！？]", sentence) if part.strip()]


def prose_annotation(text: str) -> Annotation | None:
    """What the prose of an item assigns: 由X牵头，Y配合 (lead X, units Y); X要…; X会同Y…."""
    annotation = Annotation(text=text)
    for sentence in re.split(r"(?<=[。！？；])", text):
        if not sentence.strip() or _ABOUT_THE_DOCUMENT.search(sentence):
            continue
        assigned = False
        for clause in _clauses(sentence):
            found = clause_subject(clause)
            if found is None:
                continue
            assigned = True
            names, end = found
            rest = _LEAD_IN.sub("", clause.strip())[end:]
            target = annotation.lead_units if re.match(r"(?:要|须|负责)?牵头", rest) else annotation.units
            for name in names:
                if name not in target:
                    target.append(name)
        # 会同Y anywhere in a sentence that assigns work (X牵头，会同Y开展…).
        for name in partners(sentence) if assigned else []:
            if name not in annotation.units:
                annotation.units.append(name)
    annotation.units = [name for name in annotation.units if name not in annotation.lead_units]
    return annotation if annotation.assigns else None


_NAME_ENDS = frozenset(suffix[-1] for suffix in UNIT_SUFFIXES) | {"门", "位", "等"}


# Verbs that end a list of names (会同市财政局完善…办法: the name is 市财政局).
_ACTION = re.compile(r"完善|建立|推进|加强|开展|制定|做好|推动|提升|规范|引导|扩大|督促|研究|落实|出台")


def _longest_names(text: str) -> list[str]:
    """The longest opening of `text` that is a list of names (会同财政、医保等有关部门制定… → 财政, 医保)."""
    text = re.split(r"[，。；]", text, maxsplit=1)[0]
    for end in range(min(len(text), 160), 1, -1):
        if text[end - 1] not in _NAME_ENDS:
            continue
        subject = text[:end]
        tail = _SHARED_TAIL.search(subject)
        names = subject_names(subject[: tail.start()] if tail else subject, shared_tail=bool(tail))
        if any(_ACTION.search(name) for name in names or []):
            continue
        if names and (tail or all(looks_like_unit(name) or name.endswith("部门") for name in names)):
            return names
    return []


def partners(text: str) -> list[str]:
    """Co-responsible units: 会同X (X), 由X及Y负责 (X, Y); unspecified ones left out."""
    found: list[str] = []
    values = [text[match.end() :] for match in re.finditer("会同", text)]
    values += [match.group(1) for match in _ALSO_RESPONSIBLE.finditer(text)]
    for value in values:
        for name in _longest_names(value):
            if _partner(name) and name not in found:
                found.append(name)
    return found


def is_about_the_document(text: str) -> bool:
    return bool(_ABOUT_THE_DOCUMENT.search(text))


_DUTY_HEAD = re.compile(r"^([^：:，。；]{2,40})[：:]")


def _is_duty_text(text: str) -> bool:
    """Work to do, not a contact line (市商务局：王某，0769-22830911)."""
    return bool(re.search(r"[\u4e00-\u9fff]{4}", text)) and not re.search(r"\d{3,4}-?\d{7,8}|1\d{10}", text)


def duty_subject(paragraph: str, loose: bool = False) -> tuple[list[str], int] | None:
    """A duty under a unit heading: "市财政局：负责……" (the names, and where the duty starts); `loose`
    (after such a paragraph): also one opening with a list of named units (市X局、Y局等部门负责……)."""
    head = _DUTY_HEAD.match(paragraph)
    if head and not _is_duty_text(paragraph[head.end() :]):
        return None
    if head:
        names = subject_names(head.group(1))
        if names and all(looks_like_unit(name) for name in names) and any(_named(name) for name in names):
            return [name for name in names if _named(name)], head.end()
        return None
    if not loose:
        return None
    clauses = _clauses(paragraph)
    return clause_subject(clauses[0], strict=False) if clauses else None


_UNIT_HEADING = re.compile(r"^([^：:，。；（）()]{2,40})[：:]\s*$")


def unit_heading(paragraph: str) -> list[str] | None:
    """A unit heading on a line of its own ("市市场监管局：", "市财政局、市税务局："), whose duties
    follow on the next lines (numbered or not): the named units, else None."""
    match = _UNIT_HEADING.match(paragraph.strip())
    if match is None:
        return None
    names = subject_names(match.group(1))
    if names and is_official(names[0]) and all(looks_like_unit(name) and _named(name) for name in names):
        return names
    return None


def duty_annotation(names: list[str], duty: str) -> Annotation:
    """The units of a duty: the heading's names (lead where the duty says 牵头), plus co-responsible
    units the duty names (会同X, 由X及Y负责)."""
    annotation = Annotation(text=duty)
    leads = bool(re.search(r"(?:^|[，；。、])(?:负责)?牵头", duty))
    for name in names:
        (annotation.lead_units if leads else annotation.units).append(name)
    for name in partners(duty):
        if name not in annotation.units and name not in annotation.lead_units:
            annotation.units.append(name)
    return annotation
