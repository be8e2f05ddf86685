"""The daily run needs no cron: a real worker process (`manage.py run_huey`, as `make demo` and production
run it) is its scheduler, and runs the day once when it starts, on the test's database. The `worker`
fixture is tests/conftest.py's."""

from __future__ import annotations

import time

import pytest
from ledger_world import build_ledger_world

from duban.ledger.models import Reminder


@pytest.fixture
def built(transactional_db, monkeypatch):
    """The ledger world, committed before the worker starts; the worker's clock is 2020-06-29, the day
    before the 督办单's reply date."""
    monkeypatch.setenv("DUBAN_TODAY", "2020-06-29")
    world = build_ledger_world()
    Reminder.objects.all().delete()
    return world


def test_a_worker_that_starts_runs_the_day(built, worker):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and worker.poll() is None:
        if Reminder.objects.filter(kind="order_reply_due").exists():
            break
        time.sleep(0.3)
    if worker.poll() is not None:
        pytest.fail(f"the worker stopped: {worker.stdout.read()}")
    reminder = Reminder.objects.get(kind="order_reply_due")
    assert reminder.recipient == built.users["liaison_a"] and reminder.link.endswith("/answer/")
    assert Reminder.objects.filter(kind="report_due").exists()  # every registered job ran
