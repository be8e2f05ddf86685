"""Panels: what a later stage of the pipeline shows on a page of an earlier one, without the earlier
one importing it.

The ledger's task page and the site's workbench have slots; each app fills them from its
``AppConfig.ready()`` (accountability offers 立案问责 on an overdue task and lists its cases; scoring
shows the points booked on it). A panel is a template and a function of the request (and the page's
object) that returns the template's context, or None to show nothing.

    panels.register(panels.TASK_ACTIONS, template="accountability/_task_actions.html",
                    build=task_actions, order=20)
    panels.build(panels.TASK_ACTIONS, request, task=task)  # -> [{"template": …, **context}, …]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

WORKBENCH = "workbench"  # the signed-in user's workbench, one panel per app
TASK_ACTIONS = "task.actions"  # buttons beside the title of a ledger task
TASK_SECTIONS = "task.sections"  # sections under a ledger task's facts
# Download buttons (Word, Excel) on a page, built with page="<app>.<page>" and the page's objects
# (reports: the 督办单, the 意见书 and notices of a decision, the ranking notice, the assessment table).
DOWNLOADS = "page.downloads"
SLOTS = (WORKBENCH, TASK_ACTIONS, TASK_SECTIONS, DOWNLOADS)

Build = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    build: Build
    order: int


_REGISTRY: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}


def register(slot: str, *, template: str, build: Build, order: int) -> None:
    """Add a panel to ``slot`` (registering the same template twice replaces it: ready() may run again)."""
    if slot not in _REGISTRY:
        raise ValueError(f"unknown panel slot '{slot}' (known: {', '.join(SLOTS)})")
    panels = [p for p in _REGISTRY[slot] if p.template != template]
    panels.append(Panel(slot, template, build, order))
    _REGISTRY[slot] = sorted(panels, key=lambda p: (p.order, p.template))


def registered(slot: str) -> tuple[Panel, ...]:
    return tuple(_REGISTRY[slot])


def build(slot: str, request: Any, **objects: Any) -> list[dict[str, Any]]:
    """The panels of ``slot`` that have something to show, each as its template's context."""
    shown = []
    for panel in _REGISTRY[slot]:
        context = panel.build(request, **objects)
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown
