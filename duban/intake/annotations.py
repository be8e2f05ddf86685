"""Responsibility annotations: who leads, who takes part, by when.

Forms handled (all seen in real documents):
- "（市卫健委牵头，市委宣传部、市科技局按职责分工负责）"
- "（市卫健体委、市公安局负责）", "（市卫健体委和县区人民政府负责）"
- "（责任单位：市卫健体委、各县区人民政府）" as a paragraph closing several paragraphs
- "牵头单位：市发展改革委；配合单位：市财政局；完成时限：2021年6月底前"
- "责任单位：市发改委（牵头）、市财政局"
- standing instructions: "以下除特别指出的外均需县区人民政府负责，不再列出"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.intake.unitnames import clean_unit, looks_like_unit, split_units

_OPENING = "（(【[［〔"
_CLOSING = "）)】]］〕"

# Labels are a grammar, not a list: role words (牵头, 责任, 配合 …, several may stack:
# 牵头责任单位, 主要责任单位) before a head noun (单位, 部门, 领导, 主体); or a deadline label.
# (主办单位 is left out: on a web page it names the site's owner.)
_LEAD_ROLES = ("牵头", "主责", "主要责任", "主要负责")
_ROLE_WORDS = r"(?:牵头|主责|主要|责任|负责|配合|协办|参与|协同|协助|承办|实施|落实|支持|联系|其他|相关)"
_HEADS = r"(?:单位|部门|领导|主体|处室|科室)"
_DEADLINE_LABEL = r"(?:完成时限|完成时间|完成期限|办结时限|时间节点|时限要求|时间要求|进度安排|时限)"
_LABEL_RE = re.compile(rf"[【\[［〔]?((?:{_ROLE_WORDS}){{1,3}}{_HEADS}|{_DEADLINE_LABEL})[】\]］〕]?\s*[:：]")


def _label_role(label: str) -> str:
    """ "牵头责任单位" → lead, "配合部门" → units, "责任领导" → skip, "完成时限" → deadline."""
    if re.fullmatch(_DEADLINE_LABEL, label):
        return "deadline"
    if label.endswith("领导"):
        return "skip"
    if label.startswith(_LEAD_ROLES):
        return "lead"
    return "units"


_KEYWORDS = re.compile(r"牵头|负责|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|配合|主责单位|落实")
_STANDING = re.compile(
    r"以下(?:除[^，；。]*?外)?[，,]?(?:均|都|皆|一律)?(?:需|须|要|由)?(?:由)?(.+?)(?:负责|牵头|承担)"
)
_LEAD_CLAUSE = re.compile(r"^(.+?)(?:负责)?(?:牵头负责|牵头抓总|牵头落实|牵头)$")
# Manner words may stand between the names and the verb (结合实际落实, 积极配合, 认真落实).
_MANNER = (
    r"(?:按照?职责分工|按照?各自职责|按照?职责|根据职责分工|根据职责|依据职责|依职责|各司其职|结合实际|"
    r"分别|共同|协同|积极|认真|切实|全力|主动|密切|按要求|抓紧|负责)*"
)
_UNITS_CLAUSE = re.compile(
    rf"^(.+?){_MANNER}(?:负责落实|负责实施|负责|配合落实|配合|参与|协助|组织落实|抓好落实|督促落实|落实|实施)$"
)


@dataclass
class Annotation:
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    standing_units: list[str] = field(default_factory=list)
    deadline_texts: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def assigns(self) -> bool:
        return bool(self.lead_units or self.units or self.standing_units)


def _add(target: list[str], names: list[str]) -> None:
    for name in names:
        if name and name not in target:
            target.append(name)


def _lead_marked(name: str) -> tuple[str, bool]:
    """ "市发改委（牵头）" → ("市发改委", True)."""
    match = re.match(r"^(.+?)[（(]\s*牵头\s*[)）]$", name)
    if match:
        return match.group(1), True
    return name, False


def _add_list(annotation: Annotation, text: str, role: str) -> None:
    for name in split_units(text):
        name, lead = _lead_marked(name)
        name = clean_unit(name)
        if not name:
            continue
        if lead or role == "lead":
            _add(annotation.lead_units, [name])
        else:
            _add(annotation.units, [name])


_LABEL_LINE = re.compile(rf"^[（(【\[［〔]?\s*{_LABEL_RE.pattern}\s*(.+?)[）)】\]］〕]?$")


def is_unit_label_line(line: str) -> bool:
    """A whole line "责任单位：市房管局、市国土局" (a label and a complete list of units): it closes its
    paragraph, so the next line (unpunctuated prose after it) is not run into the list."""
    match = _LABEL_LINE.match(line.strip())
    if not match or _label_role(match.group(1)) not in ("lead", "units") or match.group(2)[-1] in "、，,；;和及与":
        return False
    names = split_units(match.group(2))
    return bool(names) and all(looks_like_unit(_lead_marked(name)[0]) for name in names)


def parse_annotation(content: str) -> Annotation | None:
    """Parse the inside of an annotation; None when it assigns nothing to anyone."""
    content = content.strip().strip(_OPENING + _CLOSING)
    if not content or (not _KEYWORDS.search(content) and not _LABEL_RE.search(content)):
        return None
    annotation = Annotation(text=content)
    labels = list(_LABEL_RE.finditer(content))
    if labels:
        before = content[: labels[0].start()]
        if before.strip(" ，,；;。"):
            _parse_free(annotation, before)
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(content)
            value = content[match.end() : end].strip(" ，,；;。")
            role = _label_role(match.group(1))
            if role == "deadline":
                annotation.deadline_texts.append(value)
            elif role in ("lead", "units"):
                # Inside a 责任单位 list, "X牵头" marks a lead unit too.
                for clause in re.split(r"[；;]", value):
                    lead = _LEAD_CLAUSE.match(clause.strip())
                    if lead and role == "units" and "，" in clause:
                        _parse_free(annotation, clause)
                    else:
                        _add_list(annotation, clause, role)
    else:
        _parse_free(annotation, content)
    return annotation if annotation.assigns or annotation.deadline_texts else None


def _parse_free(annotation: Annotation, text: str) -> None:
    """Unlabelled annotation text: clauses ending in 牵头 / 负责 / 配合, or a bare list of units."""
    for clause in re.split(r"[，,；;。]", text):
        clause = clause.strip()
        if not clause or "不再列出" in clause or clause in ("下同", "以下同"):
            continue
        standing = _STANDING.search(clause)
        if standing:
            _add(annotation.standing_units, [clean_unit(n) for n in split_units(standing.group(1))])
            continue
        lead = _LEAD_CLAUSE.match(clause)
        if lead:
            _add_list(annotation, lead.group(1), "lead")
            continue
        units = _UNITS_CLAUSE.match(clause)
        if units:
            _add_list(annotation, units.group(1), "units")
            continue
        names = split_units(clause)
        if names and all(looks_like_unit(_lead_marked(n)[0]) for n in names):
            _add_list(annotation, clause, "units")


def _parenthesised_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost bracketed span of any kind, brackets included."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in _OPENING:
            if depth == 0:
                start = index
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    return spans


def _bare_units(inner: str) -> Annotation | None:
    """An unlabelled list of unit names in square or lenticular brackets (【市交通运输局】)."""
    names = split_units(inner)
    if names and all(looks_like_unit(_lead_marked(name)[0]) for name in names):
        annotation = Annotation(text=inner)
        _add_list(annotation, inner, "units")
        return annotation if annotation.assigns else None
    return None


def split_annotations(paragraph: str) -> tuple[str, list[Annotation]]:
    """Separate a paragraph's text from the responsibility annotations it carries.

    Annotations are bracketed spans whose content assigns units, or labelled parts
    ("牵头单位：…；配合单位：…") that start a sentence. Returns (text without them, annotations).
    """
    annotations: list[Annotation] = []
    kept = paragraph
    for start, end in reversed(_parenthesised_spans(paragraph)):
        inner = paragraph[start + 1 : end - 1]
        round_bracket = paragraph[start] in "（("
        if round_bracket and not (_KEYWORDS.search(inner) or _LABEL_RE.search(inner)):
            continue
        # A bracket in the middle of a sentence ("统筹负责（以下简称…）") is prose, not an
        # annotation; annotations close a sentence or the paragraph.
        after = paragraph[end : end + 1]
        if after and after not in "。；;，, " and end < len(paragraph):
            continue
        parsed = parse_annotation(inner) or (None if round_bracket else _bare_units(inner))
        if parsed:
            annotations.insert(0, parsed)
            kept = kept[:start] + kept[end:]
    label = re.search(r"(?:^|(?<=[。；;！？]))\s*" + _LABEL_RE.pattern, kept)
    if label:
        parsed = parse_annotation(kept[label.start() :])
        if parsed:
            annotations.append(parsed)
            kept = kept[: label.start()]
    return kept.strip(), annotations
