"""The site's own address (DUBAN_SITE_URL), for the links a reminder carries outside the site: an e-mail or
an IM group robot's message cannot say "/ledger/tasks/7/", it must say where the site is."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def parse_site_url(text: str | None, *, default: str) -> str:
    """``text`` (or ``default`` when unset) as ``scheme://host[:port][/prefix]``, without a trailing slash;
    anything else stops start-up naming the variable."""
    value = (text or "").strip() or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"DUBAN_SITE_URL must be the site's address, e.g. https://duban.example.gov.cn, not '{value}'"
        )
    return value.rstrip("/")


def parse_count(name: str, text: str | None, *, default: int) -> int:
    """A whole number of at least 0 from the environment variable ``name`` (``default`` when unset)."""
    value = (text or "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 0, not '{value}'")
    return int(value)
