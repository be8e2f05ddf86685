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
    for app, model in MODELS[:3] + MODELS[4:6]:
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
    before = (Decision.objects.count(), AuditLog.objects.count())
    response = admin_client.post(
        reverse("admin:accountability_decision_add"),
        {
            "jurisdiction": world.city.pk,
            "matter": world.m1.pk,
            "unit": world.cgj.pk,
            "date": "2020-05-12",
            "situation_number": 23,
            "methods": ["通报批评"],
            "subject": "unit",
        },
    )
    assert response.status_code == 200
    assert "问责情形应为第六条第1至22项，收到：23" in response.content.decode()
    assert (Decision.objects.count(), AuditLog.objects.count()) == before


def test_adding_a_decision_books_the_ledger(admin_client, world):
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
            "responsible_0": [world.handler.pk],
            "responsible_3": [world.principal.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    assert sorted(decision.responsibles.values_list("role", flat=True)) == ["单位主要领导", "承办人员"]
    assert ConsequenceEntry.objects.filter(decision=decision, effect="monthly").get().value == 30
    assert AuditLog.objects.get(action="decision_create").actor == admin_client.admin_user


def test_transitions_from_the_change_page(admin_client, world):
    decision = decide(world, "2020-07-20", ["工作约谈"])
    url = reverse("admin:accountability_decision_change", args=[decision.pk])
    page = admin_client.get(url).content.decode()
    assert "申诉（第八条第（三）项）；容错免责（第七条）" in page

    refused = admin_client.post(url, {"transition": "revoke"})
    assert "问责决定当前状态为“生效”，不能撤销" in refused.content.decode()

    assert admin_client.post(url, {"transition": "appeal", "filed_on": "2020-07-25"}).status_code == 302
    assert admin_client.post(url, {"transition": "revoke", "reason": "证据不足"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "revoked"
    assert sum(ConsequenceEntry.objects.filter(decision=decision).values_list("value", flat=True)) == 0
    assert AuditLog.objects.get(action="decision_revoke").after["reason"] == "证据不足"
