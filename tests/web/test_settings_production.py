"""Production settings refuse to start without what they need, and say which variable is missing."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

REQUIRED = {
    "DUBAN_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-settings-test-9f8e7d",
    "DUBAN_ALLOWED_HOSTS": "duban.example.gov.cn",
    "DATABASE_URL": "postgres://duban@localhost/duban",
}


def _load(monkeypatch, env: dict[str, str | None]) -> dict:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_module("duban.web.settings_production")


def test_with_every_variable_set_the_settings_load(monkeypatch):
    settings = _load(monkeypatch, REQUIRED)
    assert settings["SECRET_KEY"] == REQUIRED["DUBAN_SECRET_KEY"]
    assert settings["ALLOWED_HOSTS"] == ["duban.example.gov.cn"]


@pytest.mark.parametrize("name", sorted(REQUIRED))
@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_or_empty_variable_is_named(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured) as error:
        _load(monkeypatch, {**REQUIRED, name: value})
    assert name in str(error.value)


def test_a_host_list_without_a_host_is_named(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as error:
        _load(monkeypatch, {**REQUIRED, "DUBAN_ALLOWED_HOSTS": " , "})
    assert "DUBAN_ALLOWED_HOSTS" in str(error.value)
