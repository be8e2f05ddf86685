"""Finding the documents in a text and their fields (doc_no, title, issuer, date, kind), attachments
included: made-up texts in the habits of real pages and gazettes (reading-patterns.md, "Documents")."""

import pytest

from duban.errors import InputError
from duban.intake.doc_kinds import attachment_kind, kind_of
from duban.intake.extract import extract_bytes, extract_text

FIELDS = ("doc_no", "title", "issuer", "date", "kind")


def documents(text):
    return extract_text(text, directory=False)["documents"]


def fields(document):
    return {key: document.get(key) for key in FIELDS}


@pytest.mark.parametrize(
    "title, kind",
    [
        ("江临市2024年安全生产工作要点", "工作要点"),
        ("江临市城区内涝治理工作方案", "工作方案"),
        ("江临市农村供水保障三年行动计划（2024—2026年）", "行动计划"),
        ("江临市促进民营经济发展若干政策措施", "政策措施"),
        ("关于支持外贸企业稳订单的若干措施", "措施"),
        ("江临市托育服务扩容工作措施", "工作措施"),
        ("江临市老旧小区改造专项行动方案", "行动方案"),
        ("江临县重点工作任务分解表", "任务分解表"),
        ("江临市人民政府关于加快发展冰雪经济的实施意见", "意见"),
        ("江临市河道采砂管理办法（试行）", "办法"),
        ("关于印发《江临市城区内涝治理工作方案》的通知", "通知"),
    ],
)
def test_the_kind_is_the_words_ending_the_title_as_printed(title, kind):
    assert kind_of(title) == kind


def test_what_a_document_attaches_need_not_end_in_a_kind():
    assert attachment_kind("江临市社区护理工作绩效评价指标体系") == "指标体系"
    assert attachment_kind("江临市第一批试点街道名单") == "名单"
    assert attachment_kind("江临市城区内涝治理工作方案") == "工作方案"


BODY_ONLY = """各乡（镇）人民政府，县直各部门：
为做好今年秋冬季森林防火工作，现就有关事项通知如下。
一、压实防火责任
各乡（镇）要落实网格化管护，县林业局负责督导检查。
二、加强火源管控
县应急管理局要加强野外用火巡查，发现隐患及时处置。
特此通知。
"""


def test_a_body_only_text_is_a_notice_without_a_title():
    (document,) = documents(BODY_ONLY)
    assert fields(document) == {"doc_no": None, "title": None, "issuer": None, "date": None, "kind": "通知"}


def test_a_body_only_text_is_not_refused():
    result = extract_bytes(BODY_ONLY.replace("特此通知", "特此通报").encode("utf-8"), "body.txt", directory=False)
    assert [d["kind"] for d in result["documents"]] == ["通报"]
    with pytest.raises(InputError):
        extract_bytes("今天天气很好，我们去公园散步，看见很多人在跑步。\n".encode(), "notes.txt", directory=False)


NOTICE_WITHOUT_NUMBER = """江临市文化广电旅游局关于印发《江临市2024年旅游景区暑期安全工作方案》的通知
各区县文化旅游局，各A级旅游景区：
现将《江临市2024年旅游景区暑期安全工作方案》印发给你们，请认真抓好落实。
江临市文化广电旅游局
2024年6月18日
江临市2024年旅游景区暑期安全工作方案
为保障暑期旅游安全，制定本方案。
一、开展隐患排查。各景区全面排查游乐设施。（责任单位：市文化广电旅游局）
"""


def test_the_attachment_of_a_notice_without_a_number_takes_its_date_and_issuer():
    notice, plan = documents(NOTICE_WITHOUT_NUMBER)
    assert notice["doc_no"] is None and notice["date"] == "2024-06-18"
    assert fields(plan) == {
        "doc_no": None,
        "title": "江临市2024年旅游景区暑期安全工作方案",
        "issuer": "江临市文化广电旅游局",
        "date": "2024-06-18",
        "kind": "工作方案",
    }
    assert plan["attachment_of"] is None and plan["attachment_of_title"] == notice["title"]
    assert len(plan["tasks"]) == 1 and notice["tasks"] == []


DRIFTING = """江临市卫生健康委等3部门关于印发推进江临市社区护理服务扩容提质实施方案的通知
江卫发〔2024〕12号
各区卫生健康局、民政局、医保分局：
现将《关于推进江临市社区护理服务扩容提质实施方案》印发给你们，请结合实际抓好落实。
附件：1.关于推进江临市社区护理服务扩容提质实施方案
2.江临市社区护理工作绩效评价指标体系
联系人及电话：赵某 020-87654321
江临市卫生健康委员会 江临市民政局
江临市医疗保障局
2024年3月8日
关于推进江临市社区护理服务扩容提质实施方案
为扩大社区护理服务供给，制定本方案。
一、增加服务供给。社区卫生服务中心开设护理门诊。（责任单位：市卫生健康委）
附件2
江临市社区护理工作绩效评价指标体系
一、服务数量。年度上门护理服务人次。
二、服务质量。护理差错发生情况。
"""


def test_a_joint_signature_over_lines_under_a_contact_line_names_every_body():
    notice, *_ = documents(DRIFTING)
    assert notice["issuer"] == "江临市卫生健康委员会、江临市民政局、江临市医疗保障局"
    assert notice["doc_no"] == "江卫发〔2024〕12号" and notice["date"] == "2024-03-08"


def test_an_attachment_with_a_drifting_title_and_one_that_ends_in_no_kind():
    notice, plan, indicators = documents(DRIFTING)
    for attached in (plan, indicators):
        assert attached["attachment_of"] == "江卫发〔2024〕12号"
        assert (attached["date"], attached["issuer"]) == (notice["date"], notice["issuer"])
    assert (plan["title"], plan["kind"]) == ("关于推进江临市社区护理服务扩容提质实施方案", "实施方案")
    assert (indicators["title"], indicators["kind"]) == ("江临市社区护理工作绩效评价指标体系", "指标体系")


def test_bodies_counted_in_the_title_are_the_last_resort():
    text = DRIFTING.replace("江临市卫生健康委员会 江临市民政局\n江临市医疗保障局\n", "")
    notice, *_ = documents(text)
    assert notice["issuer"] == "江临市卫生健康委等3部门"


def test_a_signature_in_columns_of_several_lines():
    text = """关于做好汛期城市排水工作的通知
各区人民政府，市政府各部门：
请各单位按职责做好汛期排水工作。
江临市水务局          江临市住房和城乡建设局
江临市城市管理局      江临市交通运输局
江临市应急管理局
2024年5月20日
"""
    (notice,) = documents(text)
    assert (
        notice["issuer"] == "江临市水务局、江临市住房和城乡建设局、江临市城市管理局、江临市交通运输局、江临市应急管理局"
    )
    assert notice["date"] == "2024-05-20"


def test_a_signature_printed_short_gives_the_name_the_title_prints():
    text = """江临市人民政府办公室关于加强夏季用电保障的通知
各区人民政府，市政府各部门：
请各单位做好夏季用电保障。
市政府办公室
2024年7月1日
"""
    (notice,) = documents(text)
    assert notice["issuer"] == "江临市人民政府办公室"


def test_a_masthead_above_a_title_that_names_its_issuer_is_not_the_title():
    text = """江临市卫生健康委员会
江临市卫生健康委关于开展夏季爱国卫生运动的通知
江卫发〔2024〕30号
各区卫生健康局：
请认真组织开展夏季爱国卫生运动。
江临市卫生健康委员会
2024年6月3日
"""
    (notice,) = documents(text)
    assert notice["title"] == "江临市卫生健康委关于开展夏季爱国卫生运动的通知"
    assert notice["issuer"] == "江临市卫生健康委员会"


def test_an_issuer_on_its_own_line_above_the_rest_of_the_title_is_the_title():
    text = """江临县人民政府办公室
印发《江临县防汛抗旱应急预案》的通知
江政办发〔2024〕8号
各乡镇人民政府，县直各单位：
现将《江临县防汛抗旱应急预案》印发给你们，请认真执行。
江临县人民政府办公室
2024年4月2日
"""
    (notice,) = documents(text)
    assert notice["title"] == "江临县人民政府办公室印发《江临县防汛抗旱应急预案》的通知"
    assert notice["issuer"] == "江临县人民政府办公室"


def test_what_the_title_says_the_issuer_does_is_not_the_issuer():
    text = """江临市人民政府贯彻落实省政府关于加快农村公路建设文件的通知
江政发〔2024〕5号
各区县人民政府：
请各区县加快农村公路建设。
二〇二四年三月一日
"""
    (notice,) = documents(text)
    assert (notice["issuer"], notice["date"]) == ("江临市人民政府", "2024-03-01")


def test_page_chrome_before_the_heading_and_after_the_date_is_neither_title_nor_signature():
    text = """12政务公开/col/col101/index.html政策文件/col/col102/index.html
首页
>政务公开
>政策文件
【字体：大 中 小】
打印 收藏
《江临市推进夜间经济发展若干措施》发布，带你一图读懂→
江临市人民政府办公室关于
印发江临市推进夜间经济发展若干措施的通知
江政办发〔2024〕21号
各区人民政府，市政府各部门：
现将《江临市推进夜间经济发展若干措施》印发给你们，请认真贯彻执行。
江临市人民政府办公室
2024年8月2日
（此件公开发布）
江临市推进夜间经济发展若干措施
一、延长营业时间。支持商圈延时经营。（责任单位：市商务局）
二、丰富夜间消费。打造夜间文旅街区。（责任单位：市文化旅游委）
分享：
评价建议
您即将离开本网站，是否继续？
放弃
"""
    notice, measures = documents(text)
    assert notice["title"] == "江临市人民政府办公室关于印发江临市推进夜间经济发展若干措施的通知"
    assert (notice["issuer"], notice["date"]) == ("江临市人民政府办公室", "2024-08-02")
    assert fields(measures) == {
        "doc_no": None,
        "title": "江临市推进夜间经济发展若干措施",
        "issuer": "江临市人民政府办公室",
        "date": "2024-08-02",
        "kind": "措施",
    }
    assert measures["attachment_of"] == "江政办发〔2024〕21号" and len(measures["tasks"]) == 2


def test_a_date_after_the_page_links_still_closes_an_unsigned_document():
    text = """江临市人民政府关于进一步稳定房地产市场的通知
江政发〔2024〕9号
各区人民政府：
一、加强市场监测。市住房城乡建设委要按月分析市场形势。
二〇二四年四月八日
分享：
X
评价建议
您访问的链接即将离开本网站，是否继续？
放弃
"""
    (notice,) = documents(text)
    assert (notice["issuer"], notice["date"]) == ("江临市人民政府", "2024-04-08")


def test_a_row_of_figures_above_a_signature_is_not_a_signing_body():
    text = """江临市人民政府办公室关于做好秋粮收购工作的通知
江政办发〔2024〕17号
各区县人民政府：
请各区县做好秋粮收购工作。
142846
市政府办公室
2024-09-20
"""
    (notice,) = documents(text)
    assert notice["issuer"] == "江临市人民政府办公室"  # not "142846 市政府办公室"


SPEECH = """压实防汛责任 守牢安全底线
——在全市防汛工作会议上的讲话
江临市人民政府副市长 李明远
（2024年5月10日）
同志们：
今天召开全市防汛工作会议，安排部署今年防汛工作。
一、压实工作责任
江北区、江南区务必在5月31日前完成河道清障。
"""


def test_a_speech_is_issued_by_the_body_its_speaker_serves():
    (speech,) = documents(SPEECH)
    assert (speech["issuer"], speech["speaker"], speech["speaker_title"]) == (
        "江临市人民政府",
        "李明远",
        "江临市人民政府副市长",
    )
    assert (speech["kind"], speech["date"]) == ("讲话", "2024-05-10")


def test_a_speaker_whose_post_names_no_body_in_full_keeps_the_post_when_the_source_names_no_government():
    (speech,) = documents(SPEECH.replace("江临市人民政府副市长 李明远", "市政府副市长 李明远"))
    assert speech["issuer"] == "市政府副市长李明远"


NOTICE_OF = """{issuer}关于做好2024年防汛工作的通知
{prefix}〔2024〕8号
各{below}人民政府，{level}直各部门：
现就做好今年防汛工作通知如下。
一、各地要在5月31日前完成河道清障。
{issuer}
2024年5月8日
"""


def test_a_speaker_of_the_city_government_speaks_for_the_government_the_issues_documents_are_of():
    notice = NOTICE_OF.format(issuer="江临市人民政府", prefix="江政", below="县（区）", level="市")
    speech = SPEECH.replace("江临市人民政府副市长 李明远", "市政府副市长 李明远")
    _, document = documents(notice + speech)
    assert (document["issuer"], document["speaker_title"], document["speaker"]) == (
        "江临市人民政府",
        "市政府副市长",
        "李明远",
    )


def test_a_level_only_post_takes_only_the_government_of_its_own_level():
    notice = NOTICE_OF.format(issuer="江临县人民政府", prefix="江县政", below="乡镇", level="县")
    speech = SPEECH.replace("江临市人民政府副市长 李明远", "市政府副市长 李明远")
    _, document = documents(notice + speech)
    assert document["issuer"] == "市政府副市长李明远"  # a county's documents name no city government


def test_a_measure_that_is_a_table_only_is_the_notices_attachment():
    text = """江临县人民政府办公室关于印发江临县2024年河道整治重点任务清单的通知
江政办发〔2024〕3号
各乡镇人民政府，县直各部门：
现将《江临县2024年河道整治重点任务清单》印发给你们，请抓好落实。
江临县人民政府办公室
2024年3月5日
江临县2024年河道整治重点任务清单
序号 重点任务 牵头单位 完成时限
1 清理河道垃圾 县水利局 2024年6月底前
2 拆除违建码头 县交通运输局 2024年9月底前
"""
    _notice, listing = documents(text)
    assert (listing["title"], listing["kind"]) == ("江临县2024年河道整治重点任务清单", "任务清单")
    assert (listing["attachment_of"], listing["date"], listing["issuer"]) == (
        "江政办发〔2024〕3号",
        "2024-03-05",
        "江临县人民政府办公室",
    )


def test_a_banner_head_speaks_for_the_banner_government():
    (speech,) = documents(SPEECH.replace("江临市人民政府副市长 李明远", "江临旗人民政府旗长 巴图"))
    assert (speech["issuer"], speech["speaker"]) == ("江临旗人民政府", "巴图")


def test_the_period_under_a_measures_title_is_part_of_it():
    text = """中共江临市委办公室 江临市人民政府办公室
关于印发《江临市乡村振兴三年行动方案》的通知
江办发〔2024〕3号
各县（市、区）党委和人民政府，市直各单位：
现将《江临市乡村振兴三年行动方案》印发给你们，请认真贯彻落实。
中共江临市委办公室    团市委
2024年2月1日
附件
江临市乡村振兴三年行动方案
（2024—2026年）
为推进乡村振兴，制定本方案。
一、发展特色产业。（责任单位：市农业农村局）
"""
    notice, plan = documents(text)
    assert notice["issuer"] == "中共江临市委办公室、团市委"
    assert (plan["title"], plan["kind"]) == ("江临市乡村振兴三年行动方案（2024—2026年）", "行动方案")
    assert plan["attachment_of"] == "江办发〔2024〕3号"


def test_a_masthead_over_a_body_only_text_is_its_issuer_not_its_title():
    (document,) = documents("江临县人民政府办公室\n" + BODY_ONLY)
    assert (document["title"], document["issuer"], document["kind"]) == (None, "江临县人民政府办公室", "通知")


def test_a_county_head_speaks_for_the_county_government():
    (speech,) = documents(SPEECH.replace("江临市人民政府副市长 李明远", "江临县副县长 李明远"))
    assert (speech["issuer"], speech["speaker_title"]) == ("江临县人民政府", "江临县副县长")
