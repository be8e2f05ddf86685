"""A Content-Security-Policy on every response (django-csp): scripts and styles from the site's own static
files only, so no inline script, no inline event handler and no style attribute anywhere in the templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import duban

POLICY = dict.fromkeys(["default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"], "'self'")
POLICY.update({"object-src": "'none'", "base-uri": "'none'", "form-action": "'self'", "frame-ancestors": "'none'"})
TEMPLATES = sorted(Path(duban.__file__).parent.glob("**/templates/**/*.html"))

# What the policy refuses, as it would appear in a template.
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.I)
SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def directives(header: str | None) -> dict[str, str]:
    """The policy a Content-Security-Policy header states, directive by directive (their order is free)."""
    parts = [part.strip().split(None, 1) for part in (header or "").split(";") if part.strip()]
    return dict(parts)


def refusals(html: str) -> list[str]:
    """What in ``html`` the Content-Security-Policy would refuse to run or apply."""
    found = [f"inline script: {m.group(0)}" for m in INLINE_SCRIPT.finditer(html)]
    found += [f"script with a body: {m.group(0)[:60]}" for m in SCRIPT_BODY.finditer(html) if m.group(1).strip()]
    found += [f"style element: {m.group(0)}" for m in STYLE_ELEMENT.finditer(html)]
    found += [f"javascript: URL: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(html)]
    for tag in TAG.findall(html):
        if HANDLER.search(tag):
            found.append(f"event handler: {tag}")
        if STYLE_ATTRIBUTE.search(tag):
            found.append(f"style attribute: {tag}")
    return found


def test_the_scan_finds_what_the_policy_refuses():
    page = (
        '<button onclick="window.print()">打印</button><span style="width: 5%"></span>'
        '<script>alert(1)</script><script src="/static/x.js">alert(2)</script><style>p{}</style>'
        '<a href="javascript:go()">x</a><p\n  onmouseover = "x()">'
    )
    kinds = [found.split(":")[0] for found in refusals(page)]
    expected = ["event handler", "event handler", "style attribute", "inline script", "script with a body"]
    expected += ["script with a body", "style element", "javascript"]
    assert sorted(kinds) == sorted(expected)
    ok = '<script src="/static/web/duban.js" defer></script><button type="button" data-print>打印</button>'
    assert refusals(ok) == []


def test_no_template_has_inline_script_handlers_or_styles():
    assert len(TEMPLATES) > 40
    problems = {str(t.relative_to(Path(duban.__file__).parent)): refusals(t.read_text("utf-8")) for t in TEMPLATES}
    assert {name: found for name, found in problems.items() if found} == {}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _path(route: str) -> str:
    """A concrete path for a route: its ids are 1 (a page of something, or a 404: both carry the header)."""
    path = re.sub(r"<(?:int:|path:|str:|slug:)?\w+>", "1", route)
    return "/" + re.sub(r"[\^$]|\\Z", "", path).replace("(?P", "")


PAGES = sorted({_path(route) for route in _routes(get_resolver().url_patterns) if "(" not in _path(route)})


@pytest.fixture
def logins(world):
    from django.contrib.auth import get_user_model

    from duban.accounts.services import person_create
    from tests.factories import login_create

    liaison = person_create(actor=None, jurisdiction=world.city, unit=world.cgj, name="联络员庚", role="联络员")
    return {
        "admin": get_user_model().objects.create_superuser("root", "root@example.org", "pw-policy-2020"),
        "duchashi": world.actor,
        "liaison": login_create("liaison", liaison, password="pw-policy-2020"),
    }


@pytest.mark.parametrize("who", ["anonymous", "admin", "duchashi", "liaison"])
def test_every_page_answers_with_the_policy(logins, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(logins[who])
    assert "/ledger/tasks/1/" in PAGES and "/admin/" in PAGES and len(PAGES) > 60
    statuses = {}
    for path in [*PAGES, "/no-such-page/"]:
        response = client.get(path)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert directives(response.get("Content-Security-Policy")) == POLICY, (who, path, response.status_code)
    assert 200 in statuses, statuses
