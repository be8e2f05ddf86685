"""DUBAN_SITE_URL: where the links of e-mailed and posted reminders point; a bad value stops start-up."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from duban.web.site_url import parse_count, parse_site_url

REQUIRED = {
    "DUBAN_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-site-url-test-1a2b3c",
    "DUBAN_ALLOWED_HOSTS": "duban.example.gov.cn,127.0.0.1",
    "DATABASE_URL": "postgres://duban@localhost/duban",
}


@pytest.mark.parametrize("value", ["duban.example.gov.cn", "ftp://duban.example.gov.cn", "https://", "https://x/?a=1"])
def test_a_bad_site_url_is_named(value):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_site_url(value, default="http://127.0.0.1:8000")
    assert "DUBAN_SITE_URL" in str(error.value)


def test_the_site_url_keeps_its_prefix_without_the_trailing_slash():
    assert parse_site_url(" https://gov.cn/duban/ ", default="x") == "https://gov.cn/duban"
    assert parse_site_url("", default="http://127.0.0.1:8000") == "http://127.0.0.1:8000"


def test_production_links_to_its_first_host_over_https_unless_told(monkeypatch):
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DUBAN_SITE_URL", raising=False)
    assert runpy.run_module("duban.web.settings_production")["DUBAN_SITE_URL"] == "https://duban.example.gov.cn"
    monkeypatch.setenv("DUBAN_SITE_URL", "https://duban.zhumadian.gov.cn/")
    assert runpy.run_module("duban.web.settings_production")["DUBAN_SITE_URL"] == "https://duban.zhumadian.gov.cn"


@pytest.mark.parametrize("value", ["-1", "ten", "1.5"])
def test_a_bad_retry_count_is_named(value):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_count("DUBAN_DELIVERY_RETRIES", value, default=5)
    assert "DUBAN_DELIVERY_RETRIES" in str(error.value)
    assert parse_count("DUBAN_DELIVERY_RETRIES", " ", default=5) == 5
