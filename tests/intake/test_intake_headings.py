from duban.intake.headings import heading_title, is_pure_heading, marker_of
from duban.intake.structure import build_tree


def test_markers_and_refs():
    cases = {
        "三、主要任务": ("cn", "三"),
        "（一）全方位干预健康影响因素": ("cn_paren", "(一)"),
        "(二) 维护全生命周期健康": ("cn_paren", "(二)"),
        "1. 实施健康知识普及行动。": ("arabic", "1"),
        "12．加强监管。": ("arabic", "12"),
        "3、完善制度。": ("arabic", "3"),
        "（1）建立台账。": ("arabic_paren", "(1)"),
        "①开展排查。": ("circled", "①"),
        "第六条 督查问责情形": ("article", "第六条"),
    }
    for line, (kind, ref) in cases.items():
        marker = marker_of(line)
        assert marker is not None, line
        assert (marker.kind, marker.ref) == (kind, ref)


def test_not_markers():
    for line in ("2019年全国平均火化率49%", "5%。（市卫健体委牵头）", "1264.66万亩以上", "12 万亩", "一批项目"):
        assert marker_of(line) is None, line


def test_heading_title_is_first_sentence():
    assert heading_title("实施健康知识普及行动。向社会公众普及") == "实施健康知识普及行动"
    assert is_pure_heading("一、提升政治站位，充分认识做好耕地保护土地利用工作的重大意义")
    assert not is_pure_heading("（一）家庭为主，托育补充。儿童监护抚")


def test_tree_refs_skip_levels():
    root = build_tree(
        [
            "三、主要任务",
            "（一）全方位干预",
            "1. 实施甲行动。内容。",
            "2. 实施乙行动。",
            "（二）维护健康",
            "3. 实施丙行动。",
            "四、组织实施",
            "（一）加强领导",
            "正文段落。",
        ]
    )
    refs = [node.ref for node in root.walk() if node.marker]
    assert refs == ["三", "三.(一)", "三.(一).1", "三.(一).2", "三.(二)", "三.(二).3", "四", "四.(一)"]
    assert [node.title for node in root.walk() if node.ref == "三.(一).1"] == ["实施甲行动"]
