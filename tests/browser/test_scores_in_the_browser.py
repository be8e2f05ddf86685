"""Why my score, in chromium, on the demo: the 联络员 of 市卫健体委 goes from the workbench to the unit's month
and year and reads each deduction's decision and article; on a phone (390 px) the page fits the screen; the
person held accountable opens 我的结果 from the header; the office downloads the ranking's Excel in one click.
Screenshots in artifacts/screenshots/scores-*.png."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from duban.web.demo import load_demo
from tests.browser.conftest import ARTIFACTS, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
PHONE = 390


def _watch_policy(page) -> list[str]:
    refusals: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refusals.append(message.text))
    return refusals


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"scores-{name}.png"), full_page=True)


def test_the_liaison_goes_from_the_workbench_to_each_deduction_and_its_article(page):
    load_demo()
    refusals = _watch_policy(page)
    sign_in(page, "lianluoyuan", PASSWORD)
    page.click("text=扣分明细（每一分的依据）")
    page.wait_for_url("**/scores/units/*/2020-11/")
    assert "市卫健体委 2020-11 督查事项月排名积分" in page.locator("h2").inner_text()
    _shot(page, "1-liaison-month-2020-11")

    page.click("nav.period-nav >> text=07月")
    page.wait_for_url("**/2020-07/")
    summary = page.locator("dl.score-summary").inner_text()
    assert "90" in summary and "第 45 名" in summary
    block = page.locator("article.consequence").first
    text = block.inner_text()
    assert "−10 分" in text and "工作约谈" in text and "第九条第（五）项" in text and "第九条第（七）项" in text
    assert "consequences.unit_points.monthly.工作约谈" in text and "累计由20分增至30分" in text
    _shot(page, "2-liaison-month-2020-07")

    page.click("nav.period-nav >> text=2020年度考核")
    page.wait_for_url("**/2020/")
    assert page.locator("article.consequence:not(.reversed)", has_text="限期整改并上报整改结果").count() == 1
    _shot(page, "3-liaison-year-2020")
    assert refusals == []


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": PHONE, "height": 844}, device_scale_factor=2, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_on_a_phone_the_units_page_and_my_consequences_fit_the_screen(phone):
    load_demo()
    refusals = _watch_policy(phone)
    sign_in(phone, "lianluoyuan", PASSWORD)
    phone.click("text=扣分明细（每一分的依据）")
    phone.wait_for_url("**/scores/units/*/2020-11/")
    phone.goto(phone.url.replace("2020-11", "2020-07"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    box = phone.locator("article.consequence").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    _shot(phone, "4-phone-liaison-month-2020-07")

    phone.click("form.logout button")
    sign_in(phone, "beiwenze", PASSWORD)  # 何文博, 承办人员 of 市卫健体委
    phone.click("header.site nav >> text=我的结果")
    phone.wait_for_url("**/scores/mine/")
    text = phone.locator("main").inner_text()
    assert "2020-07、2020-11" in text  # the months of 平时考核奖 withheld
    assert "第九条第（五）项" in text and "申诉期限" in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    _shot(phone, "5-phone-my-consequences")
    assert refusals == []


def test_the_office_downloads_the_rankings_excel_in_one_click(page, tmp_path):
    load_demo()
    sign_in(page, "duchashi", PASSWORD)
    page.goto("/?month=2020-07")
    _shot(page, "6-office-ranking-with-excel")
    with page.expect_download() as download:
        page.click("text=导出 Excel（排名与扣分明细）")
    assert download.value.suggested_filename == "驻马店市2020-07督查事项月排名积分.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    details = [row for row in book["扣分明细"].iter_rows(min_row=3, values_only=True) if isinstance(row[1], int)]
    assert {(row[0], row[1]) for row in details} == {("市卫健体委", 10), ("市公安局", 10)}
