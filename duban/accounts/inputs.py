"""The services' refusals of what ``duban.inputs`` finds wrong: a ``ValidationError`` on the field.

Every service that takes a required text or a date from a user checks it here, before it writes.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from duban.inputs import date_problem, visible_text


def required_text(field: str, text: str | None, message: str) -> str:
    """``text`` without the invisible characters around it; ``message`` on ``field`` when nothing
    visible is left (blank, whitespace only, zero-width characters only)."""
    kept = visible_text(text)
    if not kept:
        raise ValidationError({field: message})
    return kept


def refuse_implausible_dates(**dates: tuple[dt.date | None, str]) -> None:
    """``field=(day, what)``: refuse a day outside the years duban accepts (duban.inputs)."""
    for field, (day, what) in dates.items():
        problem = date_problem(day, what) if isinstance(day, dt.date) else ""
        if problem:
            raise ValidationError({field: problem})
