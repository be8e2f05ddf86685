"""A document body as a tree of numbered headings, with each paragraph and annotation in place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from duban.intake.annotations import Annotation, split_annotations
from duban.intake.headings import Marker, digit_title_marker, heading_title, marker_of
from duban.intake.prose import duty_annotation, duty_subject, unit_heading


@dataclass
class Node:
    marker: Marker | None
    ref: str
    title: str
    parent: Node | None = None
    paragraphs: list[str] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    order: int = 0
    # A block (牵头单位：… 责任单位：…) standing right under the heading, before its numbered items:
    # it covers each of them (one task per item).
    block_before_children: bool = False

    def walk(self) -> Iterator[Node]:
        """This node and its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def top(self) -> Node:
        """The outermost heading this node sits under (itself if it is one)."""
        node = self
        while node.parent is not None and node.parent.marker is not None:
            node = node.parent
        return node


def build_tree(paragraphs: list[str]) -> Node:
    """Nest paragraphs under their headings by marker rank (see headings.py)."""
    root = Node(marker=None, ref="", title="")
    stack = [root]
    order = 0
    for paragraph in paragraphs:
        marker = marker_of(paragraph) or _next_item_with_digit_title(stack, paragraph)
        names = unit_heading(paragraph) if marker is None and stack[-1].marker is not None else None
        if names is not None:
            # "市市场监管局：" on a line of its own: its duties follow (1.…… 2.…… or one paragraph).
            # It closes the unit heading before it and sits just below the heading it is under.
            for index, open_node in enumerate(stack):
                if open_node.marker is not None and open_node.marker.kind == UNIT:
                    del stack[index:]
                    break
            while stack[-1].marker is not None and stack[-1].marker.kind == DUTY:
                stack.pop()
            parent = stack[-1]
            name = "、".join(names)
            order += 1
            rank = parent.marker.rank + 0.5 if parent.marker is not None else 0.5
            node = Node(
                marker=Marker(UNIT, rank, name, 0), ref=f"{parent.ref}.{name}", title=name, parent=parent, order=order
            )
            parent.children.append(node)
            stack.append(node)
            continue
        if marker is not None:
            while stack[-1].marker is not None and stack[-1].marker.rank >= marker.rank:
                stack.pop()
            parent = stack[-1]
            ref = f"{parent.ref}.{marker.ref}" if parent.ref else marker.ref
            text = paragraph[marker.end :]
            order += 1
            node = Node(marker=marker, ref=ref, title=heading_title(text), parent=parent, order=order)
            parent.children.append(node)
            stack.append(node)
        else:
            node = stack[-1]
            text = paragraph
            duty = _duty(node, paragraph)
            if duty is not None:
                if node.marker is not None and node.marker.kind == DUTY:
                    stack.pop()
                order += 1
                node = _duty_node(node, paragraph, duty, order)
                stack.append(node)
        body, annotations = split_annotations(text)
        if body:
            node.paragraphs.append(body)
        if annotations and not body and marker is None:
            node = _block_owner(node)
            if not node.children and any(a.lead_units or a.units for a in annotations):
                node.block_before_children = True
        node.annotations.extend(annotations)
    return root


DUTY = "duty"
# A unit heading on a line of its own (市财政局：), over the duties that follow it.
UNIT = "unit"


def _next_item_with_digit_title(stack: list[Node], paragraph: str) -> Marker | None:
    """ "2.5G网络…" after item 1, "3.12345热线…" after item 2: the next item, not a decimal."""
    marker = digit_title_marker(paragraph)
    if marker is None:
        return None
    for node in reversed(stack):
        if node.marker is not None and node.marker.kind == marker.kind:
            return (
                marker if node.marker.number.isdigit() and int(node.marker.number) + 1 == int(marker.number) else None
            )
    return None


def _duty(node: Node, paragraph: str) -> tuple[list[str], int] | None:
    """A duty paragraph under a heading: "市财政局：负责……" (六、职责分工 → 市房产局：… 市财政局：…);
    after one such paragraph, also one opening with a list of named units (市X局、Y局等部门负责……)."""
    if node.marker is None:
        return None
    section = node.parent if node.marker.kind == DUTY and node.parent is not None else node
    earlier = any(child.marker and child.marker.kind == DUTY for child in section.children)
    found = duty_subject(paragraph, loose=earlier)
    if found is None:
        return None
    names, end = found
    return found if names and paragraph[end:].strip() else None


def _duty_node(node: Node, paragraph: str, duty: tuple[list[str], int], order: int) -> Node:
    section = node.parent if node.marker and node.marker.kind == DUTY and node.parent is not None else node
    number = str(1 + sum(1 for child in section.children if child.marker and child.marker.kind == DUTY))
    names, end = duty
    child = Node(
        marker=Marker(DUTY, 7, number, 0),
        ref=f"{section.ref}.{number}",
        title=heading_title(paragraph),
        parent=section,
        order=order,
    )
    child.annotations.append(duty_annotation(names, paragraph[end:]))
    section.children.append(child)
    return child


def _block_owner(node: Node) -> Node:
    """The heading a standalone annotation paragraph ("（责任单位：…）") closes.

    Normally the current heading. But after a list of sub-items none of which carries its own
    annotation ("5. 补齐短板。（1）… （2）… 责任单位：…"), the block closes the whole list: it
    belongs to the sub-items' parent.
    """
    parent = node.parent
    if parent is None or parent.marker is None:
        return node
    siblings = [
        child for child in parent.children if child.marker and node.marker and child.marker.kind == node.marker.kind
    ]
    earlier = [child for child in siblings if child.order < node.order]
    # Only when the parent is an item itself (it has text of its own), not a section heading.
    if (
        earlier
        and not any(child.annotations for child in earlier)
        and not parent.annotations
        and parent.paragraphs
        and parent.marker.rank >= 3
    ):
        return parent
    return node
