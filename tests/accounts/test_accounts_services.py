"""accounts services: validated writes, each with its audit row in the same transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from duban.accounts import services
from duban.accounts.append_only import AppendOnlyError
from duban.accounts.models import AuditLog, Unit
from duban.accounts.selectors import jurisdiction_default, unit_find
from duban.accounts.services import jurisdiction_create, person_create, unit_create, unit_update, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return user_create(actor=None, username="clerk", password="x-very-long-1")


@pytest.fixture
def city(actor):
    return jurisdiction_create(actor=actor, code="zhumadian", name="驻马店市")


def test_jurisdiction_create_defaults_rulebook_and_audits(actor):
    city = jurisdiction_create(actor=actor, code="zhumadian", name="驻马店市")
    assert city.rulebook_code == "zhumadian"
    log = AuditLog.objects.get(action="jurisdiction_create")
    assert log.actor == actor
    assert log.actor_label == "clerk"
    assert log.object_type == "accounts.Jurisdiction"
    assert log.object_id == str(city.pk)
    assert log.before is None
    assert log.after["code"] == "zhumadian"
    assert log.after["name"] == "驻马店市"


def test_county_needs_a_parent_and_may_adopt_the_city_rulebook(actor, city):
    with pytest.raises(ValidationError) as excinfo:
        jurisdiction_create(actor=actor, code="yicheng", name="驿城区", level="county")
    assert excinfo.value.message_dict == {"parent": ["县区级辖区必须指定上级辖区"]}
    county = jurisdiction_create(
        actor=actor, code="yicheng", name="驿城区", level="county", parent=city, rulebook_code="zhumadian"
    )
    assert (county.parent, county.rulebook_code) == (city, "zhumadian")
    # With a county around, the default jurisdiction is still the only top-level one.
    assert jurisdiction_default() == city


def test_unit_update_records_before_and_after(actor, city):
    unit = unit_create(actor=actor, jurisdiction=city, name="市卫健体委", aliases=["市卫健委"])
    unit = unit_update(
        actor=actor, unit=unit, data={"civilized": "province", "aliases": ["市卫健委", "市卫生健康体育委员会"]}
    )
    log = AuditLog.objects.get(action="unit_update")
    assert log.before["civilized"] == "none"
    assert log.after["civilized"] == "province"
    assert log.after["aliases"] == ["市卫健委", "市卫生健康体育委员会"]
    assert unit_find(jurisdiction=city, name="市卫生健康体育委员会") == unit


def test_unit_update_refuses_unknown_fields(actor, city):
    unit = unit_create(actor=actor, jurisdiction=city, name="市教育局")
    with pytest.raises(ValidationError) as excinfo:
        unit_update(actor=actor, unit=unit, data={"jurisdiction": None})
    assert "不能修改字段：jurisdiction" in excinfo.value.message_dict["jurisdiction"][0]


def test_liaison_supervisor_must_be_a_second_level_supervisor(actor, city):
    first = person_create(actor=actor, jurisdiction=city, name="一级督查甲", role="一级督查")
    with pytest.raises(ValidationError) as excinfo:
        unit_create(actor=actor, jurisdiction=city, name="市教育局", liaison_supervisor=first)
    assert excinfo.value.message_dict["liaison_supervisor"] == ["一级督查甲的角色是一级督查，不是二级督查"]
    assert not Unit.objects.exists()


def test_a_failing_service_writes_neither_the_row_nor_the_audit(actor, city):
    unit_create(actor=actor, jurisdiction=city, name="市教育局")
    before = (Unit.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError):
        unit_create(actor=actor, jurisdiction=city, name="市教育局")  # same name, same jurisdiction
    assert (Unit.objects.count(), AuditLog.objects.count()) == before


def test_the_write_rolls_back_when_its_audit_row_fails(actor, city, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        unit_create(actor=actor, jurisdiction=city, name="市公安局")
    assert not Unit.objects.filter(name="市公安局").exists()


def test_user_create_never_logs_the_password(actor):
    user_create(actor=actor, username="staff1", password="s3cret-pass-word", is_staff=True)
    log = AuditLog.objects.get(action="user_create", object_id__isnull=False, after__username="staff1")
    assert "password" not in log.after
    assert log.after["is_staff"] is True


def test_writes_without_a_user_are_labelled_system():
    from django.contrib.auth.models import AnonymousUser

    jurisdiction_create(actor=None, code="zhumadian", name="驻马店市")
    jurisdiction_create(actor=AnonymousUser(), code="other", name="其他市")
    labels = list(AuditLog.objects.order_by("pk").values_list("actor_id", "actor_label"))
    assert labels == [(None, "系统"), (None, "系统")]


def test_audit_log_is_append_only(city):
    log = AuditLog.objects.first()
    log.action = "tampered"
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=log.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=log.pk).action == "jurisdiction_create"


@pytest.mark.parametrize("blank", ["\u200b", "\u3000", "\ufeff\u2060"])
def test_a_required_name_of_invisible_characters_is_refused(city, actor, blank):
    before = (AuditLog.objects.count(), Unit.objects.count())
    with pytest.raises(ValidationError) as error:
        unit_create(actor=actor, jurisdiction=city, name=blank)
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        person_create(actor=actor, jurisdiction=city, name=blank, role="联络员")
    unit = unit_create(actor=actor, jurisdiction=city, name="市教育局")
    with pytest.raises(ValidationError):
        unit_update(actor=actor, unit=unit, data={"name": blank})
    assert (AuditLog.objects.count(), Unit.objects.count()) == (before[0] + 1, before[1] + 1)
