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
