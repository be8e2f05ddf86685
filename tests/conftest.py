"""Fixtures shared by every suite: the worlds of tests/factories.py, and the demo loaded once."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import World, build_world, city_create
from tests.once import built_once


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file of this run (of this worker, under pytest-xdist), as
    var/duban.sqlite3 is: pytest-django's default in-memory database has another locking model
    (shared cache: table locks that never wait), and its live server shares the test's one
    connection between all request threads, so concurrent requests would not be concurrent."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.getbasetemp() / "duban-test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    """Passwords hashed with MD5 in tests: Django's PBKDF2 (a million rounds) takes a third of a
    second per login, and the suites create hundreds. Logins still check the password; production's
    hashers are the default ones (the deploy check runs in its own process)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads land in a temporary folder of this run (of this worker, under pytest-xdist), never in var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def world(db) -> World:
    """The world of the spec's examples (tests.factories.build_world)."""
    return build_world()


@pytest.fixture
def city(db):
    """驻马店市 alone, created without an actor."""
    return city_create()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (duban.web.demo.load_demo, seconds to load) loaded once for the module's tests,
    which only read it; rolled back when the module ends (tests/once.py). Tests that load the demo
    themselves (idempotence) or need a live server do not use it."""
    from duban.web.demo import load_demo

    yield from built_once(django_db_blocker, load_demo)
