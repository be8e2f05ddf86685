"""公开信息栏: the label/value panel a government website prints above a document (made-up examples in the
habits of real pages: bracketed labels, labels with a colon, labels alone with the value on the next line)."""

from duban.intake.extract import extract_text
from duban.intake.page_info import page_text, read_page_info, without_status_mark

BODY = """江临市人民政府办公室关于加强城市排水防涝工作的通知
各县（市、区）人民政府，市政府各部门：
现将有关事项通知如下：
一、开展汛前检查。全面排查易涝点位。（责任单位：市水利局）
江临市人民政府办公室
2024年5月6日
"""


def fields(text):
    (document, *_) = extract_text(text, directory=False)["documents"]
    return {key: document.get(key) for key in ("doc_no", "date", "issuer", "kind", "title")}


def test_a_bracketed_panel_gives_the_number_and_date_the_document_does_not_print():
    page = """政务公开　>　政策服务　>　政策文件
[主题分类] 城乡建设
[发文机构] 江临市人民政府办公厅
[联合发文单位]
[成文日期] 2024-05-06
[发文字号] 江政办发〔2024〕7号
[废止日期]
[有效性] 是
"""
    assert fields(page + BODY.replace("2024年5月6日\n", "")) == {
        "doc_no": "江政办发〔2024〕7号",
        "date": "2024-05-06",
        "issuer": "江临市人民政府办公室",  # the document's own signature wins over the page's 发文机构
        "kind": "通知",
        "title": "江临市人民政府办公室关于加强城市排水防涝工作的通知",
    }


def test_labels_alone_on_their_lines_and_a_status_before_the_title():
    page = """首页
>政务公开
索引号:
1234/2024-00012
文件编号:
江政办发〔2024〕7号
成文日期:
2024-05-06
有效性:
废止
实施日期
废止日期
[已废止]"""
    read = fields(page + BODY)
    assert read["doc_no"] == "江政办发〔2024〕7号"
    assert read["title"] == "江临市人民政府办公室关于加强城市排水防涝工作的通知"  # no 废止, no label run into it


def test_the_panel_lines_are_emptied_so_nothing_of_them_joins_the_text():
    text, info = page_text("名称\n关于X的通知\n发文字号\n江政发〔2024〕1号\n生成日期\n2024年01月02日\n正文。\n")
    assert info.fields == {"title": "关于X的通知", "doc_no": "江政发〔2024〕1号", "date": "2024年01月02日"}
    assert text.splitlines() == ["", "", "", "", "", "", "正文。"]


def test_two_label_like_lines_in_a_body_are_not_a_panel():
    lines = ["主题：全民健身", "为推进全民健身，现通知如下。", "标题：略", "一、加强组织领导。"]
    assert read_page_info(lines).fields == {}
    assert read_page_info(lines).lines == frozenset()


def test_a_sites_name_after_the_title_is_page_chrome():
    read = fields("关于加强城市排水防涝工作的通知_江临市人民政府网\n江政办发〔2024〕7号\n" + BODY.split("\n", 1)[1])
    assert read["title"] == "关于加强城市排水防涝工作的通知"
    assert read["doc_no"] == "江政办发〔2024〕7号" and read["kind"] == "通知"
    # an underscore inside a quoted title is no site's name
    assert (
        without_status_mark("关于印发《江临市河湖_长制考核办法》的通知") == "关于印发《江临市河湖_长制考核办法》的通知"
    )
    assert without_status_mark("江临市人民政府关于X的通知 - 江临市人民政府") == "江临市人民政府关于X的通知"


def test_labels_spaced_out_to_fill_their_column_below_a_long_navigation():
    navigation = "".join(f"栏目{n}\n" for n in range(90))  # a site's menu, longer than a screen
    page = (
        "索\u2002引\u2002号：\n1234-2024-00012\n发文机关：\n江临市人民政府办公室\n成文日期：2024-05-06\n"
        "标\u2002\u2002\u2002\u2002题：\n江临市人民政府办公室关于加强城市排水防涝工作的通知\n"
        "发文字号：\n江政办发〔2024〕7号\n有\u2002效\u2002性：\n有效\n"
    )
    read = fields(navigation + page + BODY)
    assert read["doc_no"] == "江政办发〔2024〕7号"
    assert read["title"] == "江临市人民政府办公室关于加强城市排水防涝工作的通知"  # no 有效 run into it


def test_a_panel_in_two_columns_prints_two_labels_on_a_line():
    page = """首页 > 政务公开 > 政府文件
索  引  号：1234/2024-00012        发布机构：江临市人民政府办公室
文    号：江政办发[2024]7号        发布日期：2024-05-09
【字体：大 中 小】  打印本页  关闭窗口
"""
    read = fields(page + BODY)
    assert read["doc_no"] == "江政办发〔2024〕7号"
    assert read["date"] == "2024-05-06"  # the 成文日期 signed, not the 发布日期
    assert read["title"] == "江临市人民政府办公室关于加强城市排水防涝工作的通知"
