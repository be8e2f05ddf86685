"""Tasks in speeches: an explicit assignment to a named unit or place with a deadline.

"汝南县、平舆县……务必要在6月15日前……确保整改到位" is a task of 汝南县 and 平舆县; "各县区……4月15日前
全面拆除完毕" is not (a generic subject), and its deadline stays with the speech itself.
"""

from __future__ import annotations

import re

from duban.intake.structure import Node
from duban.intake.unitnames import Subject, is_generic, looks_like_unit, split_units, subject_at_start

_MODAL = re.compile(r"^(?:要|务必|必须|一定|需|须|应|负责|牵头|抓紧|尽快|于|在|按|确保|切实|立即|迅速|将|对|督促|会同)")
_LEAD_IN = re.compile(r"^(?:同时|另外|此外|对此|其中|下一步|并且|并|由)")
_ENUMERATOR = re.compile(r"(?:^|(?<=[。；：！？]))\s*([一二三四五六七八九十]+)(是|要|则)")


def _clauses(sentence: str) -> list[tuple[int, str]]:
    result: list[tuple[int, str]] = []
    start = 0
    for index, ch in enumerate(sentence):
        if ch in "，：；。！？":
            result.append((start, sentence[start:index]))
            start = index + 1
    if start < len(sentence):
        result.append((start, sentence[start:]))
    return result


def assignee(sentence: str, before: int) -> Subject | None:
    """Who a sentence assigns work to: the names a clause opens with when a modal follows them
    (市自然资源和规划局要督促…), or the names opening the sentence (汝南县、平舆县耕地保有量…)."""
    for start, text in reversed([(s, t) for s, t in _clauses(sentence) if s <= before]):
        text = _LEAD_IN.sub("", text)
        subject = subject_at_start(text)
        if subject is None:
            continue
        if _MODAL.match(text[subject.end :]) or start == 0:
            return subject
    return None


_PARTNERS = re.compile(
    r"会同([^，。；]+?)(?:等(?:部门|单位))?(?:[，。；]|共同|$)|[，]([^，。；]+?)(?:配合|协助)(?:[，。；]|$)"
)


def roles(sentence: str, subject: Subject) -> tuple[list[str], list[str]]:
    """(lead units, other units) of an assignment: "X牵头，会同Y，…" makes X the lead and Y a unit."""
    names = list(subject.names)
    start = sentence.find(names[0]) if names else -1
    after = sentence[start:] if start >= 0 else sentence
    rest = after[after.find(names[-1]) + len(names[-1]) :] if names else after
    if not rest.startswith("牵头"):
        return [], names
    partners: list[str] = []
    for match in _PARTNERS.finditer(rest):
        for name in split_units(match.group(1) or match.group(2) or ""):
            if looks_like_unit(name) and name not in partners and name not in names:
                partners.append(name)
    return names, partners


def speech_ref(node: Node, preceding: str) -> str:
    """Heading path plus the inline enumerator (一是, 二要 …) the sentence falls under, if any."""
    enumerators = list(_ENUMERATOR.finditer(preceding))
    token = "".join(enumerators[-1].groups()) if enumerators else ""
    if node.ref and token:
        return f"{node.ref}.{token}"
    return node.ref or token or "正文"


# Help offered when needed (必要时提供适当的帮助) is no share of the task.
_CONTINGENT = re.compile(r"必要时|视情况|视情")


def named_assignees(sentence: str) -> list[str]:
    """The named units a sentence gives work to by a modal (市生态环境局要加强督导检查), else []."""
    if _CONTINGENT.search(sentence):
        return []
    for _start, text in _clauses(sentence):
        text = _LEAD_IN.sub("", text)
        subject = subject_at_start(text)
        if subject is not None and subject.named and _MODAL.match(text[subject.end :]):
            return [name for name in subject.names if not is_generic(name)]
    return []


_INVOLVED = re.compile(
    r"(?:涉及|包括|其中)([^，。；：]+?)(?:等(?:县区|县（区）|区县|县|区|乡镇|地方|单位|部门)?)?(?=[，,；。]|$)"
)


def involved_places(sentence: str) -> list[str]:
    """Places a sentence names as those concerned (涉及临河区、东岗县等县区，市生态环境局要督促其…)."""
    names: list[str] = []
    for match in _INVOLVED.finditer(sentence):
        subject = subject_at_start(match.group(1))
        if subject is None or subject.end != len(match.group(1)):
            continue
        names += [name for name in subject.names if not is_generic(name) and name not in names]
    return names
