"""Reminders leave the site: e-mail with absolute links, 钉钉 (加签) and 企业微信 group robots, each sending a
Delivery row made in the reminder's transaction and sent by the huey task after commit, retried when it
fails — against a robot on this machine (tests/factories.py FakeRobot) that fails, then answers."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from duban.ledger import services
from duban.ledger.channels import channel_create
from duban.ledger.models import Delivery, Reminder
from duban.ledger.notify import dingtalk_sign

SECRET = "SECabc123def456"


@pytest.fixture(autouse=True)
def _empty_schedule():
    HUEY.storage.flush_schedule()
    yield
    HUEY.storage.flush_schedule()


def run_retries(hours: int = 6) -> list[float]:
    """What the worker's scheduler does over the next ``hours``: run each retry once it is due. Returns
    each retry's delay after the attempt before it, in seconds."""
    delays = []
    tried = HUEY._get_timestamp()  # huey schedules a retry from the moment the attempt failed
    until = tried + dt.timedelta(hours=hours)
    while True:
        due = HUEY.read_schedule(until)
        if not due:
            return delays
        for task in due:
            delays.append(round((task.eta - tried).total_seconds()))
            tried = HUEY._get_timestamp()
            HUEY.execute(task, timestamp=task.eta)


def assign_task_b(lw, django_capture_on_commit_callbacks):
    """交办 task B: its unit's 联络员 (liaison_b) is reminded; the deliveries go once the write commits."""
    with django_capture_on_commit_callbacks(execute=True):
        services.task_assign(actor=lw.users["office_city"], task=lw.task_b, reporting_cycle="monthly", owner=None)
    return Reminder.objects.get(recipient=lw.users["liaison_b"], kind="task_assigned")


def robot(lw, fake_robot, *, kind="dingtalk", unit=None, secret=SECRET, path="/robot/send?access_token=tok123456"):
    return channel_create(
        actor=lw.users["admin"],
        jurisdiction=lw.city,
        unit=unit or lw.unit_b,
        kind=kind,
        name="市教育局督办群",
        url=fake_robot.url(path),
        secret=secret,
    )


def test_a_dingtalk_robot_that_fails_twice_is_retried_with_backoff_and_signed_each_time(
    lw, fake_robot, django_capture_on_commit_callbacks, settings, caplog
):
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn"
    channel = robot(lw, fake_robot)
    fake_robot.fail, fake_robot.failure = 2, 500
    with caplog.at_level(logging.WARNING, logger="duban.notify"):
        reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
        delivery = Delivery.objects.get(reminder=reminder, channel=channel)
        assert (delivery.state, delivery.attempts) == ("pending", 1)  # the write stands; the first try failed
        delays = run_retries()
    delivery.refresh_from_db()
    assert (delivery.notifier, delivery.state, delivery.attempts) == ("dingtalk", "sent", 3)
    assert delivery.sent_at is not None and "tok123456" not in delivery.address
    assert delivery.error.count("HTTP 500") == 2  # each failure kept, with its attempt
    assert delays == [60, 120]  # retry_delay, then doubled (retry_backoff)
    assert sum("will retry" in r.getMessage() for r in caplog.records) == 2
    assert len(fake_robot.requests) == 3
    for path, body in fake_robot.requests:
        query = parse_qs(urlsplit(path).query)
        assert query["access_token"] == ["tok123456"]
        timestamp = query["timestamp"][0]
        digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        assert query["sign"] == [base64.b64encode(digest).decode()]  # parse_qs undoes the URL-encoding
        assert abs(int(timestamp) / 1000 - dt.datetime.now().timestamp()) < 60  # the real time, not DUBAN_TODAY
        assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "【督办提醒】"
        text = body["markdown"]["text"]
        assert "加强学校体育工作" in text and f"https://duban.example.gov.cn{reminder.link}" in text


def test_the_signature_is_the_one_dingtalk_documents():
    """钉钉's own example: HmacSHA256 of "timestamp\\nsecret", Base64, then URL-encoded (so + / = are escaped)."""
    digest = hmac.new(b"SECxyz", b"1577262236757\nSECxyz", hashlib.sha256).digest()
    encoded = base64.b64encode(digest).decode()
    sign = dingtalk_sign("SECxyz", 1577262236757)
    assert sign == encoded.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def test_a_robot_that_never_answers_fails_the_delivery_but_never_the_write(
    lw, fake_robot, django_capture_on_commit_callbacks, settings
):
    channel = robot(lw, fake_robot, kind="wecom", secret="", path="/cgi-bin/webhook/send?key=k-0123456789")
    fake_robot.fail, fake_robot.failure = 100, "keywords not in content"
    reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
    run_retries()
    delivery = Delivery.objects.get(reminder=reminder, channel=channel)
    assert (delivery.state, delivery.attempts) == ("failed", settings.DUBAN_DELIVERY_RETRIES + 1)
    assert delivery.error.count("errcode=310000 keywords not in content") == delivery.attempts
    lw.task_b.refresh_from_db()
    assert lw.task_b.reporting_cycle == "monthly"  # the assignment was kept
    assert reminder.read_at is None and Reminder.objects.filter(pk=reminder.pk).exists()
    body = fake_robot.requests[0][1]
    assert body["msgtype"] == "markdown" and "加强学校体育工作" in body["markdown"]["content"]
    assert "timestamp" not in fake_robot.requests[0][0]  # 企业微信 is not signed


def test_an_unreachable_robot_is_a_failed_attempt(lw, fake_robot, django_capture_on_commit_callbacks):
    channel = robot(lw, fake_robot)
    fake_robot.close()  # nothing listens there any more
    reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(reminder=reminder, channel=channel)
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "无法连接机器人" in delivery.error


def test_a_group_is_posted_once_per_event_whoever_of_it_is_reminded(lw, fake_robot, django_capture_on_commit_callbacks):
    """Two 联络员 of the unit are reminded of the same assignment: its robot posts it once."""
    from duban.accounts.services import person_create
    from tests.factories import login_create

    second = login_create(
        "liaison_b2",
        person_create(actor=None, jurisdiction=lw.city, unit=lw.unit_b, name="程二", role="联络员"),
        password="pw-12345678",
    )
    channel = robot(lw, fake_robot)
    assign_task_b(lw, django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(kind="task_assigned", recipient__in=[lw.users["liaison_b"], second]).count() == 2
    assert Delivery.objects.filter(channel=channel).count() == 1
    assert len(fake_robot.requests) == 1


def test_a_unit_robot_gets_only_its_units_reminders_and_an_inactive_one_none(
    lw, fake_robot, django_capture_on_commit_callbacks
):
    robot(lw, fake_robot, unit=lw.unit_a)  # task B's unit is B
    quiet = robot(lw, fake_robot)
    quiet.active = False
    quiet.save()
    assign_task_b(lw, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(notifier__in=["dingtalk", "wecom"]).exists()
    assert fake_robot.requests == []


def test_email_carries_the_absolute_link(lw, django_capture_on_commit_callbacks, settings):
    settings.DUBAN_EMAIL_REMINDERS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn/zmd"
    lw.users["liaison_b"].email = "b@example.org"
    lw.users["liaison_b"].save()
    reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(reminder=reminder, notifier="email")
    assert (delivery.address, delivery.state, delivery.attempts) == ("b@example.org", "sent", 1)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["b@example.org"]
    assert f"https://duban.example.gov.cn/zmd{reminder.link}" in mail.outbox[0].body


def test_a_mail_server_that_refuses_is_retried_and_the_write_stands(
    lw, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.DUBAN_EMAIL_REMINDERS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lw.users["liaison_b"].email = "b@example.org"
    lw.users["liaison_b"].save()
    calls = []

    def refuse_once(self, messages):
        calls.append(messages)
        if len(calls) == 1:
            raise ConnectionRefusedError("SMTP refused")
        return len(messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse_once)
    reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(reminder=reminder, notifier="email")
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "SMTP refused" in delivery.error
    run_retries()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, len(calls)) == ("sent", 2, 2)


def test_no_mail_without_the_setting_or_an_address(lw, django_capture_on_commit_callbacks, settings):
    settings.DUBAN_EMAIL_REMINDERS = False
    lw.users["liaison_b"].email = "b@example.org"
    lw.users["liaison_b"].save()
    assign_task_b(lw, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(notifier="email").exists()


def test_a_queue_that_cannot_be_reached_does_not_fail_the_write(
    lw, fake_robot, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    robot(lw, fake_robot)

    def broken(delivery_id):
        raise OSError("queue file unavailable")

    monkeypatch.setattr("duban.ledger.tasks.send_delivery", broken)
    with caplog.at_level(logging.ERROR):
        reminder = assign_task_b(lw, django_capture_on_commit_callbacks)
    assert Delivery.objects.get(reminder=reminder, notifier="dingtalk").state == "pending"
    assert "queue file unavailable" in caplog.text


def test_deliveries_roll_back_with_the_write(lw, fake_robot, django_capture_on_commit_callbacks):
    robot(lw, fake_robot)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        from django.db import transaction

        with transaction.atomic():
            services.task_assign(actor=None, task=lw.task_b, reporting_cycle="monthly", owner=None)
            raise RuntimeError("the write fails after the reminder")
    assert callbacks == [] and not Delivery.objects.exists() and fake_robot.requests == []


def test_a_key_longer_than_the_column_still_reminds_once(lw):
    """The key is stored cut to 120 characters: the once-only check compares the cut key too (it compared
    the whole key, found nothing, and the second reminder broke the write on the unique constraint)."""
    key = "x" * 130
    first = services._remind(actor=None, recipient=lw.users["liaison_b"], kind="k", text="t", link="/", key=key)
    again = services._remind(actor=None, recipient=lw.users["liaison_b"], kind="k", text="t", link="/", key=key)
    assert first is not None and again is None
    services._settle(actor=None, key=key)
    first.refresh_from_db()
    assert first.read_at is not None
