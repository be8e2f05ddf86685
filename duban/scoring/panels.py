"""Scoring's panels on pages of earlier stages (duban.panels), registered in ScoringConfig.ready():
the points a ledger task's decisions took from units, and on a unit's workbench its place in the
latest monthly ranking. Both read the score ledger; people's consequences stay on the assessment page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from duban.accounts.access import person_of
from duban.scoring.access import access_unit_scores
from duban.scoring.selectors import task_points, unit_standing


def task_section(request: HttpRequest, *, task: Any, standing: Any) -> dict | None:
    """扣分记录: the unit points in force booked on decisions about this task (rankings are public)."""
    rows = task_points(task)
    return {"rows": rows} if rows else None


def workbench_panel(request: HttpRequest) -> dict | None:
    """A unit's people see where their unit stands in the latest 月排名积分."""
    person = person_of(request.user)
    if person is None or person.unit_id is None:
        return None
    standing = unit_standing(person.unit)
    if standing is None:
        return None
    return {"standing": standing, "unit": person.unit, "why": access_unit_scores(request.user, person.unit)}
