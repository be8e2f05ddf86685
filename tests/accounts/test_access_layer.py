"""The one access layer (duban.accounts.access): who acts for the office, which jurisdiction a request
is in, and fetch-and-check (404 for what does not exist, 403 for what the user may not touch)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from duban.accounts.access import (
    access_by_id,
    access_office,
    access_office_or_administrator,
    request_jurisdiction,
)
from duban.accounts.models import Unit
from duban.accounts.services import jurisdiction_create, person_create, person_link_user, unit_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    city = jurisdiction_create(actor=None, code="zhumadian", name="驻马店市")
    county = jurisdiction_create(actor=None, code="yicheng", name="驿城区", level="county", parent=city)
    clerk = user_create(actor=None, username="clerk", password="clerk-pass-2020")
    person_link_user(
        actor=None, person=person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"), user=clerk
    )
    admin = user_create(actor=None, username="root", password="root-pass-2020", is_superuser=True)
    return city, county, clerk, admin


def request(user, query: str = ""):
    made = RequestFactory().get(f"/x/{query}")
    made.user = user
    return made


def test_the_office_is_the_jurisdictions_own_and_the_administrator_only_where_said(places):
    city, county, clerk, admin = places
    assert access_office(clerk, city) and not access_office(clerk, county)
    assert not access_office(admin, city)
    assert access_office_or_administrator(admin, county)
    assert access_office_or_administrator(clerk, city) and not access_office_or_administrator(clerk, county)


def test_a_person_works_in_their_own_jurisdiction_whatever_the_query_says(places):
    city, _, clerk, _ = places
    assert request_jurisdiction(request(clerk, "?j=yicheng")) == city


def test_the_administrator_and_public_pages_may_choose(places):
    city, county, _, admin = places
    assert request_jurisdiction(request(admin, "?j=yicheng")) == county
    assert request_jurisdiction(request(admin)) == city  # the one top-level jurisdiction
    assert request_jurisdiction(request(AnonymousUser(), "?j=yicheng"), public=True) == county
    assert request_jurisdiction(request(AnonymousUser(), "?j=nowhere"), public=True) == city


def test_anyone_else_is_in_no_jurisdiction(places):
    assert request_jurisdiction(request(AnonymousUser(), "?j=yicheng")) is None
    loner = user_create(actor=None, username="loner", password="loner-pass-2020")
    assert request_jurisdiction(request(loner)) is None


def test_fetch_and_check_answers_404_403_or_the_object(places):
    city, *_ = places
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    units = Unit.objects.all()
    assert access_by_id(units, unit.pk, lambda u: True) == unit
    with pytest.raises(PermissionDenied):
        access_by_id(units, unit.pk, lambda u: False)
    with pytest.raises(Http404):
        access_by_id(units, unit.pk + 1000, lambda u: True)
