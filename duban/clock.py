"""The system's date and time: every "today" and "now" in duban is read here.

Without a setting, today is today. The demo tells a story of 2020, so ``make demo`` sets
``DUBAN_TODAY=2020-12-10``: the site then runs on that date (at the current time of day), every
page says so in a banner, and forms accept the dates of the story.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def parse_today(text: str | None) -> dt.date | None:
    """The DUBAN_TODAY setting as a date (None when not set); a bad value is refused at start-up."""
    if text is None or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ImproperlyConfigured(f"DUBAN_TODAY must be a date YYYY-MM-DD, not '{text}'") from None


def fixed_today() -> dt.date | None:
    """The date the site is set to run on (DUBAN_TODAY), or None when it runs on the real date."""
    value = getattr(settings, "DUBAN_TODAY", None)
    if isinstance(value, dt.date):
        return value
    return parse_today(value)


def today() -> dt.date:
    """Today in the site's time zone, or the date DUBAN_TODAY fixes."""
    return fixed_today() or timezone.localdate()


def now() -> dt.datetime:
    """This moment (aware); under DUBAN_TODAY, the current time of day on that date."""
    moment = timezone.localtime()
    fixed = fixed_today()
    if fixed is None:
        return moment
    return moment.replace(year=fixed.year, month=fixed.month, day=fixed.day)
