"""The database tests. Tests marked `postgres` run only against a real server; tests that ask for
the `database` fixture run on each database (SQLite in the normal suite, PostgreSQL under it).

`make test` runs them through scripts/with-postgres, which exports a postgres DATABASE_URL. In a
plain `pytest` run (SQLite) they are skipped, not failed.
"""

from __future__ import annotations

import os

import pytest


def postgres_configured() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def pytest_collection_modifyitems(config, items):
    if postgres_configured():
        return
    if config.getoption("markexpr") == "postgres":
        # `pytest -m postgres` without a server would skip everything and pass: refuse instead.
        raise pytest.UsageError("pytest -m postgres needs DATABASE_URL=postgres://… (use scripts/with-postgres)")
    skip = pytest.mark.skip(reason="needs PostgreSQL: run through scripts/with-postgres (DATABASE_URL=postgres://…)")
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(skip)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database(request) -> str:
    """A test that asks for it runs on each database: on SQLite in the normal suite, on PostgreSQL
    under `-m postgres` (skipped where the run's database is the other one). Its value: the vendor."""
    from django.db import connection

    if connection.vendor != request.param:
        pytest.skip(f"runs on {request.param}; this run is on {connection.vendor}")
    return request.param
