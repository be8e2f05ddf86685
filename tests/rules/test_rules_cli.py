"""`duban rules …` on input that is not what it should be: exit 2 and one line on stderr, nothing on stdout."""

from __future__ import annotations

import shutil

import pytest

from duban import RULEBOOKS_DIR
from duban.cli import main

DEEP = 100_000


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
        '{"jurisdiction": "zhumadian", "units": ' + "[" * DEEP + "]" * DEEP + "}",
    ],
)
def test_evaluate_refuses_deeply_nested_json(tmp_path, capsys, text):
    path = tmp_path / "scenario.json"
    path.write_text(text, encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and "nested too deeply" in captured.err


def test_check_refuses_a_deeply_nested_rulebook(tmp_path, capsys):
    root = tmp_path / "rulebooks"
    shutil.copytree(RULEBOOKS_DIR / "zhumadian", root / "zhumadian")
    version = next(p for p in (root / "zhumadian").iterdir() if p.is_dir())
    (version / "zz-deep.yaml").write_text("deep: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    assert main(["rules", "check", "--rulebooks", str(root), "zhumadian"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and "zz-deep.yaml" in captured.err


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "1900-01-01"])
def test_evaluate_refuses_a_decision_dated_outside_the_accepted_years(tmp_path, capsys, day):
    import json

    from duban import PROJECT_DIR

    scenario = json.loads((PROJECT_DIR.parent / "shared/spec/examples/02-max-rule.json").read_text(encoding="utf-8"))
    for decision in scenario["decisions"]:
        decision["date"] = day
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "decisions[0].date" in captured.err and "1949..2100" in captured.err
