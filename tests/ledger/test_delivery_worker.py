"""A real worker process (`manage.py run_huey`, as `make demo` and production run it) sends a reminder's
delivery once the write commits, and retries it after the robot failed: the rest of the suite runs the
queue at once (tests/settings.py). The `worker` fixture is tests/conftest.py's."""

from __future__ import annotations

import time

import pytest

from duban.accounts.services import person_create, unit_create
from duban.ledger.channels import channel_create
from duban.ledger.models import Delivery
from duban.ledger.services import _remind
from tests.factories import city_create, login_create


@pytest.fixture
def quick_retries(monkeypatch):
    """A retry a second after the failure: the delay travels in the queued message, set where it is queued."""
    from duban.ledger.tasks import send_delivery

    monkeypatch.setattr(send_delivery.task_class, "default_retry_delay", 1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_after_commit_and_retries_a_failed_post(quick_retries, fake_robot, worker):
    city = city_create()
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    liaison = login_create(
        "liaison",
        person_create(actor=None, jurisdiction=city, unit=unit, name="程浩", role="联络员"),
        password="pw-12345678",
    )
    channel_create(
        actor=None, jurisdiction=city, unit=unit, kind="dingtalk", name="教育局群", url=fake_robot.url(), secret="SECx"
    )
    fake_robot.fail = 1
    reminder = _remind(actor=None, recipient=liaison, kind="k", text="请报送进度", link="/ledger/", key="worker-test")
    delivery = Delivery.objects.get(reminder=reminder)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        delivery.refresh_from_db()
        if delivery.state != Delivery.State.PENDING:
            break
        time.sleep(0.2)
    if worker.poll() is not None:
        pytest.fail(f"the worker stopped: {worker.stdout.read()}")
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2), delivery.error
    assert len(fake_robot.requests) == 2 and "HTTP 500" in delivery.error
