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
