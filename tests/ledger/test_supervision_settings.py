"""督办设置 as data: the files load, a county extends its city, broken files are refused naming the key."""

import datetime as dt
from types import SimpleNamespace

import pytest

from duban.ledger import supervision
from duban.ledger.supervision import SupervisionSettingsError


def jurisdiction(code, parent=None):
    return SimpleNamespace(code=code, parent=parent, parent_id=1 if parent else None)


CITY = jurisdiction("zhumadian")


def test_a_county_takes_its_own_window_and_its_citys_ladder():
    county = supervision.settings_for(jurisdiction("yicheng", CITY))
    city = supervision.settings_for(CITY)
    assert county.acknowledge_working_days == 1
    assert city.acknowledge_working_days == 2
    assert county.ladder == city.ladder
    assert county.source.startswith("yicheng.yaml ← zhumadian.yaml")


def test_a_jurisdiction_without_a_file_takes_its_parents_then_dubans_defaults():
    assert supervision.settings_for(jurisdiction("suiping", CITY)).source.startswith("zhumadian.yaml")
    assert supervision.settings_for(jurisdiction("nowhere")).source == "supervision_default.yaml"


def test_the_ladder_reads_as_the_office_wrote_it():
    rungs = supervision.settings_for(CITY).ladder
    assert [(r.days, r.action) for r in rungs if r.counted_from == "deadline"] == [
        (-3, "remind"),
        (1, "remind"),
        (1, "propose_order"),
        (15, "propose_case"),
    ]
    assert rungs[0].when_label == "完成时限前 3 天"
    assert rungs[3].reference == "驻政〔2020〕24号第六条"


def write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path, settings):
    settings.DUBAN_SUPERVISION_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "text, named",
    [
        ("acknowledge: {within_working_days: 2, within_days: 3}", "within_days"),
        ("acknowledge: {within_working_days: -1}", "acknowledge.within_working_days"),
        ("extension: {approver: mayor}", "extension.approver"),
        ("lights: {order_overdue_red: maybe}", "lights.order_overdue_red"),
        ("ladder: {rungs: [{name: x, days: 1, action: sanction, to: [office]}]}", "action"),
        ("ladder: {rungs: [{name: x, days: 1, action: remind, to: [mayor]}]}", "to"),
        ("ladder: {rungs: [{name: x, days: 1, action: remind, to: [office], when: 1}]}", "when"),
        ("colour: red", "colour"),
        ("extends: nowhere", "nowhere.yaml"),
        ("[1, 2]", "YAML 映射"),
    ],
)
def test_a_broken_settings_file_is_refused_naming_what_is_wrong(folder, text, named):
    write(folder, "broken.yaml", text)
    with pytest.raises(SupervisionSettingsError, match=r"broken\.yaml") as refused:
        supervision.settings_for(jurisdiction("broken"))
    assert named in str(refused.value)


def test_extends_in_a_circle_is_refused(folder):
    write(folder, "a.yaml", "extends: b")
    write(folder, "b.yaml", "extends: a")
    with pytest.raises(SupervisionSettingsError, match="循环"):
        supervision.settings_for(jurisdiction("a"))


def test_a_changed_file_is_read_again(folder):
    write(folder, "c.yaml", "acknowledge: {within_working_days: 4}")
    assert supervision.settings_for(jurisdiction("c")).acknowledge_working_days == 4
    write(folder, "c.yaml", "acknowledge: {within_working_days: 5}\n# changed\n")
    import os

    os.utime(folder / "c.yaml", (1, 2))
    assert supervision.settings_for(jurisdiction("c")).acknowledge_working_days == 5


def test_working_days_skip_the_national_day_holiday_and_count_the_weekend_worked():
    calendar = supervision.calendar()
    # 2020-09-30 (Wed) + 2 working days: 10-01..10-08 are off, 10-09 (Fri) and 10-10 (Sat, worked).
    assert calendar.add_working_days(dt.date(2020, 9, 30), 2) == dt.date(2020, 10, 10)
    # 2020-04-24 (Fri) + 1: Sunday 04-26 is worked.
    assert calendar.add_working_days(dt.date(2020, 4, 24), 1) == dt.date(2020, 4, 26)
    # A year the calendar does not list counts Monday to Friday.
    assert calendar.add_working_days(dt.date(2030, 1, 4), 1) == dt.date(2030, 1, 7)


@pytest.mark.parametrize(
    "text, named",
    [
        ("years: {2020: {holidays: [2020-13-01]}}", "无法读取"),
        ('years: {2020: {holidays: ["2020-02-30"]}}', "不是日期"),
        ("years: {2020: {holidays: [2021-01-01]}}", "不在该年"),
        ("years: {2020: {holidays: [2020-10-01], workdays: [2020-10-01]}}", "既是假日"),
        ("years: {2020: {off: []}}", "只有"),
    ],
)
def test_a_broken_calendar_is_refused(folder, text, named):
    write(folder, "calendar.yaml", text)
    with pytest.raises(SupervisionSettingsError, match=named):
        supervision.calendar()


def test_the_system_check_names_a_broken_file_when_the_site_starts(folder):
    write(folder, "good.yaml", "acknowledge: {within_working_days: 3}")
    assert supervision.check_supervision_settings() == []
    write(folder, "bad.yaml", "lights: {warning_days: many}")
    problems = supervision.check_supervision_settings()
    assert [p.id for p in problems] == ["duban.E010"]
    assert "bad.yaml" in problems[0].msg and "lights.warning_days" in problems[0].msg


def test_the_shipped_files_pass_the_check():
    assert supervision.check_supervision_settings() == []
