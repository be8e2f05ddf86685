"""Tasks of a document: numbered items carrying (or covered by) a responsibility annotation.

Speeches form tasks differently (see speech.py); prose and duties under unit headings: prose.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.intake.annotations import Annotation
from duban.intake.headings import heading_title, is_pure_heading
from duban.intake.prose import (
    IMPLEMENTATION_SECTION,
    duty_annotation,
    duty_subject,
    is_named,
    is_official,
    prose_annotation,
    subject_names,
)
from duban.intake.structure import DUTY, UNIT, Node
from duban.intake.unitnames import looks_like_unit


@dataclass
class TaskDraft:
    ref: str
    title: str
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    node: Node | None = None
    deadline_texts: list[str] = field(default_factory=list)


def _add(target: list[str], names: list[str], exclude: list[str] | None = None) -> None:
    for name in names:
        if name and name not in target and name not in (exclude or []):
            target.append(name)


@dataclass
class _Standing:
    source: Node
    scope: Node
    marker_kind: str
    units: list[str]


_REGULATION_KINDS = ("办法", "条例", "规定", "细则", "规则", "章程", "准则", "规程")


def is_regulation(kind: str | None) -> bool:
    """办法, 条例, 规定, 细则 …: their provisions state standing duties, not tasks (extraction.md)."""
    return kind is not None and kind.endswith(_REGULATION_KINDS)


def annotated_tasks(root: Node, prose: bool = True) -> list[TaskDraft]:
    """One task per heading that carries an annotation or is covered by a standing instruction, or
    (`prose`: not in a regulation) whose place or prose assigns it to a named unit (see _implied)."""
    tasks: list[TaskDraft] = []
    standing: list[_Standing] = []
    inherited: dict[int, list[Annotation]] = {}
    for node in root.walk():
        if node.marker is None:
            # Text before the first heading: annotations there open no task.
            continue
        items = [child for child in node.children if child.marker is not None and child.marker.kind != DUTY]
        if node.block_before_children and items and len(node.paragraphs) <= 1:
            # "（一）小标题 / 牵头单位：X / 责任单位：Y / 1.…… 2.……": a task per numbered item.
            for child in items:
                inherited[id(child)] = [a for a in node.annotations if a.lead_units or a.units]
            continue
        lead: list[str] = []
        units: list[str] = []
        deadline_texts: list[str] = []
        own = _implied(node) if prose else node.annotations
        if id(node) in inherited and not any(a.lead_units or a.units for a in own):
            own = [*inherited[id(node)], *own]
        for annotation in own:
            _add(lead, annotation.lead_units)
            _add(units, annotation.units, lead)
            deadline_texts.extend(annotation.deadline_texts)
        # "以下均需X负责" covers the later items of its kind: all of them when they carry an annotation
        # of their own, otherwise (an item that is a task only by the instruction) those of its section.
        covered = [
            rule
            for rule in standing
            if rule.source is not node
            and rule.marker_kind == node.marker.kind
            and (rule.scope is node.top() or lead or units)
            and rule.source.order < node.order
        ]
        for annotation in node.annotations:
            if annotation.standing_units:
                standing.append(_Standing(node, node.top(), node.marker.kind, annotation.standing_units))
        if not (lead or units or covered):
            continue
        for rule in covered:
            _add(units, rule.units, lead)
        title = node.title
        if node.marker.kind == UNIT and node.paragraphs:
            title = heading_title(node.paragraphs[0])
        tasks.append(
            TaskDraft(
                ref=node.ref,
                title=title,
                lead_units=lead,
                units=units,
                node=node,
                deadline_texts=deadline_texts,
            )
        )
    return tasks


def _heading_units(node: Node) -> list[str]:
    """The units a heading consists of ("（一）市教育局", "二、县财政局、县税务局"), else []."""
    if node.marker is None or node.marker.kind == DUTY or not node.children:
        return []
    title = re.sub(r"(?:的)?(?:主要|工作)?(?:职责|任务|分工)$", "", node.title)
    if not is_pure_heading(f"一、{title}") or "：" in title:
        return []
    names = subject_names(title)
    # Named units only: not a class of bodies (二、乡镇职责, 各有关部门).
    if names and is_official(names[0]) and all(looks_like_unit(name) and is_named(name) for name in names):
        return names
    return []


def _in_implementation_section(node: Node) -> bool:
    return any(IMPLEMENTATION_SECTION.search(n.title) for n in (node, *node.ancestors()) if n.marker is not None)


def _implied(node: Node) -> list[Annotation]:
    """The node's annotations; without one, what its place or prose assigns: a duty under a unit
    heading (（一）市教育局 → 1.…… 2.……), or prose naming a unit with a verb of responsibility
    (由X牵头，Y配合; X要……) — not in a regulation's articles nor the plan's own 保障措施 / 组织实施."""
    if node.marker is None or any(a.assigns for a in node.annotations):
        return node.annotations
    # An annotation giving only a deadline (（完成时限：…）) leaves the units to the rest.
    return [*node.annotations, *_assigned(node)]


def _assigned(node: Node) -> list[Annotation]:
    if node.marker is None:
        return []
    if node.marker.kind == UNIT:
        # A unit heading line over one unnumbered paragraph is that unit's duty; over items, theirs.
        if node.children or not node.paragraphs:
            return []
        return [duty_annotation(subject_names(node.title) or [], "。".join(node.paragraphs))]
    parent = node.parent
    heading = _heading_units(parent) if parent is not None else []
    if heading:
        return [duty_annotation(heading, "。".join(node.paragraphs))]
    if node.marker.kind in ("article", "chapter"):
        return []
    # A numbered duty of a unit: "1.市发展改革委：负责……".
    duty = duty_subject(node.paragraphs[0]) if node.paragraphs else None
    if duty is not None:
        return [duty_annotation(duty[0], "。".join(node.paragraphs)[duty[1] :])]
    if _in_implementation_section(node):
        return []
    if node.children:
        # A heading over sub-items: their prose is theirs.
        return []
    prose = prose_annotation("。".join(node.paragraphs))
    return [prose] if prose else []
