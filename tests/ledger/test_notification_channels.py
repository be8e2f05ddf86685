"""通知渠道 (the IM group robots) are written through channel_create / channel_update, with audit rows
that never hold the secret or the webhook's token; the admin's forms call them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.accounts.models import AuditLog
from duban.accounts.services import user_create, user_grant
from duban.ledger.channels import channel_create, channel_update
from duban.ledger.models import NotificationChannel

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789"
SECRET = "SEC0123456789abcdef"


def make(lw, **extra):
    values = {"kind": "dingtalk", "name": "卫健体委督办群", "url": DINGTALK, "unit": lw.unit_a, "secret": SECRET}
    return channel_create(actor=lw.users["admin"], jurisdiction=lw.city, **{**values, **extra})


def test_a_channel_is_created_and_updated_with_audit_rows_that_hold_no_credential(lw):
    channel = make(lw)
    created = AuditLog.objects.get(action="channel_create", object_id=str(channel.pk))
    assert created.actor == lw.users["admin"] and created.after["secret_set"] is True
    assert SECRET not in str(created.after) and "0123456789" not in created.after["url"]
    channel_update(actor=lw.users["admin"], channel=channel, data={"secret": "SECother", "active": False})
    updated = AuditLog.objects.get(action="channel_update", object_id=str(channel.pk))
    assert (updated.before["active"], updated.after["active"]) == (True, False)
    assert "SECother" not in str(updated.after)
    channel_update(actor=lw.users["admin"], channel=channel, data={"secret": "SECthird"})
    rows = AuditLog.objects.filter(action="channel_update", object_id=str(channel.pk)).order_by("pk")
    assert rows.count() == 2 and rows.last().after["credentials_changed"] is True
    channel_update(actor=lw.users["admin"], channel=channel, data={"name": "卫健体委督办群"})  # nothing changes
    assert AuditLog.objects.filter(action="channel_update", object_id=str(channel.pk)).count() == 2


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"url": "oapi.dingtalk.com/robot"}, "url", "https://"),
        ({"secret": "abc"}, "secret", "SEC 开头"),
        ({"kind": "wecom"}, "secret", "企业微信群机器人没有加签密钥"),
        ({"kind": "slack"}, "kind", "钉钉群机器人或企业微信群机器人"),
        ({"name": "  "}, "name", "渠道名称"),
    ],
)
def test_a_bad_channel_is_refused_naming_the_problem(lw, extra, field, words):
    with pytest.raises(ValidationError) as error:
        make(lw, **extra)
    assert words in " ".join(error.value.message_dict[field])
    assert not NotificationChannel.objects.exists() and not AuditLog.objects.filter(action="channel_create").exists()


def test_a_unit_of_another_jurisdiction_is_refused(lw):
    with pytest.raises(ValidationError) as error:
        make(lw, unit=lw.unit_c)
    assert "不属于" in error.value.message_dict["unit"][0]
    channel = make(lw)
    with pytest.raises(ValidationError):
        channel_update(actor=None, channel=channel, data={"unit": lw.unit_c})
    with pytest.raises(ValidationError):
        channel_update(actor=None, channel=channel, data={"jurisdiction": lw.county})


@pytest.fixture
def clerk(lw):
    """A 督查室 clerk of the city with the demo's admin permissions for channels."""
    from duban.accounts.services import person_link_user

    user = user_create(actor=None, username="clerk", password="clerk-pass-2020", is_staff=True)
    person_link_user(actor=None, person=lw.users["office_city"].person, user=user)
    user_grant(
        actor=None,
        user=user,
        permissions=[
            "ledger.view_notificationchannel",
            "ledger.add_notificationchannel",
            "ledger.change_notificationchannel",
        ],
    )
    return user


def form(lw, **extra):
    data = {
        "jurisdiction": lw.city.pk,
        "unit": lw.unit_a.pk,
        "kind": "dingtalk",
        "name": "卫健体委督办群",
        "url": DINGTALK,
        "secret": SECRET,
        "active": "on",
    }
    return {**data, **extra}


def test_the_admin_form_goes_through_the_service_and_never_shows_the_secret(client, lw, clerk):
    client.force_login(clerk)
    response = client.post(reverse("admin:ledger_notificationchannel_add"), form(lw))
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = NotificationChannel.objects.get()
    assert channel.secret == SECRET
    assert AuditLog.objects.get(action="channel_create").actor == clerk
    change = reverse("admin:ledger_notificationchannel_change", args=[channel.pk])
    page = client.get(change).content.decode()
    assert SECRET not in page
    # Left empty, the secret stays; a new one replaces it; 清除 removes it.
    client.post(change, form(lw, secret="", jurisdiction="", name="改名督办群"))
    channel.refresh_from_db()
    assert (channel.name, channel.secret) == ("改名督办群", SECRET)
    client.post(change, form(lw, secret="SECnew", jurisdiction=""))
    channel.refresh_from_db()
    assert channel.secret == "SECnew"
    client.post(change, form(lw, secret="", clear_secret="on", jurisdiction=""))
    channel.refresh_from_db()
    assert channel.secret == ""
    assert AuditLog.objects.filter(action="channel_update", object_id=str(channel.pk)).count() == 3


def test_the_admin_form_shows_the_services_refusal(client, lw, clerk):
    client.force_login(clerk)
    response = client.post(reverse("admin:ledger_notificationchannel_add"), form(lw, kind="wecom"))
    assert response.status_code == 200 and "企业微信群机器人没有加签密钥" in response.content.decode()
    assert not NotificationChannel.objects.exists()


def test_a_clerk_cannot_add_a_channel_to_another_jurisdiction(client, lw, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:ledger_notificationchannel_add"), form(lw, jurisdiction=lw.county.pk, unit=lw.unit_c.pk)
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not NotificationChannel.objects.exists()
