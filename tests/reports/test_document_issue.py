"""document_issue: a 发文字号 per jurisdiction, kind and year, never reused; a subject keeps its number."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.accounts.models import AuditAction, AuditLog
from duban.reports.exports import ExportError
from duban.reports.models import IssuedDocument
from duban.reports.services import document_issue
from tests.factories import city_create, county_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(settings):
    settings.DUBAN_TODAY = dt.date(2020, 12, 10)
    return city_create()


def test_numbers_follow_each_other_per_kind_and_a_subject_keeps_its_number(city):
    first = document_issue(actor=None, jurisdiction=city, kind="ranking-notice", subject_key="2020-07", title="7月排名")
    second = document_issue(
        actor=None, jurisdiction=city, kind="ranking-notice", subject_key="2020-08", title="8月排名"
    )
    again = document_issue(actor=None, jurisdiction=city, kind="ranking-notice", subject_key="2020-07", title="7月排名")
    other_kind = document_issue(
        actor=None, jurisdiction=city, kind="criticism-notice", subject_key="decision:1", title="x"
    )
    assert (first.reference, second.reference, other_kind.reference) == (
        "驻督排〔2020〕1号",
        "驻督排〔2020〕2号",
        "驻督责〔2020〕1号",
    )
    assert again.pk == first.pk
    assert AuditLog.objects.filter(action=AuditAction.DOCUMENT_ISSUE).count() == 3  # the re-download writes nothing


def test_each_year_and_each_jurisdiction_has_its_own_sequence(city, settings):
    county = county_create(city)
    document_issue(actor=None, jurisdiction=city, kind="assessment", subject_key="2019", title="2019年考核")
    county_first = document_issue(actor=None, jurisdiction=county, kind="assessment", subject_key="2019", title="x")
    settings.DUBAN_TODAY = dt.date(2021, 1, 5)
    next_year = document_issue(actor=None, jurisdiction=city, kind="assessment", subject_key="2020", title="2020年考核")
    assert county_first.reference == "驿督考〔2020〕1号"
    assert (next_year.year, next_year.number, next_year.reference) == (2021, 1, "驻督考〔2021〕1号")


def test_a_number_is_never_reused(city):
    document_issue(actor=None, jurisdiction=city, kind="tongbao", subject_key="2020-10", title="10月通报")
    second = document_issue(actor=None, jurisdiction=city, kind="tongbao", subject_key="2020-11", title="11月通报")
    # Even were a row deleted by hand, the next number follows the highest one left, and the same
    # subject asked again is found by its key, not by a free number.
    IssuedDocument.objects.filter(number=1).delete()
    third = document_issue(actor=None, jurisdiction=city, kind="tongbao", subject_key="2020-12", title="12月通报")
    assert third.number == second.number + 1


def test_the_audit_row_says_what_was_numbered(city):
    issued = document_issue(
        actor=None, jurisdiction=city, kind="ranking-notice", subject_key="2020-07", title="7月排名"
    )
    row = AuditLog.objects.get(action=AuditAction.DOCUMENT_ISSUE)
    assert (row.object_type, row.object_id) == ("reports.IssuedDocument", str(issued.pk))
    assert row.after["reference"] == "驻督排〔2020〕1号"


def test_bad_kinds_and_empty_subjects_are_refused(city):
    with pytest.raises(ExportError, match="未知的公文种类"):
        document_issue(actor=None, jurisdiction=city, kind="nonsense", subject_key="x", title="x")
    with pytest.raises(ExportError, match="缺少事由"):
        document_issue(actor=None, jurisdiction=city, kind="tongbao", subject_key=" ", title="x")
    assert not IssuedDocument.objects.exists()
