"""Tasks of a document: numbered items carrying (or covered by) a responsibility annotation.

Speeches form tasks differently (see speech.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.intake.annotations import Annotation
from duban.intake.headings import is_pure_heading
from duban.intake.prose import IMPLEMENTATION_SECTION, duty_annotation, prose_annotation, subject_names
from duban.intake.structure import DUTY, Node
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


def annotated_tasks(root: Node) -> list[TaskDraft]:
    """One task per heading that carries an annotation or is covered by a standing instruction."""
    tasks: list[TaskDraft] = []
    standing: list[_Standing] = []
    for node in root.walk():
        if node.marker is None:
            # Text before the first heading: annotations there open no task.
            continue
        lead: list[str] = []
        units: list[str] = []
        deadline_texts: list[str] = []
        for annotation in _implied(node):
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
        tasks.append(
            TaskDraft(
                ref=node.ref,
                title=node.title,
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
    title = node.title
    if not is_pure_heading(f"一、{title}") or "：" in title:
        return []
    names = subject_names(title)
    if names and all(looks_like_unit(name) for name in names):
        return names
    return []


def _in_implementation_section(node: Node) -> bool:
    return any(IMPLEMENTATION_SECTION.search(n.title) for n in (node, *node.ancestors()) if n.marker is not None)


def _implied(node: Node) -> list[Annotation]:
    """The node's annotations; without one, what its place or prose assigns: a duty under a unit
    heading (（一）市教育局 → 1.…… 2.……), or prose naming a unit with a verb of responsibility
    (由X牵头，Y配合; X要……) — not in a regulation's articles nor the plan's own 保障措施 / 组织实施."""
    if node.annotations or node.marker is None:
        return node.annotations
    parent = node.parent
    heading = _heading_units(parent) if parent is not None else []
    if heading:
        return [duty_annotation(heading, "。".join(node.paragraphs))]
    if node.marker.kind in ("article", "chapter") or _in_implementation_section(node):
        return []
    if node.children:
        # A heading over sub-items: their prose is theirs.
        return []
    prose = prose_annotation("".join(node.paragraphs))
    return [prose] if prose else []
