"""Which numbered items become tasks and which units they name: made-up texts in the habits of
real documents (extraction.md, "Annotations take many forms", "Not tasks")."""

from duban.intake.extract import extract_text

HEAD = "某县人民政府办公室关于印发某县优化营商环境若干措施的通知\n某政办发〔2024〕8号\n"
FOOT = "\n某县人民政府办公室\n2024年3月1日\n"


def _tasks(body: str) -> list[dict]:
    result = extract_text(HEAD + body + FOOT, directory=False)
    return [task for document in result["documents"] for task in document["tasks"]]


def _units(task: dict) -> tuple[list[str], list[str]]:
    return task["lead_units"], task["units"]


def test_a_standing_instruction_covers_later_sections_items_that_carry_annotations():
    tasks = _tasks(
        "一、优化审批\n"
        "（一）压减审批时限。（县政务服务中心负责。以下均需各乡镇人民政府负责，不再列出）\n"
        "（二）推行容缺受理。（县政务服务中心、县住建局按职责分工负责）\n"
        "二、降低成本\n"
        "（三）降低用电成本。（县发改局负责）\n"
    )
    assert [task["ref"] for task in tasks] == ["一.(一)", "一.(二)", "二.(三)"]
    assert _units(tasks[2]) == ([], ["县发改局", "各乡镇人民政府"])


def test_and_splits_a_members_clause():
    [task] = _tasks("一、推进托育服务。（县妇联和县托育工作领导小组其他成员单位按职责分工负责）\n")
    assert task["units"] == ["县妇联", "县托育工作领导小组其他成员单位"]


def test_prose_assignment_inside_an_item():
    [task] = _tasks(
        "一、开展防汛检查。由县水利局牵头，县应急管理局、县自然资源局配合，于5月10日前完成全县堤防安全检查。\n"
    )
    assert _units(task) == (["县水利局"], ["县应急管理局", "县自然资源局"])
    assert [d["date"] for d in task["deadlines"]] == ["2024-05-10"]


def test_prose_subjects_must_name_a_unit():
    tasks = _tasks(
        "一、稳定住房消费\n"
        "（一）落实信贷政策。商业银行要合理确定首付比例。各有关部门要加强政策宣传。\n"
        "（二）加强税收征管。税务部门要加强交易环节税收征管。\n"
        "（三）规范中介机构。县住建、市场监管、公安等部门要开展联合检查，县住建局要会同有关部门建立黑名单制度。\n"
        "（四）强化监督。县纪委监委和县督查室要对各乡镇落实本通知情况开展督查。\n"
    )
    assert [task["ref"] for task in tasks] == ["一.(二)", "一.(三)"]
    assert _units(tasks[0]) == ([], ["税务部门"])
    assert _units(tasks[1]) == ([], ["县住建", "市场监管", "公安", "县住建局"])


def test_prose_in_the_plans_own_arrangements_is_no_task():
    tasks = _tasks(
        "一、改造老旧小区。（县住建局负责）\n"
        "二、保障措施\n"
        "（一）加强组织领导。由县住建局牵头，县财政局、县发改局配合，统筹推进改造工作。\n"
    )
    assert [task["ref"] for task in tasks] == ["一"]


def test_duties_under_a_unit_heading():
    tasks = _tasks(
        "四、职责分工\n"
        "（一）县教育局\n"
        "1.负责制定校园安全排查方案。\n"
        "2.牵头组织校车安全专项整治。\n"
        "（二）县交通运输局\n"
        "1.负责校车线路审核。\n"
    )
    assert [task["ref"] for task in tasks] == ["四.(一).1", "四.(一).2", "四.(二).1"]
    assert _units(tasks[0]) == ([], ["县教育局"])
    assert _units(tasks[1]) == (["县教育局"], [])
    assert _units(tasks[2]) == ([], ["县交通运输局"])


def test_duty_paragraphs_opening_with_a_unit():
    tasks = _tasks(
        "五、职责分工\n"
        "县卫健局：负责牵头组织实施，会同财政、医保等有关部门制定配套政策。\n"
        "县民政局：负责配合县卫健局做好养老机构医养结合工作。\n"
        "县自然资源局：由县自然资源局及各乡、镇人民政府负责保障项目用地。\n"
        "县发改局、人社局、市场监管局等其他部门按照职责分工，负责做好相关工作。\n"
        "六、保障措施\n"
        "（一）加强领导。各乡镇要建立工作专班。\n"
    )
    assert [task["ref"] for task in tasks] == ["五.1", "五.2", "五.3", "五.4"]
    assert _units(tasks[0]) == (["县卫健局"], ["财政", "医保"])
    assert _units(tasks[1]) == ([], ["县民政局"])
    assert _units(tasks[2]) == ([], ["县自然资源局", "各乡、镇人民政府"])
    assert _units(tasks[3]) == ([], ["县发改局", "人社局", "市场监管局"])


def test_item_titles_that_start_with_a_digit():
    tasks = _tasks(
        "一、数字基础设施\n"
        "1.千兆光网进小区。推进光纤到户改造。（县工信局牵头）\n"
        "2.5G基站补盲。新建基站一批。（县工信局、县铁塔公司负责）\n"
        "3.12345热线扩容。增加坐席。（县政务服务中心负责）\n"
    )
    assert [task["ref"] for task in tasks] == ["一.1", "一.2", "一.3"]
    assert [task["title"] for task in tasks] == ["千兆光网进小区", "5G基站补盲", "12345热线扩容"]
    assert _units(tasks[2]) == ([], ["县政务服务中心"])
    # Without an item 1 before it, a decimal opening a paragraph stays text.
    [task] = _tasks("一、降低成本。（县发改局负责）\n2.5亿元专项资金用于贴息。\n")
    assert task["ref"] == "一"


SPEECH = (
    "在全县春季森林防火工作会议上的讲话\n（2024年3月5日）\n同志们：\n一、压实防火责任\n"
    "一是清理林下可燃物。青山镇、白水乡要在3月20日前完成林缘可燃物清理。县林业局要加强巡查指导。"
    "各乡镇要落实网格责任。\n"
    "二是整改隐患。涉及青山镇、白水乡等乡镇，县应急管理局要督促其在3月31日前完成整改。\n"
    "三是加强宣传。县融媒体中心要加强宣传报道。\n"
)


def test_speech_tasks_gather_the_units_of_their_point():
    result = extract_text(SPEECH, directory=False)
    tasks = [task for document in result["documents"] for task in document["tasks"]]
    assert [task["ref"] for task in tasks] == ["一.一是", "一.二是"]
    # The next sentence of the point names a unit with a modal; the generic one adds nothing.
    assert tasks[0]["units"] == ["青山镇", "白水乡", "县林业局"]
    # The places the sentence says are concerned are the task's units too.
    assert tasks[1]["units"] == ["县应急管理局", "青山镇", "白水乡"]


def test_help_offered_when_needed_is_no_share_of_a_speech_task():
    text = SPEECH.replace("县林业局要加强巡查指导。", "县林业局要统筹考虑，必要时提供适当的帮助。")
    result = extract_text(text, directory=False)
    tasks = [task for document in result["documents"] for task in document["tasks"]]
    assert tasks[0]["units"] == ["青山镇", "白水乡"]


def test_numbered_duties_and_unit_headings_with_a_duty_word():
    tasks = _tasks(
        "三、部门职责\n"
        "1.县发改局：负责牵头编制年度项目计划。\n"
        "2.县财政局：负责保障项目资金。\n"
        "四、乡镇职责\n"
        "（一）青山镇主要职责\n"
        "1.负责辖区项目征地拆迁。\n"
    )
    assert [task["ref"] for task in tasks] == ["三.1", "三.2", "四.(一).1"]
    assert _units(tasks[0]) == (["县发改局"], [])
    assert _units(tasks[1]) == ([], ["县财政局"])
    assert _units(tasks[2]) == ([], ["青山镇"])


def test_prose_with_manner_words_and_a_lead_verb():
    tasks = _tasks(
        "一、推进充电设施建设。县发改局负责牵头，县住建局、县供电公司按职责分工抓好落实。\n"
        "二、开展消费季活动。县商务局积极组织企业参加展销。\n"
    )
    assert _units(tasks[0]) == (["县发改局"], ["县住建局", "县供电公司"])
    assert _units(tasks[1]) == ([], ["县商务局"])


def test_speech_roles_within_a_sentence_and_the_points_title():
    text = (
        "在全旗春耕生产推进会上的讲话\n（2024年4月2日）\n同志们：\n一、抓好春耕备耕\n"
        "一是保障农资供应。旗商务局要牵头在4月20日前完成化肥储备投放。"
        "二是修缮水利设施。旗水利局要会同各苏木乡镇，在4月25日前完成渠道清淤，旗财政局要保障维修资金。\n"
        "二、压实责任\n旗农牧局要会同旗气象局在5月10日前开展一次春播督查。\n"
    )
    result = extract_text(text, directory=False)
    tasks = [task for document in result["documents"] for task in document["tasks"]]
    assert [task["title"] for task in tasks] == [
        "保障农资供应",
        "修缮水利设施",
        "旗农牧局要会同旗气象局在5月10日前开展一次春播督查",
    ]
    assert _units(tasks[0]) == (["旗商务局"], [])
    assert _units(tasks[1]) == ([], ["旗水利局", "各苏木乡镇", "旗财政局"])
    assert _units(tasks[2]) == ([], ["旗农牧局", "旗气象局"])


def test_a_block_under_a_heading_before_its_items_covers_each_item():
    tasks = _tasks(
        "二、重点任务\n"
        "（一）建设县级物流园\n"
        "牵头单位：县商务局\n"
        "责任单位：县交通运输局\n"
        "1.在县城东片区建设县级物流分拨中心。完成时限：2025年9月底前\n"
        "2.建立入园企业项目库。\n"
    )
    assert [task["ref"] for task in tasks] == ["二.(一).1", "二.(一).2"]
    assert all(_units(task) == (["县商务局"], ["县交通运输局"]) for task in tasks)
    assert [d["date"] for d in tasks[0]["deadlines"]] == ["2025-09-30"]


def test_prose_under_a_heading_line_and_next_steps_of_a_bulletin():
    tasks = _tasks(
        "一、完成底册核对\n"
        "县统计局要会同县税务局、县市场监管局，于10月20日前完成底册比对。\n"
        "二、下步工作要求\n"
        "（一）抓好整改。青川县人民政府要于11月15日前报送整改情况。\n"
        "（二）建设县级冷链集配中心\n"
        "1.在县城建设县级冷链集配中心。\n"
    )
    assert [task["ref"] for task in tasks] == ["一", "二.(一)"]
    assert _units(tasks[0]) == ([], ["县统计局", "县税务局", "县市场监管局"])
    assert _units(tasks[1]) == ([], ["青川县人民政府"])


def test_partners_end_where_the_action_starts():
    tasks = _tasks(
        "三、职责分工\n（一）县教育局\n1.会同县财政局完善学生资助资金管理办法。\n"
        "四、强化保障\n5.加大金融支持。县地方金融管理局要会同人行某某县支行引导银行扩大信贷投放。\n"
    )
    assert _units(tasks[0]) == ([], ["县教育局", "县财政局"])
    # 地方 opens a class (地方各级财政部门), not inside a name.
    assert _units(tasks[1]) == ([], ["县地方金融管理局", "人行某某县支行"])


def test_prose_lead_with_a_partner_and_a_closing_follow_up_section():
    tasks = _tasks(
        "一、排查供暖隐患。县应急管理局要牵头，会同县住建局开展燃气设施隐患排查。\n"
        "二、狠抓工作落实\n各牵头单位要细化措施。县督查室要加强督导调度。\n"
    )
    assert [task["ref"] for task in tasks] == ["一"]
    assert _units(tasks[0]) == (["县应急管理局"], ["县住建局"])


def test_a_contact_list_under_a_heading_is_no_duty():
    tasks = _tasks(
        "一、改造管网。（县住建局负责）\n二、联系方式\n县住建局：李某，0731-82345678\n县水利局：王某，13800001111\n"
    )
    assert [task["ref"] for task in tasks] == ["一"]


def test_a_regulations_provisions_in_prose_are_no_tasks():
    text = (
        "某县人民政府关于印发某县农村公路养护管理办法的通知\n某政发〔2024〕3号\n"
        "某县农村公路养护管理办法\n一、县交通运输局负责全县农村公路养护的监督管理。\n"
        "二、各乡镇人民政府负责本辖区乡道、村道的日常养护。\n" + FOOT
    )
    result = extract_text(text, directory=False)
    assert [task for document in result["documents"] for task in document["tasks"]] == []


def test_a_deadline_only_annotation_leaves_the_units_to_the_heading():
    tasks = _tasks("三、职责分工\n（一）县民政局\n1.完成养老机构消防改造。（完成时限：2024年10月底前）\n")
    assert [task["ref"] for task in tasks] == ["三.(一).1"]
    assert _units(tasks[0]) == ([], ["县民政局"])
    assert [d["date"] for d in tasks[0]["deadlines"]] == ["2024-10-31"]


def test_a_unit_heading_on_its_own_line_owns_the_duties_below_it():
    tasks = _tasks(
        "三、职责分工\n"
        "县住建局：\n"
        "1.牵头编制老旧小区改造年度计划。\n"
        "2.会同县财政局落实改造资金。\n"
        "县城管局、县水务局：\n"
        "负责背街小巷管网和路面整治。\n"
        "四、保障措施\n"
        "加强督查考核。\n"
    )
    assert [task["ref"] for task in tasks] == ["三.县住建局.1", "三.县住建局.2", "三.县城管局、县水务局"]
    assert _units(tasks[0]) == (["县住建局"], [])
    assert _units(tasks[1]) == ([], ["县住建局", "县财政局"])
    assert tasks[2]["title"] == "负责背街小巷管网和路面整治"
    assert _units(tasks[2]) == ([], ["县城管局", "县水务局"])


def test_a_label_or_addressee_line_is_no_unit_heading():
    from duban.intake.prose import unit_heading

    assert unit_heading("县住建局：") == ["县住建局"]
    assert unit_heading("牵头单位：") is None
    assert unit_heading("各乡镇人民政府，县直有关部门：") is None
    assert unit_heading("各有关部门：") is None
