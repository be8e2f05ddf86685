"""What a reminder costs the write that makes it: five queries, and one more per robot it is posted to."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.ledger import services
from duban.ledger.channels import channel_create


def queries_of_one_reminder(lw, key: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        services._remind(actor=None, recipient=lw.users["liaison_b"], kind="k", text="t", link="/", key=key)
    return len(captured)


def test_a_reminder_costs_a_few_queries_and_one_more_per_robot(lw):
    base = queries_of_one_reminder(lw, "none")
    channel_create(actor=None, jurisdiction=lw.city, unit=lw.unit_b, kind="wecom", name="群", url="https://q.cn/?key=1")
    one = queries_of_one_reminder(lw, "one")
    for n in range(3):
        kind = "dingtalk" if n % 2 else "wecom"
        channel_create(actor=None, jurisdiction=lw.city, unit=lw.unit_b, kind=kind, name=f"群{n}", url="https://q.cn/")
    four = queries_of_one_reminder(lw, "four")
    assert base == 5  # once-only check, insert, audit row, the recipient's person, their robots
    assert one == base + 2  # the robot's "already posted?" read and its Delivery
    assert four == one + 3 + 1  # a Delivery per robot, and the other kind's (钉钉) "already posted?" read
