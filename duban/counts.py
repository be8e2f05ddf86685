"""Counts kept by the writes (the tallies of accountability, the ledger, reports and scoring): adding to a row.

A tally's row holds counts under a key; a write adds its difference to the row of each key it touches, the row
made when missing, in one statement a row (INSERT … ON CONFLICT … DO UPDATE, the same on SQLite and PostgreSQL):
two writers adding at once both count, where reading the row and writing it back would lose one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, transaction


def counts_add(model, *, keys: Sequence[str], counts: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Add to ``model``'s rows: each of ``rows`` is the key's columns (``keys``, a unique constraint of the model)
    then the amounts to add to ``counts``; rows adding nothing are skipped."""
    # The rows in the order of their keys, so two writers adding to overlapping rows lock them in one order
    # (PostgreSQL) and cannot deadlock on each other.
    written = sorted((tuple(row) for row in rows if any(row[len(keys) :])), key=lambda row: _order(row[: len(keys)]))
    if not written:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(column) for column in (*keys, *counts))
    placeholders = ", ".join(["%s"] * (len(keys) + len(counts)))
    conflict = ", ".join(quote(column) for column in keys)
    added = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counts)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT ({conflict}) DO UPDATE SET {added}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, written)


def _order(key: Sequence) -> tuple:
    # Keys hold ints, strings, dates and None: compared as (is None, value) so None sorts last without a TypeError.
    return tuple((part is None, part if part is not None else 0) for part in key)
