"""The forms a version may take beyond the city's own. A county's version that ``extends`` the city's may drop
what it does not adopt with ``remove:`` — a section, a key, an entry of a list by its name, number or code —
and what it then leaves wrong is refused as any broken rulebook is, naming the file, the key and the problem.
A regulation that states no date of its own is a version with an unstated start, named by a name of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.rules.loader import RulebookError, load_rulebooks

HEAD = """extends: zhumadian/2020-04-22
jurisdiction: {code: suiping, name: 遂平县}
effective_from: {value: 2020-06-01, reference: 第八条}
"""


def county(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "suiping"
    folder.mkdir(parents=True)
    (folder / "2020-06-01.yaml").write_text(HEAD + text, encoding="utf-8")
    return tmp_path


def load(tmp_path: Path, text: str):
    return load_rulebooks("suiping", county(tmp_path, text)).latest()


def refusal(tmp_path: Path, text: str) -> RulebookError:
    with pytest.raises(RulebookError) as caught:
        load(tmp_path, text)
    return caught.value


def test_a_county_that_does_not_adopt_a_ground_of_exemption_removes_it(tmp_path):
    city = load_rulebooks("zhumadian").latest()
    version = load(tmp_path, "remove: [exemptions.3]\n")
    assert [e["number"] for e in city.exemptions] == [1, 2, 3, 4]
    assert [e["number"] for e in version.exemptions] == [1, 2, 4]
    assert version.situations == city.situations  # the rest is the city's


def test_a_removed_key_of_a_mapping_is_gone_and_the_county_may_give_it_again(tmp_path):
    version = load(
        tmp_path,
        "remove: [appeal.decided_by]\nappeal:\n  decided_by: {value: 遂平县人民政府督查室, reference: 第八条}\n",
    )
    assert version.param("appeal.decided_by").value == "遂平县人民政府督查室"
    assert version.param("appeal.window_days").value == 15  # merged, not replaced


def test_a_method_removed_while_a_rule_still_counts_it_is_refused_naming_the_rule(tmp_path):
    error = refusal(tmp_path, "remove: [methods.通报批评]\n")
    assert "通报批评" in error.problem and "unknown method" in error.problem


def test_removing_what_the_city_does_not_have_is_refused(tmp_path):
    error = refusal(tmp_path, "remove: [exemptions.9]\n")
    assert (error.key, error.problem) == (
        "remove[0]",
        "'exemptions.9' is not in zhumadian/2020-04-22: nothing to remove",
    )
    assert error.file.endswith("suiping/2020-06-01.yaml")


def test_remove_must_be_a_list_of_paths(tmp_path):
    assert refusal(tmp_path, "remove: exemptions.3\n").key == "remove"
    assert refusal(tmp_path / "b", "remove: [[exemptions]]\n").key == "remove[0]"


def test_a_version_that_extends_nothing_has_nothing_to_remove(tmp_path):
    folder = tmp_path / "lone"
    folder.mkdir()
    (folder / "2020-06-01.yaml").write_text("remove: [exemptions.3]\n", encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebooks("lone", tmp_path)
    assert caught.value.key == "remove" and "extends none" in caught.value.problem


# --- a regulation that states no date, and a version named otherwise than by its date ------------------------

UNDATED = """extends: zhumadian/2020-04-22
jurisdiction: {code: huiqu, name: 某区}
effective_from: {value: null, reference: 未载明（办法未写施行日期）}
"""


def undated(tmp_path: Path, name: str, text: str = UNDATED) -> Path:
    folder = tmp_path / "huiqu"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_regulation_that_states_no_date_applies_to_every_day_and_is_named_by_its_own_name(tmp_path):
    import datetime as dt

    from duban.rules.validation import start_label

    versions = load_rulebooks("huiqu", undated(tmp_path, "shixing"))
    (version,) = versions.versions
    assert version.id == "huiqu/shixing" and not version.start_stated
    assert versions.in_force(dt.date(2001, 1, 1)) is version and start_label(version) == "未载明"


def test_an_undated_first_version_gives_way_to_a_dated_one(tmp_path):
    import datetime as dt

    first = UNDATED + "effective_until: {value: 2020-12-31, reference: 第十条}\n"
    undated(tmp_path, "shixing", first)
    undated(tmp_path, "2021-01-01", UNDATED.replace("value: null", "value: 2021-01-01"))
    versions = load_rulebooks("huiqu", tmp_path)
    assert [v.id for v in versions.versions] == ["huiqu/shixing", "huiqu/2021-01-01"]
    assert versions.in_force(dt.date(2021, 3, 1)).id == "huiqu/2021-01-01"


def test_only_the_first_version_may_leave_its_start_unstated(tmp_path):
    undated(tmp_path, "shixing", UNDATED + "effective_until: {value: 2020-12-31, reference: 第十条}\n")
    undated(tmp_path, "xiuding")
    with pytest.raises(RulebookError) as caught:
        load_rulebooks("huiqu", tmp_path)
    assert caught.value.key == "effective_from.value" and "first version" in caught.value.problem


def test_a_version_named_by_a_date_must_state_that_date(tmp_path):
    with pytest.raises(RulebookError) as caught:
        load_rulebooks("huiqu", undated(tmp_path, "2020-06-01"))
    assert caught.value.problem == "未载明 does not match the version name '2020-06-01'"


def test_the_check_prints_an_unstated_start(tmp_path, capsys):
    from duban.cli import main

    assert main(["rules", "check", "--rulebooks", str(undated(tmp_path, "shixing")), "huiqu"]) == 0
    assert "huiqu/shixing: 有效 未载明 至 —" in capsys.readouterr().out
