"""Production settings refuse to start without what they need, and say which variable is missing."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

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


# --- behind the proxy, on PostgreSQL, several servers (docs/deploy.md) ---------------------------------------
# Read in a process of their own: the production settings build on duban.web.settings, which this process
# has already read with the suite's environment (its DATABASE_URL among them).

PROJECT = Path(__file__).resolve().parents[2]
READ = """
import json
from duban.web import settings_production as s
huey = {k: v for k, v in s.HUEY.items() if k != "consumer"}
print(json.dumps({
    "cookies_secure": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "hsts": s.SECURE_HSTS_SECONDS, "redirect": s.SECURE_SSL_REDIRECT, "exempt": s.SECURE_REDIRECT_EXEMPT,
    "proxy_ssl_header": list(s.SECURE_PROXY_SSL_HEADER), "forwarded_host": s.USE_X_FORWARDED_HOST,
    "origins": s.CSRF_TRUSTED_ORIGINS, "site_url": s.DUBAN_SITE_URL,
    "conn_max_age": s.DATABASES["default"]["CONN_MAX_AGE"], "health": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "huey": huey, "periodic": s.HUEY["consumer"]["periodic"],
    "static": s.STORAGES["staticfiles"]["BACKEND"], "finders": s.WHITENOISE_USE_FINDERS,
    "autorefresh": s.WHITENOISE_AUTOREFRESH, "static_root": str(s.STATIC_ROOT),
    "mail": [s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS],
    "sessions": s.SESSION_ENGINE if hasattr(s, "SESSION_ENGINE") else "django.contrib.sessions.backends.db",
}))
"""


def production(**env: str) -> dict:
    """The production settings read with REQUIRED and ``env`` (only them: nothing of this process's DUBAN_*)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DATABASE_URL"))}
    environment.update({**REQUIRED, "PYTHONPATH": str(PROJECT), **env})
    result = subprocess.run(
        [sys.executable, "-c", READ], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        raise ImproperlyConfigured(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def test_behind_https_the_cookies_are_secure_and_the_proxy_is_believed():
    s = production()
    assert s["cookies_secure"] == [True, True] and s["hsts"] == 31536000 and s["redirect"] is True
    assert s["exempt"] == [r"^healthz/$"]  # a monitor asks gunicorn over plain HTTP
    assert s["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"] and s["forwarded_host"] is True
    assert s["origins"] == ["https://duban.example.gov.cn"] and s["site_url"] == "https://duban.example.gov.cn"
    assert s["sessions"] == "django.contrib.sessions.backends.db"  # shared by every application server


def test_an_intranet_over_plain_http_says_so_and_its_logins_hold():
    s = production(DUBAN_HTTPS="0", DUBAN_ALLOWED_HOSTS="duban.zmd.gov,.zmd.gov")
    assert s["cookies_secure"] == [False, False] and s["hsts"] == 0 and s["redirect"] is False
    assert s["origins"] == ["http://duban.zmd.gov", "http://*.zmd.gov"] and s["site_url"] == "http://duban.zmd.gov"


def test_reminders_are_mailed_through_the_intranet_relay_named():
    assert production()["mail"] == ["localhost", 25, "", False]
    s = production(
        DUBAN_EMAIL_HOST="mail.zmd.gov", DUBAN_EMAIL_PORT="587", DUBAN_EMAIL_USER="duban", DUBAN_EMAIL_USE_TLS="1"
    )
    assert s["mail"] == ["mail.zmd.gov", 587, "duban", True]


def test_the_trusted_origins_may_be_named():
    s = production(DUBAN_CSRF_TRUSTED_ORIGINS="https://duban.example.gov.cn:8443, https://duban.zmd.gov")
    assert s["origins"] == ["https://duban.example.gov.cn:8443", "https://duban.zmd.gov"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DUBAN_HTTPS", "yes"),
        ("DUBAN_SSL_REDIRECT", "true"),
        ("DUBAN_CSRF_TRUSTED_ORIGINS", "duban.example.gov.cn"),
        ("DUBAN_CSRF_TRUSTED_ORIGINS", "https://duban.example.gov.cn/login/"),
        ("DUBAN_DB_CONN_MAX_AGE", "a minute"),
        ("DUBAN_EMAIL_PORT", "smtp"),
        ("DUBAN_EMAIL_USE_TLS", "on"),
    ],
)
def test_a_bad_value_is_named(name, value):
    with pytest.raises(ImproperlyConfigured) as error:
        production(**{name: value})
    assert name in str(error.value)


def test_on_postgresql_the_queue_is_in_the_database_and_made_by_a_command():
    s = production(DATABASE_URL="postgres://duban:pa%20ss@db.intranet:5433/duban?sslmode=require")
    assert s["huey"]["huey_class"] == "huey.PostgresHuey" and s["huey"]["create_tables"] is False
    assert "filename" not in s["huey"] and s["huey"]["immediate"] is False and s["periodic"] is True
    from psycopg.conninfo import conninfo_to_dict

    assert conninfo_to_dict(s["huey"]["dsn"]) == {
        "dbname": "duban",
        "user": "duban",
        "password": "pa ss",
        "host": "db.intranet",
        "port": "5433",
        "sslmode": "require",
        "options": "-c jit=off",
    }
    assert s["conn_max_age"] == 60 and s["health"] is True
    assert production(DUBAN_DB_CONN_MAX_AGE="0")["conn_max_age"] == 0


def test_on_sqlite_the_queue_stays_a_file_of_one_machine(tmp_path):
    s = production(DATABASE_URL=f"sqlite:///{tmp_path / 'duban.sqlite3'}", DUBAN_QUEUE_FILE=str(tmp_path / "q"))
    assert s["huey"]["huey_class"] == "huey.SqliteHuey" and s["huey"]["filename"] == str(tmp_path / "q")


def test_the_static_files_are_the_collected_hashed_copies(tmp_path):
    s = production(DUBAN_STATIC_ROOT=str(tmp_path))
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["finders"] is False and s["autorefresh"] is False and s["static_root"] == str(tmp_path)
