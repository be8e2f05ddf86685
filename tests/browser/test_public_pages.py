"""In a real browser: the public ranking shows deductions, and a clerk signs in to the workbench."""

from __future__ import annotations

import pytest

from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_ranking_and_sign_in(page, login, screenshot):
    load_demo()
    page.goto("/?month=2020-07")
    heading = page.locator("h2").first.inner_text()
    assert "2020-07 督查事项月排名积分" in heading
    deducted = page.locator("tr.deducted").all_inner_texts()
    assert any("市卫健体委" in row and "90" in row for row in deducted), deducted
    screenshot("public-ranking-2020-07")

    login("duchashi", "duban-demo-2020")
    assert "工作台" in page.locator("h2").first.inner_text()
    assert "周静" in page.content()
    screenshot("workbench-office")


def test_wrong_password_shows_a_chinese_error(page):
    page.goto("/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.content()
