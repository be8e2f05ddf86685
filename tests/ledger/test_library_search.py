"""The 公文库's search: Chinese words (jieba, FTS), unit short names and aliases of the 机构名录 as search words,
snippets with the words marked, filters by issuer, year and kind; in SQL, a page at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accounts.services import person_create, unit_directory_load
from duban.ledger.ingest import issue_ingest
from duban.ledger.library import LibraryFilters, library_documents
from duban.ledger.search import highlight, library_query
from tests.factories import login_create

pytestmark = pytest.mark.django_db


def _doc(title, text, *, issuer="驻马店市人民政府", date="2020-04-20", kind="通知", doc_no=""):
    return {
        "doc_no": doc_no,
        "title": title,
        "issuer": issuer,
        "date": date,
        "kind": kind,
        "text": text,
        "tasks": [],
        "targets": [],
        "deadlines": [],
    }


SHORT = _doc("关于健康城市建设的通知", "由市卫健体委牵头，开展健康城市建设。", doc_no="驻政〔2020〕1号")
FULL = _doc(
    "关于体育设施的意见",
    "请驻马店市卫生健康体育委员会会同有关部门推进全民健身设施建设。",
    kind="意见",
    date="2019-11-02",
    doc_no="驻政〔2019〕9号",
)
OTHER = _doc(
    "关于殡葬改革的通知",
    "深化殡葬改革，推行节地生态安葬。<script>alert(1)</script>",
    issuer="驻马店市人民政府办公室",
    doc_no="驻政办〔2020〕3号",
)


@pytest.fixture
def library(city):
    unit_directory_load(actor=None, jurisdiction=city)
    issue_ingest(
        actor=None,
        jurisdiction=city,
        source_name="library.txt",
        content=b"library",
        extraction={"source": "library.txt", "issue": {"title": "公报"}, "documents": [SHORT, FULL, OTHER]},
    )
    return city


def titles(city, **filters) -> list[str]:
    return [d.title for d in library_documents(city, LibraryFilters(**filters)).documents]


def test_a_unit_s_short_name_finds_the_documents_that_write_any_of_its_names(library):
    assert set(titles(library, q="卫健体委")) == {SHORT["title"], FULL["title"]}
    assert set(titles(library, q="市卫生健康体育委员会")) == {SHORT["title"], FULL["title"]}


def test_words_are_searched_in_chinese(library):
    assert titles(library, q="殡葬改革") == [OTHER["title"]]
    assert titles(library, q="殡葬 卫健体委") == []  # every word must match
    assert titles(library, q="健康城市 卫健体委") == [SHORT["title"]]
    assert titles(library, q="不存在的词语") == []


def test_the_query_s_terms_are_the_unit_s_names_longest_first(library):
    terms = library_query("卫健体委", library).terms
    assert terms[0] == "驻马店市卫生健康体育委员会" and "市卫健体委" in terms and "卫健体委" in terms


def test_snippets_mark_the_words_and_escape_the_text(library, client):
    person = person_create(actor=None, jurisdiction=library, name="周静", role="督查室工作人员")
    client.force_login(login_create("office", person, password="pw-12345678"))
    page = client.get(reverse("ledger:library") + "?q=卫健体委").content.decode()
    assert "<mark>市卫健体委</mark>牵头" in page
    assert "<mark>驻马店市卫生健康体育委员会</mark>会同" in page
    page = client.get(reverse("ledger:library") + "?q=殡葬").content.decode()
    assert "<mark>殡葬</mark>改革" in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_highlight_escapes_everything_but_its_marks():
    assert highlight("<b>殡葬</b>改革", ["殡葬"]) == "&lt;b&gt;<mark>殡葬</mark>&lt;/b&gt;改革"


def test_filters_by_issuer_year_and_kind(library):
    assert titles(library, issuer="驻马店市人民政府办公室") == [OTHER["title"]]
    assert set(titles(library, year=2020)) == {SHORT["title"], OTHER["title"]}
    assert titles(library, kind="意见") == [FULL["title"]]
    assert titles(library, q="卫健体委", year=2019) == [FULL["title"]]


def test_the_list_page_loads_no_full_text(library, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = person_create(actor=None, jurisdiction=library, name="周静", role="督查室工作人员")
    client.force_login(login_create("office", person, password="pw-12345678"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ledger:library") + "?q=卫健体委&year=2019")
    assert response.status_code == 200
    document_selects = [q["sql"] for q in queries if 'FROM "ledger_document"' in q["sql"] and "SUBSTR" in q["sql"]]
    assert document_selects, "the snippet is cut by the database"
    for sql in document_selects:
        columns = sql.split("COALESCE(", 1)[0]  # the columns fetched, before the computed ones
        assert '"ledger_document"."title"' in columns
        assert '"full_text"' not in columns and '"search_tokens"' not in columns


def test_a_bad_filter_is_named_not_a_500(library, client):
    person = person_create(actor=None, jurisdiction=library, name="周静", role="督查室工作人员")
    client.force_login(login_create("office", person, password="pw-12345678"))
    page = client.get(reverse("ledger:library") + "?year=２０２０&issuer=不存在&page=x").content.decode()
    assert "年份“２０２０”无效" in page and "发文机关“不存在”不在公文库中" in page


def test_the_library_is_paged_with_the_filters_kept(library, client, monkeypatch):
    from duban.ledger import documents_views

    monkeypatch.setattr(documents_views, "PER_PAGE", 1)
    person = person_create(actor=None, jurisdiction=library, name="周静", role="督查室工作人员")
    client.force_login(login_create("office", person, password="pw-12345678"))
    page = client.get(reverse("ledger:library") + "?q=卫健体委").content.decode()
    assert "第 1 / 2 页" in page and "q=%E5%8D%AB%E5%81%A5%E4%BD%93%E5%A7%94&amp;page=2" in page
    page = client.get(reverse("ledger:library") + "?q=卫健体委&page=2").content.decode()
    assert "第 2 / 2 页" in page and page.count('<article class="hit">') == 1
