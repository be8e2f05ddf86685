"""The annual assessment page and the public exposure list, on the demo data."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

# `demo` (tests/conftest.py): the demo loaded once for this module; its tests only read it.


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_office_sees_units_and_people(client, demo):
    login(client, "duchashi")
    page = client.get("/assessment/?year=2020").content.decode()
    assert "驻马店市 2020年度综合目标考核（加减分事项）" in page
    assert "个人结果运用（2020年）" in page
    assert "扣除平时考核奖" in page


def test_a_liaison_supervisor_sees_units_but_not_people(client, demo):
    login(client, "erji")
    page = client.get("/assessment/?year=2020").content.decode()
    assert "年度综合目标考核" in page and "个人结果运用" not in page


@pytest.mark.parametrize("username", ["lianluoyuan", "beiwenze"])
def test_units_and_their_people_cannot_read_the_assessment(client, demo, username):
    login(client, username)
    assert client.get("/assessment/").status_code == 403


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get("/assessment/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_public_page_lists_the_years_public_exposures(client, demo):
    page = client.get("/?month=2020-11").content.decode()
    assert "2020年公开曝光" in page
    rows = page.split("2020年公开曝光")[1]
    assert "第九条第（三）项" in rows or "第五条第（四）项" in rows
