"""Task tables in every form become one numbered, annotated line per row (duban/intake/tables.py)."""

from duban.intake.cleanup import clean_text
from duban.intake.extract import extract_text
from duban.intake.tables import column_role, join_cell, read_text_tables, table_lines

HEADER = "序号 工作任务 牵头单位 责任单位 完成时限"


def _lines(text: str) -> list[str]:
    return [line for line in read_text_tables(text).split("\n") if line]


def test_text_without_a_table_header_is_returned_as_it_is():
    text = "一、加强领导\n1. 做好春耕。（牵头单位：县农业农村局；责任单位：县财政局）\n"
    assert read_text_tables(text) is text


def test_row_per_line_with_single_spaces_is_split_by_the_grammar_of_the_columns():
    lines = _lines(f"{HEADER}\n1 推行企业开办全程网上办理 市市场监管局 市税务局、市公安局 2024年6月底前\n")
    assert lines == [
        "1. 推行企业开办全程网上办理。（牵头单位：市市场监管局；责任单位：市税务局、市公安局；完成时限：2024年6月底前）"
    ]


def test_a_task_ending_like_a_unit_keeps_its_words_when_the_unit_columns_are_full():
    # 中心 ends a unit name, but both unit columns already have a cell on the right.
    lines = _lines(f"{HEADER}\n1 建设乡镇综合服务中心 县发展改革委 县财政局 2025年底\n")
    assert lines == ["1. 建设乡镇综合服务中心。（牵头单位：县发展改革委；责任单位：县财政局；完成时限：2025年底）"]


def test_one_unit_cell_goes_to_the_lead_column_first():
    lines = _lines(f"{HEADER}\n1 开展消防安全专项整治 县消防救援大队 2025年3月底前\n")
    assert lines == ["1. 开展消防安全专项整治。（牵头单位：县消防救援大队；完成时限：2025年3月底前）"]


def test_tabs_and_full_width_spaces_are_column_separators_even_with_spaces_in_a_cell():
    text = (
        "序号\t重点工作\t牵头单位\t配合单位\t时间节点\n"
        "1\t新建 5G 基站 300 个\t区工信局\t区住建局\t2025年9月\n"
        "2　　推进老旧小区改造　　区住建局　　各街道办事处　　长期坚持\n"
    )
    assert _lines(text) == [
        "1. 新建 5G 基站 300 个。（牵头单位：区工信局；责任单位：区住建局；完成时限：2025年9月）",
        "2. 推进老旧小区改造。（牵头单位：区住建局；责任单位：各街道办事处；完成时限：长期坚持）",
    ]


def test_a_row_wrapped_onto_the_next_line_joins_its_row():
    text = (
        f"{HEADER}\n"
        "1 实施农村人居环境整治，完成\n"
        "100个行政村改厕任务 县农业农村局 各乡镇人民政府 2025年11月底前\n"
        "2 加快冷链物流设施建设 县商务局 县交通运输局 2025年底前\n"
        "力争新增冷库容量1万吨\n"
    )
    assert _lines(text) == [
        "1. 实施农村人居环境整治，完成100个行政村改厕任务。"
        "（牵头单位：县农业农村局；责任单位：各乡镇人民政府；完成时限：2025年11月底前）",
        "2. 加快冷链物流设施建设力争新增冷库容量1万吨。"
        "（牵头单位：县商务局；责任单位：县交通运输局；完成时限：2025年底前）",
    ]


def test_category_rows_become_headings_of_the_rows_below():
    text = (
        f"{HEADER}\n"
        "一、优化营商环境\n"
        "1 压缩企业开办时间 市市场监管局 市税务局 2024年6月\n"
        "二、扩大有效投资\n"
        "2 谋划储备重大项目 市发展改革委 市财政局 2024年底前\n"
    )
    result = extract_text("某市重点任务分解表\n" + text + "某市人民政府办公室\n2024年3月1日\n")
    tasks = result["documents"][0]["tasks"]
    assert [task["ref"] for task in tasks] == ["一.1", "二.2"]
    assert tasks[1]["lead_units"] == ["市发展改革委"]
    assert tasks[1]["deadlines"] == [{"text": "2024年底前", "date": "2024-12-31"}]


def test_an_unmarked_category_row_is_the_line_before_a_numbering_that_starts_again():
    text = (
        f"{HEADER}\n"
        "1 压缩企业开办时间 市市场监管局 市税务局 2024年6月\n"
        "2 推行证照分离改革 市市场监管局 市司法局 2024年9月\n"
        "扩大有效投资\n"
        "1 谋划储备重大项目 市发展改革委 市财政局 2024年底前\n"
    )
    lines = _lines(text)
    assert lines[2] == "扩大有效投资"
    assert lines[3].startswith("1. 谋划储备重大项目。（牵头单位：市发展改革委")


def test_cell_per_line_rows_open_with_their_lone_number():
    text = (
        "序号\n主要任务\n牵头单位\n配合单位\n完成时限\n"
        "1\n推进政务服务“一网通办”，\n实现高频事项全程网办\n市政务服务中心\n市大数据局、市公安局\n2025年6月底前\n"
        "2\n开展诚信建设专项行动\n市发展改革委\n2025年底前\n"
        "- 7 -\n"
        "3\n优化水电气报装服务\n市住建局\n市供电公司\n长期坚持\n"
        "三、保障措施\n"
        "各牵头单位要细化工作方案。\n"
    )
    assert _lines(text) == [
        "1. 推进政务服务“一网通办”，实现高频事项全程网办。"
        "（牵头单位：市政务服务中心；责任单位：市大数据局、市公安局；完成时限：2025年6月底前）",
        "2. 开展诚信建设专项行动。（牵头单位：市发展改革委；完成时限：2025年底前）",
        "3. 优化水电气报装服务。（牵头单位：市住建局；责任单位：市供电公司；完成时限：长期坚持）",
        "三、保障措施",
        "各牵头单位要细化工作方案。",
    ]


def test_a_lone_number_is_a_row_number_inside_a_table_and_a_page_number_outside():
    text = (
        "某县人民政府办公室关于做好防汛工作的通知\n"
        "各乡镇人民政府：\n"
        "为做好今年防汛工作，现通知如下。\n"
        "3\n"
        "序号\n工作任务\n责任单位\n完成时限\n"
        "1\n排查整治病险水库\n县水利局\n2025年5月底前\n"
        "2\n储备防汛物资\n县应急管理局\n2025年5月底前\n"
        "某县人民政府办公室\n2025年4月2日\n"
    )
    cleaned = clean_text(read_text_tables(text))
    assert "\n3\n" not in cleaned  # the page number outside the table is dropped
    tasks = extract_text(text)["documents"][0]["tasks"]
    assert [(task["ref"], task["units"]) for task in tasks] == [("1", ["县水利局"]), ("2", ["县应急管理局"])]


def test_leaders_and_remarks_are_not_unit_columns():
    assert column_role("责任领导") == "skip"
    assert column_role("备注") == "skip"
    assert column_role("责任单位") == "units"
    assert column_role("工作措施") == "content"
    text = (
        "序号\t重点任务\t责任领导\t牵头单位\t完成时限\t备注\n"
        "1\t建成城市书房10个\t张副县长\t县文广旅局\t2025年10月\t新增\n"
    )
    assert _lines(text) == ["1. 建成城市书房10个。（牵头单位：县文广旅局；完成时限：2025年10月）"]


def test_grid_with_a_two_row_header_and_merged_cells():
    rows = [
        ["序号", "重点任务", "责任单位", "责任单位", "完成时限"],
        ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["一、产业升级", "一、产业升级", "一、产业升级", "一、产业升级", "一、产业升级"],
        ["1", "培育专精特新企业20家", "市工信局", "市科技局", "2025年底前"],
        # A lead unit merged down over two rows repeats (python-docx); None is pdfplumber's merge.
        ["2", "建设数字化车间", "市工信局", None, "2025年底前"],
    ]
    assert table_lines(rows) == [
        "一、产业升级",
        "1. 培育专精特新企业20家。（牵头单位：市工信局；责任单位：市科技局；完成时限：2025年底前）",
        "2. 建设数字化车间。（牵头单位：市工信局；责任单位：市科技局；完成时限：2025年底前）",
    ]


def test_grid_without_a_number_column_numbers_its_rows():
    rows = [
        ["工作措施", "牵头部门", "配合部门"],
        ["完善网格化管理", "区委政法委", "各街道办事处"],
        ["加强矛盾纠纷调解", "区司法局", "区信访局"],
    ]
    assert [line[:3] for line in table_lines(rows)] == ["1. ", "2. "]


def test_one_task_over_two_rows_adds_up_its_units():
    rows = [
        ["序号", "工作任务", "牵头单位", "责任单位"],
        ["1", "整治违法建设", "区城管局", "东城街道办事处"],
        ["1", "整治违法建设", "区城管局", "西城街道办事处"],
    ]
    assert table_lines(rows) == ["1. 整治违法建设。（牵头单位：区城管局；责任单位：东城街道办事处、西城街道办事处）"]


def test_cell_line_breaks_are_joined_without_spaces_between_chinese_characters():
    assert join_cell("推进智慧\n城市建设") == "推进智慧城市建设"
    assert join_cell("市发展改革委\n市财政局", "units") == "市发展改革委、市财政局"
    assert join_cell("新建5G\nbase") == "新建5G base"


def test_a_table_that_is_no_task_table_keeps_its_rows():
    assert table_lines([["指标", "2024年", "2025年"], ["森林覆盖率", "40%", "41%"]]) == [
        "指标\u30002024年\u30002025年",
        "森林覆盖率\u300040%\u300041%",
    ]
