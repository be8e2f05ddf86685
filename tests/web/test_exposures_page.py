"""公开曝光 on its own public page: the page reads one page of rows in SQL, so its queries do not grow
with the number of exposures."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import build_world, decide

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_exposures_page_costs_the_same_at_5_and_50_exposures(client):
    w = build_world()
    for day in range(5):
        decide(w, f"2020-06-{day + 1:02d}", ["公开曝光"], responsible={})
    decide(w, "2020-06-20", ["通报批评"], responsible={})  # not public: never listed
    url = f"/exposures/?j={w.city.code}"
    few = _queries(client, url)
    page = client.get(url).content.decode()
    assert page.count("公开曝光（第五条第（四）项）") == 5 and "通报批评" not in page.split("<tbody>")[1]
    for day in range(45):
        decide(w, f"2020-{7 + day // 28:02d}-{day % 28 + 1:02d}", ["公开曝光"], responsible={})
    assert _queries(client, url) == few
    assert "共 50 条" in client.get(url).content.decode()
