"""问责办法: the rulebook in force, as the 督查室 and the public read it — the article's own words
wherever the rulebook quotes them, the jurisdiction's own procedure and bodies."""

from __future__ import annotations

import pytest

from duban.accounts.services import jurisdiction_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    city = jurisdiction_create(actor=None, code="zhumadian", name="驻马店市")
    jurisdiction_create(actor=None, code="yicheng", name="驿城区", level="county", parent=city)


def test_the_city_reads_its_regulation_article_by_article(client, places):
    page = client.get("/cases/rulebook/?date=2020-06-01").content.decode()
    for words in (
        "驻政〔2020〕24号",
        "全市各级政府机关",  # 第二条
        "直接领导责任",  # 第三条
        "以上问责方式可以单独使用或合并使用",  # 第五条
        "对公开承诺服务事项不落实、不兑现的",  # 第六条
        "经认定属不可抗力造成的",  # 第七条
        "征求分管二级督查意见",
        "该单位的",
        "市委组织部",
        "市纪委监委",
        "接到督查问责意见书之日起15日内",
        "申诉期间，督查问责决定不停止执行",
        "同一事项被实施不同督查问责的，结果运用按最高分值扣除",  # 第九条第（七）项
        "单位同一事项被通报批评两次以上的（含两次）",
        "−30",  # 工作约谈, 月排名积分
        "案件信息的知悉范围",
        "督查室、督查人员（本案各环节）、被调查单位（联络员）",  # who is told a case exists
    ):
        assert words in page, words


def test_a_county_reads_its_own_procedure_and_bodies(client, places):
    page = client.get("/cases/rulebook/?j=yicheng&date=2020-06-01").content.decode()
    assert "区政府研究同意" in page and "区纪委监委" in page and "区委组织部" in page
    assert "征求副总督查意见" not in page


def test_before_the_regulation_there_is_none_to_read(client, places):
    page = client.get("/cases/rulebook/?date=2020-01-01").content.decode()
    assert "没有施行的问责办法" in page


def test_a_bad_date_reads_today(client, places):
    assert client.get("/cases/rulebook/?date=2020-13-45").status_code == 200


def test_every_page_cites_the_regulation_in_force_and_links_to_it(client, places, settings):
    settings.DUBAN_TODAY = "2020-06-01"
    page = client.get("/").content.decode()
    assert '<a href="/cases/rulebook/">《驻马店市人民政府关于政府系统“不作为、慢作为、乱作为”的处理办法》</a>' in page
    assert "（驻政〔2020〕24号）" in page
    county = client.get("/?j=yicheng").content.decode()
    assert "《驿城区人民政府关于参照执行市政府“不作为、慢作为、乱作为”处理办法的通知》" in county


def test_a_regulation_that_states_no_date_is_read_as_such(client, settings, tmp_path):
    import shutil

    from duban import RULEBOOKS_DIR

    root = tmp_path / "rulebooks"
    shutil.copytree(RULEBOOKS_DIR, root)
    (root / "huiqu").mkdir()
    (root / "huiqu" / "shixing.yaml").write_text(
        "extends: zhumadian/2020-04-22\n"
        "jurisdiction: {code: huiqu, name: 某区}\n"
        "effective_from: {value: null, reference: 办法未写施行日期}\n",
        encoding="utf-8",
    )
    settings.DUBAN_RULEBOOKS_DIR = str(root)
    jurisdiction_create(actor=None, code="huiqu", name="某区")
    page = client.get("/cases/rulebook/?j=huiqu&date=2010-06-01").content.decode()
    assert "施行日期未载明" in page and "办法未写施行日期" in page and "huiqu/shixing" in page


def test_the_page_lists_each_consequence_the_rulebook_declares_whom_it_falls_on_and_its_period(client, places):
    page = client.get("/cases/rulebook/?date=2020-06-01").content.decode()
    assert "结果运用的后果" in page
    for row in (
        "<td>年度考核不得评定为优秀等次</td><td>个人</td><td>年度</td><td>—</td><td>第九条第（三）项</td>",
        "<td>扣减督查事项月排名积分</td><td>单位</td><td>当月</td><td>分值</td><td>第九条第（二）项</td>",
        "<td>对联系该单位的二级督查进行工作约谈</td><td>联系该单位的督查人员</td><td>当月</td><td>—</td>",
    ):
        assert row in page, row
