"""The query planner's statistics of the tables, gathered again where they are lost or stale.

The pages' queries (issue 13) are planned from these statistics: without them, SQLite chooses among a
table's indexes blind (a migration that adds a column rebuilds its table and drops its statistics; a
province's rows loaded in bulk have none), and a decision list that reads ~1 ms from the right index took
over 100 ms from another. So they are gathered after ``migrate`` has applied migrations and after the
province is generated; PostgreSQL's autovacuum keeps them up to date otherwise, and ANALYZE is as right there.
"""

from __future__ import annotations

from django.db import connections


def planner_statistics_refresh(*, using: str = "default") -> None:
    """ANALYZE the database (SQLite: a few seconds at a province's scale; PostgreSQL: a sample per table)."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def after_migrate(sender, *, plan=None, using: str = "default", **kwargs) -> None:
    """post_migrate of the last app with models (WebConfig.ready): when migrations were applied."""
    if plan:
        planner_statistics_refresh(using=using)
