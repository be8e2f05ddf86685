"""The home page: the current jurisdiction's monthly ranking, latest month with data."""

from __future__ import annotations

import re

import pytest

from tests.factories import decide

pytestmark = pytest.mark.django_db


def ranking_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def test_empty_database(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "还没有辖区数据" in response.content.decode()


def test_latest_month_with_data_is_shown(client, world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-07-20", ["工作约谈"])
    html = client.get("/").content.decode()
    assert "驻马店市 2020-07 督查事项月排名积分" in html
    assert ranking_rows(html) == [
        ["1", "市卫健体委", "100", "0", "100"],
        ["1", "市教育局", "100", "0", "100"],
        ["3", "市城管局", "100", "20", "80"],
    ]
    assert 'href="/login/"' in html
    assert "http" not in html.split("<body>")[1].replace("http://", "")  # no CDN assets

    html = client.get("/", {"month": "2020-05"}).content.decode()
    assert ranking_rows(html)[-1] == ["3", "市城管局", "100", "10", "90"]
