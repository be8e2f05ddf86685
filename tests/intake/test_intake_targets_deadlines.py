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
