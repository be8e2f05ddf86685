"""Tasks of a document: numbered items carrying (or covered by) a responsibility annotation.

Speeches form tasks differently (see speech.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.intake.structure import Node


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
        for annotation in node.annotations:
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
