"""Data built once for a whole module (or class) of tests, and rolled back when it ends.

For tests that only read what they are given, or whose writes their own `db` transaction undoes:
the data is written in a transaction opened before the first of them and rolled back after the
last, and each test's own transaction (pytest-django's `db`) nests inside it as a savepoint, so
what one test writes is gone before the next. Not for `transactional_db` or `live_server` tests
(the live server's thread could not see uncommitted data; they load for themselves).

    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker):
        yield from built_once(django_db_blocker, load_demo)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Yield what ``build()`` returns, written inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
