"""load_demo: demo/*.yaml through the services, idempotent, covering every method and status."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from duban.accountability.models import Decision
from duban.accounts.models import AuditLog, Jurisdiction, Person, Unit
from duban.rules.loader import load_rulebooks
from duban.scoring.models import ConsequenceEntry
from duban.scoring.selectors import monthly_ranking
from duban.web.demo import load_demo
from tests.once import built_once

pytestmark = pytest.mark.django_db

ALL_METHODS = set(load_rulebooks("zhumadian").latest().method_names)  # 第五条, as the rulebook states it


def snapshot():
    return tuple(model.objects.count() for model in (Jurisdiction, Unit, Person, Decision, ConsequenceEntry, AuditLog))


def test_load_demo_is_idempotent_and_complete(capsys):
    call_command("load_demo")
    assert capsys.readouterr().out.startswith("已载入演示数据：辖区 2，")
    first = snapshot()
    call_command("load_demo")
    assert capsys.readouterr().out.strip() == "演示数据已存在，未作改动。"
    assert snapshot() == first

    city = Jurisdiction.objects.get(code="zhumadian")
    county = Jurisdiction.objects.get(code="yicheng")
    assert (county.parent, county.rulebook_code) == (city, "yicheng")  # 第八条: the county runs its own
    assert Unit.objects.filter(jurisdiction=city).count() >= 30
    assert Unit.objects.filter(vertically_managed=True).exists()
    assert set(Unit.objects.values_list("civilized", flat=True)) == {"none", "city", "province", "national"}
    health = Unit.objects.get(short_name="市卫健体委")  # the directory's unit, the demo's short name
    assert health.name == "驻马店市卫生健康体育委员会" and {"市卫健委", "市卫生健康体育委员会"} <= set(health.aliases)

    decisions = Decision.objects.all()
    assert 14 <= decisions.count() <= 20
    assert {m for d in decisions for m in d.methods} == ALL_METHODS
    assert set(decisions.values_list("status", flat=True)) == {"effective", "under_appeal", "exempted", "revoked"}
    assert {d.date.month for d in decisions if d.date.year == 2020} == set(range(5, 12))
    assert decisions.filter(jurisdiction=county).exists()
    # Everything went through the services: the decisions made before duban (demo/decisions.yaml) are
    # 历史导入 by the 督查室 clerk, with their source document; those of the 第八条 chain are made by the
    # committee's approval (demo_cases).
    imported = set(AuditLog.objects.filter(action="decision_import").values_list("actor_label", flat=True))
    assert imported == {"duchashi"}
    assert set(AuditLog.objects.filter(action="decision_create").values_list("actor_label", flat=True)) == {
        "weiyuanhui"
    }
    assert all(d.is_historical for d in decisions if not d.cases.exists())
    assert not any(d.is_historical for d in decisions if d.cases.exists())
    assert AuditLog.objects.filter(action__in=["decision_revoke", "decision_exempt", "decision_uphold"]).count() == 3


def test_demo_banner_prints_url_and_logins(capsys):
    call_command("demo_banner")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000" in out
    assert "admin / duban-admin-2020" in out
    assert "duchashi / duban-demo-2020" in out
    assert "系统日期" not in out  # the real date: nothing to say


def test_demo_banner_names_the_port_and_the_demos_date(capsys, settings):
    settings.DUBAN_TODAY = "2020-12-10"
    call_command("demo_banner", "--port", "8001")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8001/admin/" in out and "系统日期：2020年12月10日" in out


class TestTheLoadedDemo:
    """What the demo shows, read from one load shared by the class (the test above loads its own)."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, django_db_setup, django_db_blocker):
        """tests/conftest.py's `demo`, for this class only: the module's first test needs an empty database."""
        yield from built_once(django_db_blocker, load_demo)

    def test_demo_ranking_shows_the_max_rule_and_the_revocation(self, demo):
        city = Jurisdiction.objects.get(code="zhumadian")
        july = {str(r.unit): r for r in monthly_ranking(city, "2020-07")}
        assert (july["市卫健体委"].deducted, july["市公安局"].deducted) == (10, 10)
        august = {str(r.unit): r for r in monthly_ranking(city, "2020-08")}
        assert august["市住建局"].deducted == 0  # 工作约谈 revoked on appeal
        november = {str(r.unit): r for r in monthly_ranking(city, "2020-11")}
        assert november["市医保局"].deducted == 10  # under appeal, still executed

    def test_demo_clerk_can_work_in_the_admin(self, demo, client):
        # Through the login page: django-axes watches it for repeated failures.
        response = client.post("/login/", {"username": "duchashi", "password": "duban-demo-2020"})
        assert response.status_code == 302 and response.url == "/workbench/"
        assert client.get("/admin/accountability/decision/").status_code == 200
        assert client.get("/admin/accountability/decision/add/").status_code == 403  # decisions: the 第八条 chain
        ledger = client.get("/admin/scoring/consequenceentry/")
        assert ledger.status_code == 200
        # each row's effect in the words its rulebook declares (effects[].label), not its code
        assert "扣减督查事项月排名积分" in ledger.content.decode()
        assert client.get("/admin/accounts/jurisdiction/add/").status_code == 403
        assert client.get("/admin/auth/user/").status_code == 403  # logins are the administrator's
        # The clerk's lists are the city's only (the demo also has 驿城区).
        units = client.get("/admin/accounts/unit/?q=驿城区").content.decode()
        assert "驿城区住建局" not in units
        assert client.get("/cases/decisions/import/").status_code == 200  # 历史导入, its own permission
        page = client.get("/").content.decode()
        assert "驻马店市 2020-11 督查事项月排名积分" in page

    def test_demo_cases_show_the_chain_at_work(self, demo):
        from django.utils import timezone

        from duban.accountability.models import Appeal, Case, RectificationItem, Referral
        from duban.accountability.selectors import appeal_deadline

        cases = Case.objects.filter(jurisdiction__code="zhumadian")
        assert set(cases.filter(state="open").values_list("step", flat=True)) >= {"liaison_opinion", "chief_review"}
        returned = cases.get(matter__code="DB2020-071")
        assert (returned.step, returned.opinions.last().verdict) == ("liaison_opinion", "return")
        assert cases.filter(state="decided").count() == 2
        assert cases.filter(kind="exemption", state="open").exists()
        beiwenze = Person.objects.get(name="何文博")
        assert Appeal.objects.get(decision__person=beiwenze).outcome == "pending"
        live = Decision.objects.get(matter__code="DB2020-073")
        assert appeal_deadline(live) >= timezone.localdate()  # beiwenze may still appeal
        assert RectificationItem.objects.get(decision=live).unit.short_name == "市卫健体委"
        assert Referral.objects.filter(due_on__isnull=False, result_on__isnull=True).exists()
        assert Case.objects.filter(jurisdiction__code="yicheng", step="investigate").exists()
