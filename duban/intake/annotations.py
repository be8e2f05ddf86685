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

_LABELS = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "主责单位": "lead",
    "牵头领导": "skip",
    "责任领导": "skip",
    "责任单位": "units",
    "责任部门": "units",
    "责任主体": "units",
    "配合单位": "units",
    "配合部门": "units",
    "协办单位": "units",
    "参与单位": "units",
    "协同单位": "units",
    "承办单位": "units",
    "实施单位": "units",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
    "时限要求": "deadline",
    "完成期限": "deadline",
}
_LABEL_RE = re.compile(r"[【\[]?(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")[】\]]?\s*[:：]")
_KEYWORDS = re.compile(r"牵头|负责|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|配合|主责单位")
_STANDING = re.compile(
    r"以下(?:除[^，；。]*?外)?[，,]?(?:均|都|皆|一律)?(?:需|须|要|由)?(?:由)?(.+?)(?:负责|牵头|承担)"
)
_LEAD_CLAUSE = re.compile(r"^(.+?)(?:牵头负责|牵头抓总|牵头)$")
_UNITS_CLAUSE = re.compile(
    r"^(.+?)(?:按照?职责分工|按照?职责|根据职责|依据职责)?(?:分别|共同|协同)?"
    r"(?:负责落实|负责|配合落实|配合|参与|协助|落实)$"
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


def parse_annotation(content: str) -> Annotation | None:
    """Parse the inside of an annotation; None when it assigns nothing to anyone."""
    content = content.strip().strip("（）()【】")
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
            role = _LABELS[match.group(1)]
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
    """(start, end) of every outermost bracketed span, brackets included."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                start = index
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    return spans


def split_annotations(paragraph: str) -> tuple[str, list[Annotation]]:
    """Separate a paragraph's text from the responsibility annotations it carries.

    Annotations are bracketed spans whose content assigns units, or labelled parts
    ("牵头单位：…；配合单位：…") that start a sentence. Returns (text without them, annotations).
    """
    annotations: list[Annotation] = []
    kept = paragraph
    for start, end in reversed(_parenthesised_spans(paragraph)):
        inner = paragraph[start + 1 : end - 1]
        if not (_KEYWORDS.search(inner) or _LABEL_RE.search(inner)):
            continue
        # A bracket in the middle of a sentence ("统筹负责（以下简称…）") is prose, not an
        # annotation; annotations close a sentence or the paragraph.
        after = paragraph[end : end + 1]
        if after and after not in "。；;，, " and end < len(paragraph):
            continue
        parsed = parse_annotation(inner)
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
