"""The admin in Chinese: every page opens; its saves go through the services; the ledger and audit
log cannot be edited there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accountability.models import Decision
from duban.accounts.models import AuditLog, Unit
from duban.accounts.services import user_create
from duban.scoring.models import ConsequenceEntry
from tests.factories import decide

pytestmark = pytest.mark.django_db

MODELS = [
    ("accounts", "jurisdiction"),
    ("accounts", "unit"),
    ("accounts", "person"),
    ("accounts", "auditlog"),
    ("accountability", "matter"),
    ("accountability", "decision"),
    ("scoring", "consequenceentry"),
]


@pytest.fixture
def admin_client(client, world):
    admin = user_create(actor=None, username="boss", password="boss-pass-1234", is_superuser=True)
    client.force_login(admin)
    client.admin_user = admin
    return client


@pytest.mark.parametrize("app, model", MODELS)
def test_changelists_open_in_chinese(admin_client, world, app, model):
    decide(world, "2020-05-12", ["通报批评"])
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    assert "督办 · 督查落实管理平台" in response.content.decode()


def test_add_pages_open(admin_client):
    for app, model in [*MODELS[:3], MODELS[4]]:
        assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


def test_ledger_and_audit_log_are_read_only(admin_client, world):
    decide(world, "2020-05-12", ["通报批评"])
    entry = ConsequenceEntry.objects.first()
    assert admin_client.get(reverse("admin:scoring_consequenceentry_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_auditlog_add")).status_code == 403
    view = admin_client.get(reverse("admin:scoring_consequenceentry_change", args=[entry.pk]))
    assert view.status_code == 200 and "<form" in view.content.decode() and 'name="_save"' not in view.content.decode()
    assert (
        admin_client.post(
            reverse("admin:scoring_consequenceentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ConsequenceEntry.objects.filter(pk=entry.pk).exists()


def test_adding_a_unit_goes_through_the_service(admin_client, world):
    response = admin_client.post(
        reverse("admin:accounts_unit_add"),
        {
            "jurisdiction": world.city.pk,
            "name": "市公安局",
            "short_name": "",
            "aliases": '["公安局"]',
            "civilized": "none",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(name="市公安局")
    log = AuditLog.objects.get(action="unit_create", object_id=str(unit.pk))
    assert log.actor == admin_client.admin_user
    assert log.after["aliases"] == ["公安局"]


def test_a_service_refusal_shows_on_the_form(admin_client, world):
    before = AuditLog.objects.count()
    response = admin_client.post(
        reverse("admin:accounts_unit_add"),
        {
            "jurisdiction": world.city.pk,
            "name": "市公安局",
            "aliases": '["公安局"]',
            "civilized": "none",
            "liaison_supervisor": world.chief.pk,  # a 一级督查, not a 二级督查
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "的角色是一级督查，不是二级督查" in response.content.decode()
    assert AuditLog.objects.count() == before and not Unit.objects.filter(name="市公安局").exists()


# --- the back doors, closed: no decision is made, exempted or revoked in the admin -----------------------


def test_no_decision_can_be_added_in_the_admin_even_by_the_administrator(admin_client, world):
    before = (Decision.objects.count(), ConsequenceEntry.objects.count(), AuditLog.objects.count())
    assert admin_client.get(reverse("admin:accountability_decision_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:accountability_decision_add"),
        {
            "jurisdiction": world.city.pk,
            "matter": world.m1.pk,
            "unit": world.cgj.pk,
            "date": "2020-07-20",
            "situation_number": 11,
            "methods": ["工作约谈"],
            "subject": "unit",
        },
    )
    assert response.status_code == 403
    assert (Decision.objects.count(), ConsequenceEntry.objects.count(), AuditLog.objects.count()) == before


def test_a_decision_is_shown_read_only_and_no_post_changes_its_status(admin_client, world):
    decision = decide(world, "2020-07-20", ["工作约谈"])
    url = reverse("admin:accountability_decision_change", args=[decision.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page and "工作约谈" in page
    for data in (
        {"transition": "exempt", "exemption_ground_number": "4"},
        {"transition": "revoke"},
        {"status": "revoked"},
    ):
        assert admin_client.post(url, data).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:accountability_decision_delete", args=[decision.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    decision.refresh_from_db()
    assert decision.status == "effective"
    assert (
        sum(ConsequenceEntry.objects.filter(decision=decision, effect="monthly").values_list("value", flat=True)) == 30
    )
