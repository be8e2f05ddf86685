from datetime import date

from duban.intake.deadlines import find_deadlines, parse_deadline_text
from duban.intake.targets import find_targets


def _t(text, year=2020):
    return [(t.year, t.comparator, t.value, t.unit, t.indicator) for t in find_targets(text, year)[0]]


def test_contract_example_target():
    [first, second] = find_targets("到2022年和2030年，全市居民健康素养水平分别不低于22%和30%。", 2020)[0]
    assert first.as_dict() == {
        "text": "到2022年和2030年，全市居民健康素养水平分别不低于22%和30%",
        "indicator": "全市居民健康素养水平",
        "year": 2022,
        "comparator": ">=",
        "value": 22,
        "unit": "%",
    }
    assert (second.year, second.value) == (2030, 30)


def test_comparators():
    assert _t("到2022年和2030年，经常参加体育锻炼人数比例达到40.31%及以上和44.04%及以上。") == [
        (2022, ">=", 40.31, "%", "经常参加体育锻炼人数比例"),
        (2030, ">=", 44.04, "%", "经常参加体育锻炼人数比例"),
    ]
    assert _t("到2022年和2030年，婴儿死亡率分别控制在4.3%及以下和4.1%及以下。")[0][:4] == (2022, "<=", 4.3, "%")
    assert _t("到2022年，孕产妇死亡率下降到10/10万及以下。") == [(2022, "<=", 10, "/10万", "孕产妇死亡率")]
    assert _t("到2025年，儿童生长迟缓率低于5%。")[0][1] == "<"
    assert _t("到2025年，空气优良天数比例超过80%。")[0][1] == ">"
    assert _t("到2025年，单位GDP能耗下降到0.5吨标准煤以内。") == [(2025, "<=", 0.5, "吨", "单位GDP能耗")]
    assert _t("到2025年，PM2.5浓度控制在35微克/立方米以内，耕地保有量不少于一千二百六十四点六六万亩。") == [
        (2025, "<=", 35, "微克/立方米", "PM2.5浓度"),
        (2025, ">=", 1264.66, "万亩", "耕地保有量"),
    ]
    assert _t("到2025年，冬季室温提高到18度。") == []  # no measure we know: no guess


def test_quota_without_comparator():
    assert _t("实施耕地质量保护与提升行动，确保全年新建高标准农田74.7万亩。") == [
        (2020, ">=", 74.7, "万亩", "新建高标准农田")
    ]


def test_not_targets():
    assert _t("2019年，全国平均火化率49%，我市只有19%，低于全国30个百分点。") == []
    assert _t("到2022年接尘工龄不足5年的劳动者新发尘肺病报告例数明显下降。") == []
    assert _t("到2022年和2030年，65岁及以上人群老年期痴呆患病率增速下降。") == []
    assert _t("到2022年，人均预期寿命等居民主要健康指标达到全省平均水平。") == []
    assert _t("一季度收入同比下降11.1%，预计全年税费减收15.8亿元。") == []
    assert _t("确保耕地保有量稳定在1264.66万亩以上。") == []  # no year


def _d(text, doc_date=date(2020, 4, 3)):
    return [(d.text, d.date.isoformat()) for d in find_deadlines(text, doc_date)]


def test_deadlines():
    assert _d("务必要在6月15日前，通过拆除复耕等措施，确保整改到位。") == [("6月15日前", "2020-06-15")]
    assert _d("认定是违建别墅的务必于4月15日之前全面拆除完毕。") == [("4月15日之前", "2020-04-15")]
    assert _d("确保今年全部完成市、县国土空间规划编制工作。") == [("今年", "2020-12-31")]
    assert _d("到2022年，大型体育场馆全部完成安保等级评价。") == [("到2022年", "2022-12-31")]
    assert _d("各区要于6月底前报送方案，年底前完成改造。") == [("6月底前", "2020-06-30"), ("年底前", "2020-12-31")]
    assert _d("2021年上半年前全面建成。") == [("2021年上半年前", "2021-06-30")]


def test_not_deadlines():
    assert _d("明确4月30日后开展专项督察。截至3月31日，全市已拆除73宗。") == []
    assert _d("尽最大努力完成今年经济社会发展各项目标任务。") == []  # 今年 names the tasks
    assert _d("原定3月底开工建设的传染病医院至今没有开工。", date(2020, 4, 27)) == []  # history
    assert _d("将平时考核与年底考核有机结合。") == []


def test_deadline_columns():
    assert parse_deadline_text("2021年6月底前", date(2020, 1, 1)).date == date(2021, 6, 30)
    assert parse_deadline_text("2021年12月", date(2020, 1, 1)).date == date(2021, 12, 31)
    assert parse_deadline_text("长期坚持", date(2020, 1, 1)) is None


def _k(text, year=2024):
    return [(t.year, t.comparator, t.value, t.unit) for t in find_targets(text, year)[0]]


def test_about_and_share_are_equal_to():
    assert _k("到2026年，全县高标准农田占比达到92%左右，新型职业农民留乡比例为60%。") == [
        (2026, "=", 92, "%"),
        (2026, "=", 60, "%"),
    ]
    assert _k("力争到2028年，全区夜间消费额年均增长6%左右。") == [(2028, "=", 6, "%")]


def test_a_period_from_a_year_and_a_range_of_years_give_their_last_year():
    assert _k("2024年起3年内，新增技能型企业达到1500家左右。") == [(2026, "=", 1500, "家")]
    assert _k("自2025年起，五年内建成智慧社区40个以上。") == []  # 起 then a comma: not read as a period
    assert _k("2024—2026年累计改造老旧小区300个以上。") == [(2026, ">=", 300, "个")]
    assert _k("2025年至2027年，全市新增托位5000个。") == [(2027, ">=", 5000, "个")]


def test_three_years_within_is_not_within_the_year():
    assert _k("三年内新增技能型企业1500家。") == []
    assert _k("力争2025年建成3个以上、三年内建成10个产业园。") == [(2025, ">=", 3, "个")]
    assert _k("2025年，每万人拥有养老床位达到40张，3年内养老机构护理型床位占比达到60%。") == [(2025, ">=", 40, "张")]


def test_a_share_of_places_is_a_target_unless_it_scopes_another_figure():
    assert _k("到2025年，全市50%的乡镇建成示范点。") == [(2025, ">=", 50, "%")]
    assert _k("到2025年，全县60%的村至少建成1个文化广场。") == [(2025, ">=", 1, "个")]


def test_rate_declines():
    assert _k("到2027年，儿童青少年近视率每年下降0.5个百分点以上，重度肥胖率下降到30%以下。") == [
        (2027, ">=", 0.5, "个百分点"),
        (2027, "<=", 30, "%"),
    ]


def test_several_quotas_in_one_sentence():
    assert _k("今年全区新建公园8个、口袋公园20处，改造背街小巷35条，新增停车泊位1200个。") == [
        (2024, ">=", 8, "个"),
        (2024, ">=", 20, "处"),
        (2024, ">=", 35, "条"),
        (2024, ">=", 1200, "个"),
    ]
    # the verb stands once for the list: 新增…示范店600家，…便民网点900个
    assert _k("2024年新增诚信经营示范店600家，社区便民网点900个。") == [
        (2024, ">=", 600, "家"),
        (2024, ">=", 900, "个"),
    ]
    assert _k("2024年全县接待游客超300万人次。") == [(2024, ">", 300, "万人次")]


def test_the_document_year_words():
    assert _k("力争一季度全县固定资产投资增长8%以上，春节前企业复工率达到95%。") == [
        (2024, ">=", 8, "%"),
        (2024, ">=", 95, "%"),
    ]
    assert _k("力争年内建成投用体育公园、滨河绿道等12个项目。") == [(2024, ">=", 12, "个")]
    assert _k("今年保障性住房用地不低于住宅用地供应总量的60%。") == [(2024, ">=", 60, "%")]


def test_not_targets_bis():
    assert _k("2025年最低补贴标准为每人500元。") == []  # a parameter
    assert _k("2024年对购买新能源汽车的，给予每辆3000元补贴，最高不超过5000元。") == []
    assert _k("2024年，若企业年度新招用员工超过50人、留用率超过80%的，再奖励2万元。") == []
    assert _k("2024年对小微企业当前应纳税所得额分别按5%和10%计算。") == []
    assert _k("将采购份额今年由30%以上提高至40%以上。") == [(2024, ">=", 40, "%")]
    assert _k("力争到2030年打造2—3个百亿级产业集群。") == []  # a range, an order of size
    assert _k("2024年，全县营商环境评价进入全省前5名。") == []  # a rank
    assert _k("开工建设西环路、江临县2024年供水管网等项目，58个新开工项目加快实施。") == []
    assert _k("对一季度举办产销对接会（邀请100家以上企业参加）的，给予补助。") == []
    assert _k("据统计，一季度全市工业增加值同比下降6%，产能利用率达90%的企业仅占43%。", 2024) == []
    assert _k("今年我们谋划的80个重点项目中，已开工56个。") == []
    assert _k("印发《江临市城市更新三年行动计划（2024—2026年）》，改造小区200个。") == []
    assert _k("2023年最低工资标准为1900元/月，今年每年可提取一次公积金用于已支付的房租。") == []


def test_a_past_quarter_is_history():
    from duban.intake.targets import targets_in_sentence

    assert targets_in_sentence("一季度全县新增市场主体1200户。", 2024, date(2024, 5, 10)) == []
    assert [t.value for t in targets_in_sentence("三季度全县新增市场主体1200户。", 2024, date(2024, 5, 10))] == [1200]


def _dd(text, doc_date=date(2024, 3, 12), issued=True):
    from duban.intake.deadlines import deadlines_in_sentence

    return [(d.text, d.date.isoformat()) for d in deadlines_in_sentence(text, doc_date, False, issued)]


def test_a_time_of_day_keeps_the_day():
    assert _dd("各乡镇须于8月15日17:30前将统计表报县统计局。") == [("8月15日17:30前", "2024-08-15")]
    assert _dd("请于9月10日12：00前报送。") == [("9月10日12：00前", "2024-09-10")]
    assert _dd("县数据局于6月3日18时前完成系统切换。")[0][1] == "2024-06-03"


def test_ten_day_periods():
    assert _dd("县农业农村局要在5月中旬前完成春播检查。") == [("5月中旬前", "2024-05-20")]
    assert _dd("完成时限：2024年7月上旬前。")[0][1] == "2024-07-10"
    assert _dd("9月下旬前完成验收。")[0][1] == "2024-09-30"


def test_counted_from_the_documents_date():
    assert _dd("各部门于本通知印发后2个月内制定配套细则。") == [("本通知印发后2个月内", "2024-05-12")]
    assert _dd("自本方案印发之日起30日内完成摸底登记。") == [("本方案印发之日起30日内", "2024-04-11")]
    assert _dd("自本意见发布之日起15个工作日内完成备案。") == []  # working days: no calendar, no guess
    assert _dd("本通知印发后2个月内制定细则。", issued=None) == []  # the document's date is unknown


def test_periods_and_next_year():
    assert _dd("上半年完成全县农房安全排查。") == [("上半年", "2024-06-30")]
    assert _dd("确保2026年6月投入使用。") == [("2026年6月", "2026-06-30")]
    assert _dd("县交通局要在明年6月底前完成改造。") == [("明年6月底前", "2025-06-30")]
    assert _dd("市场监管局于明年1月10日前报送总结。") == [("明年1月10日前", "2025-01-10")]
    assert _dd("力争今年三季度实现并网，四季度全面投产。") == [("今年三季度", "2024-09-30")]
    assert _dd("力争今年三季度实现并网，四季度全面开工。")[1] == ("四季度", "2024-12-31")
    assert _dd("2024年起3年内完成全部改造。") == [("2024年起3年内", "2026-12-31")]
    assert _dd("力争三年内完成全部改造。") == []  # 三年内 is not 年内


def test_not_deadlines_bis():
    assert _dd("到2027年，基本建成覆盖城乡的生活垃圾分类处理体系。") == []
    assert _dd("现将《江临市城市更新三年行动计划（2024—2026年）》印发给你们，请认真贯彻执行。") == []
    assert _dd("2025年，全县经济社会发展稳中有进。") == []  # a bare year, no completion
    assert _dd("今年是实施规划的关键之年。") == []
    assert _dd("各县区于每季度首月10日前报送上季度进展情况，每年1月底前报送年度总结。") == []
    assert _dd("自本意见印发之日起至2025年12月31日前，新出让地块可分期缴纳土地出让金。") == []
    assert _dd("购房补贴政策有效期至2024年12月31日。") == []
    assert _dd("企业职工养老保险缓缴期限执行到2024年底。") == []
    assert _dd("2026年12月31日前，对符合条件的小微企业减按1%征收增值税。") == []
    assert _dd("对在2024年6月30日前完成网签备案的购房人，给予1万元补贴。") == []
    assert _dd("困难企业可于2025年6月底前补缴。") == []
    assert _dd("2024年，选取3个乡镇开展试点。") == []
