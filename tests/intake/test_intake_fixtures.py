"""Documents from other cities, in other annotation habits and formats, against hand-made gold.

Each fixture was written to exercise what the seed does not: doc number above the title and
"附件" attachments (洛阳), GB18030 with running headers and page numbers (开封), a DOCX with a task
table (南阳), a PDF with page breaks mid-sentence (新乡), a speech with "X牵头，会同Y" (许昌), and an issue
excerpt with a dotted table of contents, unsigned notice and inline 责任单位 lines (周口), which
was labelled before the extractor ever read it.
"""

import json

import pytest
from intake_paths import FIXTURES, GOLD

from duban.intake.evaluate import evaluate, format_scores
from duban.intake.extract import extract_file

CASES = [
    "luoyang-notice-with-attachment.txt",
    "kaifeng-opinion-gb18030.txt",
    "nanyang-plan-with-task-table.docx",
    "xinxiang-notice.pdf",
    "xuchang-speech.txt",
    "zhoukou-gazette-excerpt.txt",
    # Task tables (duban/intake/tables.py): a table-only attachment printed one row per line (赣州), one
    # cell per line with a page number between rows (百色), a DOCX with a two-row header and merged
    # cells (柳州) and the same table ruled in a PDF made by LibreOffice (桂林).
    "ganzhou-task-table-rows.txt",
    "baise-task-table-cells.txt",
    "liuzhou-task-list-merged-table.docx",
    "guilin-task-list-ruled-table.pdf",
]
# Every fixture is small, so one fact is several points of F1; below 0.9 means a fact class broke.
THRESHOLDS = {"documents": 1.0, "tasks": 0.9, "lead_units": 0.9, "units": 0.9, "targets": 0.9, "deadlines": 0.9}


@pytest.mark.parametrize("name", CASES)
def test_fixture_against_gold(name):
    gold = json.loads((GOLD / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
    extraction = extract_file(FIXTURES / name)
    assert extraction["source"] == name
    scores = evaluate(gold, extraction)
    print(f"\n{name}\n" + format_scores(scores))
    for field, minimum in THRESHOLDS.items():
        assert scores[field].f1 >= minimum, (field, scores[field])


def test_all_fixtures_together():
    """Pooled scores over every fixture (printed; the per-file test holds the thresholds)."""
    gold = {"documents": []}
    pred = {"documents": []}
    for name in CASES:
        g = json.loads((GOLD / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
        p = extract_file(FIXTURES / name)
        # Prefix titles so that documents of different files never match each other.
        for document in g["documents"]:
            document["title"] = f"{name}:{document['title']}"
            document["doc_no"] = document["doc_no"] and f"{name}:{document['doc_no']}"
        for document in p["documents"]:
            document["title"] = f"{name}:{document['title']}"
            document["doc_no"] = document["doc_no"] and f"{name}:{document['doc_no']}"
        gold["documents"] += g["documents"]
        pred["documents"] += p["documents"]
    scores = evaluate(gold, pred)
    print("\nall fixtures\n" + format_scores(scores))
    assert scores["tasks"].f1 >= 0.9


def test_unknown_jurisdiction_has_no_resolution_keys():
    extraction = extract_file(FIXTURES / "luoyang-notice-with-attachment.txt")
    task = extraction["documents"][1]["tasks"][0]
    assert "resolved_units" not in task and "unresolved" not in task


def test_unresolved_names_are_reported_not_dropped(tmp_path):
    text = (
        "驻马店市人民政府关于加强某项工作的通知\n驻政〔2021〕1号\n一、重点任务\n"
        "1. 做好某项工作。（市卫健委牵头，市星际旅行局、市财政局负责）\n驻马店市人民政府\n2021年1月4日\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    [task] = extract_file(path)["documents"][0]["tasks"]
    assert task["units"] == ["市星际旅行局", "市财政局"]
    assert task["resolved_lead_units"] == ["驻马店市卫生健康体育委员会"]
    assert task["resolved_units"] == ["驻马店市财政局"]
    assert task["unresolved"] == ["市星际旅行局"]
