"""The frame's own pages, every role: the public ranking and 问责办法, the workbench, the annual assessment,
the admin.

(The ledger's and the cases' pages have their matrices in tests/ledger and tests/accountability.)
"""

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.services import person_create, unit_create, user_add_role
from tests.factories import county_create, login_create

ROLES = ["anonymous", "office", "office_county", "erji", "zongducha", "committee", "liaison", "party", "admin"]

# page → the roles that get it (200); the others: anonymous → login (302), signed-in → 403 / admin login (302)
ALLOWED = {
    "/": set(ROLES),
    "/cases/rulebook/": set(ROLES),  # the 办法 in force is a public document, like the gazette that printed it
    "/workbench/": set(ROLES) - {"anonymous"},
    "/assessment/?year=2020": {"office", "office_county", "erji", "zongducha", "committee", "admin"},
    "/admin/": {"admin"},
}


@pytest.fixture
def users(city):
    county = county_create(city)
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    User = get_user_model()

    def login(name, jurisdiction, role, unit=None):
        person = person_create(actor=None, jurisdiction=jurisdiction, name=name, role=role, unit=unit)
        return login_create(name, person, password="pw-matrix-2020")

    made = {
        "office": login("office", city, "督查室工作人员"),
        "office_county": login("office_county", county, "督查室工作人员"),
        "erji": login("erji", city, "二级督查"),
        "zongducha": login("zongducha", city, "总督查"),
        "committee": login("committee", city, "督查室工作人员"),
        "liaison": login("liaison", city, "联络员", unit),
        "party": login("party", city, "承办人员", unit),
        "admin": User.objects.create_superuser("admin", "admin@example.org", "pw-admin-2020"),
    }
    made["committee"].groups.clear()
    user_add_role(actor=None, user=made["committee"], role="督查落实委员会")
    return made


@pytest.mark.parametrize("path", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_frame_page_access(client, users, role, path):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(path)
    if role in ALLOWED[path]:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role == "anonymous" or path == "/admin/":
        assert response.status_code == 302 and "login" in response.url, (role, path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)
