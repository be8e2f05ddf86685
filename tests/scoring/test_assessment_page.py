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


def test_the_ranking_links_to_the_years_public_exposures_on_their_own_page(client, demo):
    page = client.get("/?month=2020-11").content.decode()
    assert "/exposures/?j=zhumadian&amp;year=2020" in page and "2020年公开曝光 2 起" in page
    assert "第五条第（四）项）</td>" not in page  # the list itself is on /exposures/


def test_public_exposures_have_a_public_page_with_unit_matter_date_and_article(client, demo):
    page = client.get("/exposures/?j=zhumadian&year=2020").content.decode()
    assert "驻马店市 公开曝光 · 2020年" in page
    assert "第九条第（三）项" in page and "第五条第（四）项" in page
    assert "国土空间规划编制进度" in page and "市自然资源和规划局" in page
    assert "2020-09-08" in page


def test_the_public_page_shows_no_other_decision(client, demo):
    from duban.accountability.models import Decision
    from duban.accounts.models import Jurisdiction
    from duban.scoring.selectors import public_exposures_query

    city = Jurisdiction.objects.get(code="zhumadian")
    page = client.get("/exposures/?j=zhumadian").content.decode()
    exposed = set(public_exposures_query(city).values_list("pk", flat=True))
    assert len(exposed) == 2
    hidden = Decision.objects.filter(jurisdiction=city).exclude(pk__in=exposed).select_related("matter")
    assert hidden.exists()
    for decision in hidden:
        assert (
            decision.matter.title not in page
            or Decision.objects.filter(pk__in=exposed, matter=decision.matter).exists()
        )


def test_a_year_without_exposures_says_so_and_shows_every_year(client, demo):
    response = client.get("/exposures/?j=zhumadian&year=１９")
    assert response.status_code == 200
    assert "没有公开曝光" in response.content.decode() and "显示全部年份" in response.content.decode()
