"""The charts in chromium, on the demo: every chart is an ECharts instance whose series data are the
numbers of the table under it, at desktop width and on a 390 px phone, with Chinese labels, nothing
wider than the phone and no refusal by the Content-Security-Policy. Screenshots in
artifacts/screenshots/dashboards-*.png."""

from __future__ import annotations

import pytest

from duban.web.demo import load_demo
from tests.browser.conftest import ARTIFACTS, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
PHONE = 390

# What the chart draws, read back from its ECharts instance (getOption): series by series, each with the
# category labels of its axis (or the pie's slice names, the heat map's rows).
DRAWN = """(key) => {
  const el = document.querySelector(`[data-chart="${key}"]`);
  const chart = echarts.getInstanceByDom(el);
  if (!chart) return null;
  const option = chart.getOption();
  const kind = el.className.match(/chart-(\\w+)/)[1];
  const value = (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? v.value : v);
  if (kind === "pie") {
    const data = option.series[0].data;
    return {kind, rows: data.map((d) => d.name), series: [data.map((d) => d.value)]};
  }
  if (kind === "heatmap") {
    const rows = option.yAxis[0].data;
    const columns = option.xAxis[0].data;
    const matrix = rows.map(() => columns.map(() => null));
    option.series[0].data.forEach((cell) => { matrix[cell[1]][cell[0]] = cell[2]; });
    return {kind, rows, series: matrix};
  }
  const axis = [...option.xAxis, ...option.yAxis].find((a) => a.type === "category");
  const series = option.series.map((s) => s.data.map(value));
  return {kind, axis: axis.data, names: option.series.map((s) => s.name), series};
}"""

TABLE = """(key) => {
  const table = document.querySelector(`table[data-chart-table="${key}"]`);
  const drawn = Number(table.dataset.drawn);
  const head = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  const rows = [...table.querySelectorAll("tbody tr")].map((tr) => {
    const cells = [...tr.children].map((c) => c.textContent.trim());
    return {label: cells[0], numbers: cells.slice(1, 1 + drawn)};
  });
  return {head: head.slice(1, 1 + drawn), rows, bySeries: table.dataset.rowsAreSeries === "true"};
}"""


def _number(text: str):
    return None if text == "—" else float(text)


def _check_every_chart(page) -> list[str]:
    keys = page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.chart)")
    assert keys, "no chart on the page"
    page.wait_for_function("n => document.querySelectorAll('[data-chart][data-rendered]').length === n", arg=len(keys))
    for key in keys:
        drawn = page.evaluate(DRAWN, key)
        assert drawn is not None, f"{key}: no ECharts instance"
        table = page.evaluate(TABLE, key)
        numbers = [[_number(text) for text in row["numbers"]] for row in table["rows"]]
        labels = [row["label"] for row in table["rows"]]
        series = [[None if v is None else float(v) for v in s] for s in drawn["series"]]
        if "axis" in drawn:  # bars and lines: categories on an axis, series by name
            rows, columns = (drawn["names"], drawn["axis"]) if table["bySeries"] else (drawn["axis"], drawn["names"])
            assert (rows, columns) == (labels, table["head"]), key
        else:  # a pie's slices, a heat map's rows
            assert drawn["rows"] == labels, key
        if table["bySeries"]:  # a row per series (the rank lines, the heat map)
            assert series == numbers, key
        else:  # a row per category, a column per series
            assert series == [list(column) for column in zip(*numbers, strict=True)], key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(labels)), key  # Chinese labels
    return keys


@pytest.fixture
def refusals():
    return []


def _context(browser, live_server, width: int, refusals: list):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=1, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on(
        "console", lambda m: m.type in ("error", "warning") and not _favicon(m.location) and refusals.append(m.text)
    )
    page.on("pageerror", lambda error: refusals.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and not _favicon(r) and refusals.append(f"{r.status} {r.url}"))
    return context, page


def _favicon(where) -> bool:
    """The browser asks for /favicon.ico on its own; the site has none (a 404 that is nobody's refusal)."""
    url = where.get("url", "") if isinstance(where, dict) else where.url
    return url.endswith("/favicon.ico")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboards-{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_office_charts_match_their_tables(browser, live_server, width, refusals):
    load_demo()
    context, page = _context(browser, live_server, width, refusals)
    try:
        sign_in(page, "duchashi", PASSWORD)
        page.click("header.site nav a:text-is('图表')")
        page.wait_for_url("**/dashboards/")
        keys = _check_every_chart(page)
        assert {"lights", "units", "rates", "overdue", "ranks", "groups", "methods", "appeals"} <= set(keys)
        assert {"targets-2022", "targets-2030"} <= set(keys)  # the seed's indicators
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
        for key in keys:
            box = page.locator(f'[data-chart="{key}"]').bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (key, box)
        _shot(page, f"office-{width}")
        assert refusals == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_liaisons_unit_page(browser, live_server, width, refusals):
    load_demo()
    context, page = _context(browser, live_server, width, refusals)
    try:
        sign_in(page, "lianluoyuan", PASSWORD)
        page.click("header.site nav >> text=单位统计")
        page.wait_for_url("**/dashboards/units/*/")
        assert "市卫生健康体育委员会" in page.locator("h2").inner_text()
        assert set(_check_every_chart(page)) == {"unit-lights", "unit-rank"}
        assert page.locator("table.due-reports tbody tr").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"unit-{width}")
        assert refusals == []
    finally:
        context.close()
