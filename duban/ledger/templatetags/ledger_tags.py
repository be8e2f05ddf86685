"""Template filters of the ledger's pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def comparator(value: str) -> str:
    """>= as ≥, the way documents print a target."""
    return {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "="}.get(value, value)


@register.simple_tag
def unit_options(units, selected=None) -> str:
    """The ``<option>``s of a unit filter: ``units`` (a queryset, in its order) read as (key, names) rows and
    written at once; a city's hundreds of units cost no model and no template node each."""
    chosen = getattr(selected, "pk", None)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, mark_safe(" selected") if pk == chosen else "", short_name or name)
            for pk, short_name, name in units.values_list("pk", "short_name", "name")
        ),
    )
