from decimal import Decimal

from django import template

from duban.dashboards.charts import cell as cell_text

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table cell's number as charts.cell writes it (— for none)."""
    return cell_text(value)


@register.filter
def numeric(value) -> bool:
    """A number (or none, shown —): the cell is right-aligned."""
    return value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool))
