from duban.intake.annotations import parse_annotation, split_annotations
from duban.intake.unitnames import looks_like_unit, split_units, subject_at_start


def test_lead_and_responsible_units():
    text, [annotation] = split_annotations(
        "开展健康促进县（区）建设。（市卫健委牵头，市委宣传部、市科技局、市人力资源和社会保障局、团市委按职责分工负责）"
    )
    assert text == "开展健康促进县（区）建设。"
    assert annotation.lead_units == ["市卫健委"]
    assert annotation.units == ["市委宣传部", "市科技局", "市人力资源和社会保障局", "团市委"]


def test_and_splits_only_between_units():
    assert split_units("市卫健体委和县区人民政府") == ["市卫健体委", "县区人民政府"]
    assert split_units("市人力资源和社会保障局、市自然资源和规划局") == ["市人力资源和社会保障局", "市自然资源和规划局"]
    assert split_units("市工业和信息化局和县区人民政府") == ["市工业和信息化局", "县区人民政府"]
    assert split_units("市农业农村局、各县〔市、区〕政府") == ["市农业农村局", "各县〔市、区〕政府"]


def test_a_bare_level_after_each_level_shares_its_each():
    # "各区、县级市" is every 区 and every 县级市, one class: 县级市 alone names nobody.
    assert split_units("市教育局，各区、县级市") == ["市教育局", "各区、县级市"]
    assert split_units("市民政局、各区、县（市）政府") == ["市民政局", "各区、县（市）政府"]
    assert split_units("江北区、县林业局") == ["江北区", "县林业局"]


def test_standing_instruction():
    annotation = parse_annotation("市卫健体委和县区人民政府负责。以下除特别指出的外均需县区人民政府负责，不再列出")
    assert annotation.units == ["市卫健体委", "县区人民政府"]
    assert annotation.standing_units == ["县区人民政府"]


def test_labelled_forms():
    annotation = parse_annotation("牵头单位：市发展改革委；配合单位：市财政局、各区人民政府；完成时限：2021年6月底前")
    assert annotation.lead_units == ["市发展改革委"]
    assert annotation.units == ["市财政局", "各区人民政府"]
    assert annotation.deadline_texts == ["2021年6月底前"]
    marked = parse_annotation("责任单位：市发改委（牵头）、市财政局")
    assert marked.lead_units == ["市发改委"] and marked.units == ["市财政局"]
    text, [inline] = split_annotations("建立联席会议制度。牵头单位：市商务局；责任单位：各县（市、区）政府")
    assert text == "建立联席会议制度。" and inline.lead_units == ["市商务局"]


def test_trailing_noise_is_stripped():
    annotation = parse_annotation("市发改委、市园林中心、市卫健体委等相关部门按职责分工分别负责")
    assert annotation.units == ["市发改委", "市园林中心", "市卫健体委"]


def test_brackets_that_are_not_annotations():
    for paragraph in (
        "实现“两场三馆”（体育场、室外体育活动广场和体育馆、游泳馆）全覆盖。",
        "成立推进委员会（以下简称推进委员会），统筹负责健康行动。",
        "各县区政府（管委会）负责本级政府系统的督查问责。",
    ):
        assert split_annotations(paragraph)[1] == []


def test_unit_shapes():
    for name in (
        "市卫健体委",
        "团市委",
        "消防救援支队",
        "武汉铁路局驻马店车务段",
        "红十字会",
        "工商联",
        "各县区人民政府",
        "驻马店银保监分局",
    ):
        assert looks_like_unit(name), name
    for name in ("体育场", "健康驻马店行动", "按职责分工"):
        assert not looks_like_unit(name), name


def test_subjects_of_speech_sentences():
    assert subject_at_start("汝南县、平舆县耕地保有量低于红线").names == ("汝南县", "平舆县")
    subject = subject_at_start("市自然资源和规划局、各县区要严格按照要求")
    assert subject.names == ("市自然资源和规划局", "各县区") and subject.named
    assert not subject_at_start("各县区要认真研究").named
    assert subject_at_start("涉及中心城区四区、遂平县") is None


def test_labels_are_a_grammar_of_role_words():
    annotation = parse_annotation("牵头责任单位：县商务局、县财政局；责任单位：县市场监管局")
    assert annotation.lead_units == ["县商务局", "县财政局"]
    assert annotation.units == ["县市场监管局"]
    annotation = parse_annotation("主要责任单位：市水务局；协同部门：市城管局；时间要求：2023年9月底前")
    assert annotation.lead_units == ["市水务局"]
    assert annotation.units == ["市城管局"]
    assert annotation.deadline_texts == ["2023年9月底前"]
    # A web page's footer label names the site's owner, not a responsible unit.
    assert parse_annotation("主办单位：某市发展和改革局") is None


def test_every_bracket_kind_carries_annotations():
    for opening, closing in ("【】", "[]", "〔〕", "［］"):
        text, [annotation] = split_annotations(f"整治占道经营。{opening}区城管局牵头，区市场监管局配合{closing}")
        assert text == "整治占道经营。"
        assert annotation.lead_units == ["区城管局"]
        assert annotation.units == ["区市场监管局"]
    text, [annotation] = split_annotations("开通城乡公交线路。【县交通运输局】")
    assert text == "开通城乡公交线路。"
    assert annotation.units == ["县交通运输局"]
    # A bracketed year or a plain round bracket without a verb stays prose.
    assert split_annotations("执行〔2021〕年度计划。（试行）")[1] == []


def test_manner_words_before_the_verb():
    annotation = parse_annotation("各乡镇人民政府结合实际落实，县卫健局积极配合")
    assert annotation.units == ["各乡镇人民政府", "县卫健局"]
    annotation = parse_annotation("区教育局认真落实")
    assert annotation.units == ["区教育局"]
    annotation = parse_annotation("市民政局负责牵头，市财政局按照各自职责负责")
    assert annotation.lead_units == ["市民政局"]
    assert annotation.units == ["市财政局"]


def test_trailing_class_after_etc_is_noise():
    assert split_units("县司法局、县应急管理局等行政执法部门") == ["县司法局", "县应急管理局"]
    assert split_units("市发展改革委、国资委等其他行业部门") == ["市发展改革委", "国资委"]


def test_a_closing_round_bracket_of_unit_names_is_an_annotation():
    text, [annotation] = split_annotations("扩大小微企业贷款投放。（县财政局、人行某某县支行）")
    assert text == "扩大小微企业贷款投放。"
    assert annotation.units == ["县财政局", "人行某某县支行"]
    # Inside a sentence, or without a level in front, a round bracket stays prose.
    assert split_annotations("由县财政局（县国资办）统筹安排。")[1] == []
    assert split_annotations("完善配套制度（试行办法）")[1] == []
