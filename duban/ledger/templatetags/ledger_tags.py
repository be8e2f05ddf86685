"""Template filters of the ledger's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def comparator(value: str) -> str:
    """>= as ≥, the way documents print a target."""
    return {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "="}.get(value, value)
