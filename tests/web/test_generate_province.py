"""manage.py generate_province: a province's data shaped as the services write it, at a small scale."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.accountability.models import Case, Decision
from duban.accountability.tallies import decision_tallies_differences
from duban.accounts.models import AuditAction, AuditLog, Jurisdiction, Person
from duban.ledger.models import ProgressReport, Task, TaskUnit
from duban.ledger.tallies import standing_changes_differences
from duban.reports.tallies import report_tallies_differences
from duban.scoring.models import ConsequenceEntry
from duban.scoring.services import ledger_sync
from duban.scoring.tallies import exposure_tally_differences
from duban.web.province import CITIES, COUNTIES_PER_CITY, generate_province
from tests.once import built_once

SCALE = 0.002


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    stages = []
    yield from built_once(
        django_db_blocker, lambda: (generate_province(scale=SCALE, progress=lambda *a: stages.append(a)), stages)
    )


def test_a_province_is_three_cities_of_five_counties_with_the_demo_city_first(province, db):
    generated, _ = province
    cities = Jurisdiction.objects.filter(parent__isnull=True).order_by("pk")
    assert cities.count() == CITIES
    assert cities.first().code == "zhumadian"  # the demo's logins stay in their city
    for city in cities:
        assert Jurisdiction.objects.filter(parent=city).count() == COUNTIES_PER_CITY
    assert generated.jurisdictions == CITIES * (1 + COUNTIES_PER_CITY)


def test_every_jurisdiction_has_a_ledger_cases_and_decisions(province, db):
    for jurisdiction in Jurisdiction.objects.all():
        tasks = Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED)
        assert tasks.exists(), jurisdiction.name
        assert ProgressReport.objects.filter(task__jurisdiction=jurisdiction).exists(), jurisdiction.name
        assert Case.objects.filter(jurisdiction=jurisdiction).exists(), jurisdiction.name
        assert Decision.objects.filter(jurisdiction=jurisdiction).exists(), jurisdiction.name


def test_each_task_is_led_by_one_unit_of_its_jurisdiction_and_reports_come_from_it(province, db):
    generated = Task.objects.exclude(jurisdiction__code__in=["zhumadian", "yicheng"])
    assert not generated.exclude(assignments__role=TaskUnit.Role.LEAD).exists()
    leads = TaskUnit.objects.filter(task__in=generated, role=TaskUnit.Role.LEAD)
    for lead in leads[:200]:
        assert lead.unit.jurisdiction_id == lead.task.jurisdiction_id
    reports = ProgressReport.objects.filter(task__in=generated)[:500]
    for report in reports:
        assert leads.filter(task_id=report.task_id, unit_id=report.unit_id).exists()


def test_the_score_ledger_is_what_the_engine_derives_so_a_sync_appends_nothing(province, db):
    assert ConsequenceEntry.objects.exists()
    for jurisdiction in Jurisdiction.objects.all():
        assert ledger_sync(jurisdiction=jurisdiction, actor=None) == [], jurisdiction.name


def test_the_counts_the_pages_read_agree_with_the_rows_written_in_bulk(province, db):
    assert decision_tallies_differences() == []
    assert standing_changes_differences() == []
    assert report_tallies_differences() == []
    assert exposure_tally_differences() == []


def test_the_demo_liaison_speaks_for_a_unit_with_decisions_and_person_decisions_name_their_people(province, db):
    liaison = Person.objects.get(user__username="lianluoyuan")
    assert Case.objects.filter(unit=liaison.unit, number__contains="-G").exists()  # generated cases
    person_decisions = Decision.objects.filter(subject=Decision.Subject.PERSON).exclude(historical_source="")
    assert person_decisions.exists()
    for decision in person_decisions[:100]:
        assert decision.responsibles.filter(person=decision.person).exists()
        assert decision.person.unit_id == decision.unit_id


def test_the_generation_is_recorded_once_in_the_audit_log_and_shows_its_progress(province, db):
    generated, stages = province
    row = AuditLog.objects.get(action=AuditAction.PROVINCE_GENERATE)
    assert row.after["scale"] == SCALE
    assert row.after["任务"] == generated.counts["任务"]
    assert stages[-1][1] == stages[-1][2] == generated.jurisdictions


def test_the_command_refuses_a_second_province_and_a_scale_out_of_range(province, db):
    for argv, words in ((["--scale", "0.01"], "已有生成的省级数据"), (["--scale", "2"], "0.01 至 1")):
        with pytest.raises(CommandError) as refused:
            call_command("generate_province", *argv, stdout=io.StringIO(), stderr=io.StringIO())
        assert refused.value.returncode == 2
        assert words in str(refused.value)
