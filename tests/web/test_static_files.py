"""The static files are served with debug off (whitenoise, right after SecurityMiddleware): here, in the demo
and in development from each app's static/ folder, with no collectstatic; production serves the collected,
hashed copies (tests/web/test_settings_production.py, scripts/deploy-check). The pages keep their policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

import duban

pytestmark = pytest.mark.django_db


def test_whitenoise_comes_right_after_the_security_middleware():
    middleware = settings.MIDDLEWARE
    assert not settings.DEBUG
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


def test_a_stylesheet_and_a_script_are_served_from_their_app_with_debug_off(client):
    for name, kind in (("web/duban.css", "text/css"), ("ledger/upload.js", "text/javascript")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response["Content-Type"].startswith(kind), name
        body = b"".join(response.streaming_content)
        assert body == (Path(duban.__file__).parent / name.split("/")[0] / "static" / name).read_bytes()
        assert "immutable" not in response.get("Cache-Control", "")  # no hash in the name: it may change
    assert client.get("/static/web/nothing.css").status_code == 404


def test_the_pages_still_carry_their_policy_and_name_their_static_files(client):
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert 'href="/static/web/duban.css"' in response.content.decode()
