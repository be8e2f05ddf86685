"""Who reads a unit's score page (单位得分明细, month and year) and their own consequences (我的问责结果): every
role of the accountability cast and the unit's leader, on their own unit, another unit of the city and a unit
of another jurisdiction. A unit's page is its 联络员's and leaders', its own 二级督查's and 一级督查's, the chain's
top (副总督查, 总督查, the committee), the office's and the administrator's; a county's staff read their county."""

from __future__ import annotations

import pytest

from tests.accountability.accountability_cast import CAST_ROLES, build_cast
from tests.factories import decide, login_create

ROLES = [*CAST_ROLES, "unit_leader"]
TOP = {"office", "fuzong", "zongducha", "committee", "admin"}

# Whose unit: 市城管局 (the cast's unit: erji_unit and yiji supervise it, liaison_unit and unit_leader work there,
# party and other_staff do not lead it), 市教育局 (erji_unit supervises it too; liaison_other and other_staff work
# there), 驿城区住建局 (the county's).
ALLOWED = {
    "own unit": TOP | {"erji_unit", "yiji", "liaison_unit", "unit_leader"},
    "other unit": TOP | {"erji_unit", "liaison_other"},
    "other jurisdiction": {"county_office", "admin"},
}


@pytest.fixture
def world(db):
    cast = build_cast()
    cast.users["unit_leader"] = login_create("unit_leader", cast.world.leader, password="pw-leader-2020")
    decide(cast.world, "2020-06-03", ["通报批评"])
    units = {"own unit": cast.world.cgj, "other unit": cast.world.jyj, "other jurisdiction": cast.county_unit}
    return cast, units


@pytest.mark.parametrize("period", ["2020-06", "2020"])
@pytest.mark.parametrize("whose", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_a_units_score_page(client, world, role, whose, period):
    cast, units = world
    if cast.users[role] is not None:
        client.force_login(cast.users[role])
    response = client.get(f"/scores/units/{units[whose].pk}/{period}/")
    if role in ALLOWED[whose]:
        assert response.status_code == 200, (role, whose, response.status_code)
    elif role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    else:
        assert response.status_code == 403, (role, whose, response.status_code)
        assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_my_consequences_is_everyones_own_page(client, world, role):
    cast, _ = world
    if cast.users[role] is not None:
        client.force_login(cast.users[role])
    response = client.get("/scores/mine/")
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    elif role == "admin":  # acts for no person: has no consequences of their own
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        # In the header of those it has something for: here the people the June decision names.
        in_header = 'href="/scores/mine/"' in response.content.decode()
        assert in_header == (role in {"party", "unit_leader"}), role


@pytest.mark.parametrize("role", ROLES)
def test_a_unit_name_in_the_ranking_links_to_its_page_only_for_its_readers(client, world, role):
    cast, units = world
    if cast.users[role] is not None:
        client.force_login(cast.users[role])
    page = client.get("/?j=zhumadian&month=2020-06").content.decode()
    for whose in ("own unit", "other unit"):
        linked = f'href="/scores/units/{units[whose].pk}/2020-06/"' in page
        # The county's office reads the city's public ranking but not its units' pages.
        assert linked == (role in ALLOWED[whose] and role != "county_office"), (role, whose)


@pytest.mark.parametrize(
    "role, linked",
    [
        ("office", {"own unit", "other unit"}),
        ("erji_unit", {"own unit", "other unit"}),  # supervises both
        ("yiji", {"own unit"}),
        ("erji_other", set()),  # reads the assessment, supervises neither
    ],
)
def test_an_assessment_row_links_to_the_units_year_for_its_readers(client, world, role, linked):
    cast, units = world
    client.force_login(cast.users[role])
    page = client.get("/assessment/?year=2020").content.decode()
    for whose in ("own unit", "other unit"):
        assert (f'href="/scores/units/{units[whose].pk}/2020/"' in page) == (whose in linked), (role, whose)
