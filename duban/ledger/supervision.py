"""督办设置: each jurisdiction's thresholds for the task's side of supervision, as data.

签收 within N working days, who approves a 延期, when a light turns yellow or red, when a report counts
as missed, and the escalation ladder (reminders and proposals at days relative to a deadline) are read
from ``DUBAN_SUPERVISION_DIR``/<code>.yaml (the repository's ``supervision-settings/``). A jurisdiction
without a file of its own takes its parent's, and the top of the chain the settings shipped with duban
(duban/ledger/supervision_default.yaml). A file may say ``extends: <code>`` and give only what differs;
every key it gives is read (an unknown key is refused, naming it), and each section may carry a
``reference`` (the rule or the office's decision it comes from), shown on the settings page.

Working days come from the calendar beside the settings (``calendar.yaml``: the State Council's
holidays and the weekend days worked instead, year by year); a year it does not list counts
Monday to Friday.

A broken file is refused with a ``SupervisionSettingsError`` naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

DEFAULT_FILE = Path(__file__).resolve().parent / "supervision_default.yaml"
CALENDAR_FILE = "calendar.yaml"

# Who may be named as the one who decides a 延期 or receives a rung of the ladder.
APPROVERS = {"office": "督查室", "owner": "任务经办人"}
RECIPIENTS = {"units": "承办单位联络员", "lead_units": "牵头单位联络员", "owner": "任务经办人", "office": "督查室"}
LADDER_ACTIONS = {"remind": "提醒", "propose_order": "建议下发督办单", "propose_case": "建议立案问责"}
LADDER_FROM = {"deadline": "完成时限", "order_reply": "督办单回复期限"}


class SupervisionSettingsError(ValueError):
    """A settings file that cannot be used: the message names the file and the key."""


@dataclass(frozen=True)
class Rung:
    """One rung of the escalation ladder: ``days`` after (negative: before) the date it counts from."""

    name: str
    days: int
    counted_from: str
    action: str
    to: tuple[str, ...]
    reference: str

    def recipients_label(self) -> str:
        return "、".join(RECIPIENTS[r] for r in self.to)

    @property
    def action_label(self) -> str:
        return LADDER_ACTIONS[self.action]

    @property
    def when_label(self) -> str:
        base = LADDER_FROM[self.counted_from]
        if self.days < 0:
            return f"{base}前 {-self.days} 天"
        if self.days == 0:
            return f"{base}当天"
        return f"{base}后 {self.days} 天"


@dataclass(frozen=True)
class SupervisionSettings:
    source: str  # the file (and those it extends) the settings were read from
    reference: str  # what the settings are (the office's rules they state)
    acknowledge_working_days: int
    acknowledge_reference: str
    extension_approver: str
    extension_reference: str
    warning_days: int
    behind_trajectory_points: int | None
    missed_reports_for_yellow: int
    order_overdue_red: bool
    lights_reference: str
    report_grace_days: int
    reports_reference: str
    ladder: tuple[Rung, ...]
    ladder_reference: str

    @property
    def extension_approver_label(self) -> str:
        return APPROVERS[self.extension_approver]


# --- reading ---------------------------------------------------------------------------------------


def settings_dir() -> Path:
    return Path(settings.DUBAN_SUPERVISION_DIR)


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def settings_for(jurisdiction: Any) -> SupervisionSettings:
    """The settings in force for ``jurisdiction`` (its file, else its parent's, else duban's defaults).
    Read once per process and read again when a file changes."""
    folder = settings_dir()
    chain = []
    current = jurisdiction
    while current is not None:
        chain.append(current.code)
        current = current.parent if current.parent_id else None
    for code in chain:
        path = folder / f"{code}.yaml"
        if path.is_file():
            return _loaded(str(folder), code, _stamps(folder))
    return _loaded(str(folder), "", _stamps(folder))


def _stamps(folder: Path) -> tuple[float, ...]:
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return (_stamp(DEFAULT_FILE), *(_stamp(p) for p in files), len(files))


@functools.lru_cache(maxsize=64)
def _loaded(folder: str, code: str, stamps: tuple[float, ...]) -> SupervisionSettings:
    raw, source = _merged(Path(folder), code, seen=())
    return parse(raw, source=source)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise SupervisionSettingsError(f"{path.name}：无法读取（{error.__class__.__name__}）") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SupervisionSettingsError(f"{path.name}：应是键值对（YAML 映射）")
    return data


def _merged(folder: Path, code: str, *, seen: tuple[str, ...]) -> tuple[dict, str]:
    """The raw settings of ``code`` with what it extends merged under it (section by section)."""
    if not code:
        return _read_yaml(DEFAULT_FILE), DEFAULT_FILE.name
    if code in seen:
        raise SupervisionSettingsError(f"{code}.yaml：extends 循环引用（{' → '.join((*seen, code))}）")
    path = folder / f"{code}.yaml"
    if not path.is_file():
        raise SupervisionSettingsError(f"{(seen or (code,))[-1]}.yaml：extends 指向的 {code}.yaml 不存在")
    own = _read_yaml(path)
    parent_code = own.pop("extends", "")
    if parent_code is not None and not isinstance(parent_code, str):
        raise SupervisionSettingsError(f"{path.name}：extends 应是辖区代码")
    base, base_source = _merged(folder, parent_code or "", seen=(*seen, code))
    merged = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged, f"{path.name} ← {base_source}"


# --- checking --------------------------------------------------------------------------------------


def _section(raw: Mapping, name: str, keys: set[str], source: str) -> dict:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise SupervisionSettingsError(f"{source}：缺少 {name} 一节")
    unknown = sorted(set(section) - keys - {"reference"})
    if unknown:
        raise SupervisionSettingsError(f"{source}：{name} 中有未知的设置项 {', '.join(unknown)}")
    return section


def _int(section: Mapping, name: str, key: str, source: str, *, low: int, high: int, none_ok: bool = False) -> Any:
    value = section.get(key)
    if value is None and none_ok:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SupervisionSettingsError(f"{source}：{name}.{key} 应是 {low} 到 {high} 之间的整数（现为 {value!r}）")
    return value


def _reference(section: Mapping, name: str, source: str) -> str:
    value = section.get("reference", "")
    if not isinstance(value, str):
        raise SupervisionSettingsError(f"{source}：{name}.reference 应是文字")
    return value


def parse(raw: Mapping, *, source: str) -> SupervisionSettings:
    """Check ``raw`` (a settings file merged with what it extends) and build the settings."""
    unknown = sorted(set(raw) - {"acknowledge", "extension", "lights", "reports", "ladder", "reference"})
    if unknown:
        raise SupervisionSettingsError(f"{source}：未知的设置项 {', '.join(map(str, unknown))}")
    ack = _section(raw, "acknowledge", {"within_working_days"}, source)
    ext = _section(raw, "extension", {"approver"}, source)
    lights = _section(
        raw, "lights", {"warning_days", "behind_trajectory_points", "missed_reports", "order_overdue_red"}, source
    )
    reports = _section(raw, "reports", {"grace_days"}, source)
    ladder = raw.get("ladder")
    if not isinstance(ladder, dict) or not isinstance(ladder.get("rungs"), list):
        raise SupervisionSettingsError(f"{source}：缺少 ladder 一节（rungs: 列表）")
    unknown = sorted(set(ladder) - {"rungs", "reference"})
    if unknown:
        raise SupervisionSettingsError(f"{source}：ladder 中有未知的设置项 {', '.join(unknown)}")
    approver = ext.get("approver")
    if approver not in APPROVERS:
        raise SupervisionSettingsError(
            f"{source}：extension.approver 应是 {' / '.join(APPROVERS)} 之一（现为 {approver!r}）"
        )
    order_red = lights.get("order_overdue_red")
    if not isinstance(order_red, bool):
        raise SupervisionSettingsError(f"{source}：lights.order_overdue_red 应是 true 或 false")
    title = raw.get("reference", "")
    if not isinstance(title, str):
        raise SupervisionSettingsError(f"{source}：reference 应是文字")
    return SupervisionSettings(
        source=source,
        reference=title,
        acknowledge_working_days=_int(ack, "acknowledge", "within_working_days", source, low=0, high=30),
        acknowledge_reference=_reference(ack, "acknowledge", source),
        extension_approver=approver,
        extension_reference=_reference(ext, "extension", source),
        warning_days=_int(lights, "lights", "warning_days", source, low=0, high=60),
        behind_trajectory_points=_int(
            lights, "lights", "behind_trajectory_points", source, low=1, high=100, none_ok=True
        ),
        missed_reports_for_yellow=_int(lights, "lights", "missed_reports", source, low=1, high=24),
        order_overdue_red=order_red,
        lights_reference=_reference(lights, "lights", source),
        report_grace_days=_int(reports, "reports", "grace_days", source, low=0, high=31),
        reports_reference=_reference(reports, "reports", source),
        ladder=tuple(_rung(item, i, source) for i, item in enumerate(ladder["rungs"], 1)),
        ladder_reference=_reference(ladder, "ladder", source),
    )


def _rung(item: Any, number: int, source: str) -> Rung:
    where = f"{source}：ladder 第 {number} 级"
    if not isinstance(item, dict):
        raise SupervisionSettingsError(f"{where}应是键值对")
    unknown = sorted(set(item) - {"name", "days", "from", "action", "to", "reference"})
    if unknown:
        raise SupervisionSettingsError(f"{where}有未知的设置项 {', '.join(unknown)}")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SupervisionSettingsError(f"{where}缺少 name（名称）")
    days = item.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or not -60 <= days <= 365:
        raise SupervisionSettingsError(f"{where}的 days 应是 -60 到 365 之间的整数（现为 {days!r}）")
    counted_from = item.get("from", "deadline")
    if counted_from not in LADDER_FROM:
        raise SupervisionSettingsError(f"{where}的 from 应是 {' / '.join(LADDER_FROM)} 之一（现为 {counted_from!r}）")
    action = item.get("action")
    if action not in LADDER_ACTIONS:
        raise SupervisionSettingsError(f"{where}的 action 应是 {' / '.join(LADDER_ACTIONS)} 之一（现为 {action!r}）")
    to = item.get("to")
    if not isinstance(to, list) or not to or any(r not in RECIPIENTS for r in to):
        raise SupervisionSettingsError(f"{where}的 to 应是 {' / '.join(RECIPIENTS)} 中的一个或多个（现为 {to!r}）")
    reference = item.get("reference", "")
    if not isinstance(reference, str):
        raise SupervisionSettingsError(f"{where}的 reference 应是文字")
    return Rung(name.strip(), days, counted_from, action, tuple(to), reference)


# --- working days ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]  # 法定节假日 (and the days off moved next to them)
    workdays: frozenset[dt.date]  # weekend days worked instead (调休上班)

    def years(self) -> list[int]:
        """The years the calendar lists (other years count Monday to Friday)."""
        return sorted({day.year for day in self.holidays | self.workdays})

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself when days is 0)."""
        day = start
        left = days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day


def calendar() -> WorkCalendar:
    path = settings_dir() / CALENDAR_FILE
    return _calendar(str(path), _stamp(path))


@functools.lru_cache(maxsize=8)
def _calendar(path: str, stamp: float) -> WorkCalendar:
    file = Path(path)
    if not file.is_file():
        return WorkCalendar(frozenset(), frozenset())
    raw = _read_yaml(file)
    unknown = sorted(set(raw) - {"years", "reference"})
    if unknown:
        raise SupervisionSettingsError(f"{file.name}：未知的设置项 {', '.join(map(str, unknown))}")
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for year, entry in (raw.get("years") or {}).items():
        if not isinstance(entry, dict) or set(entry) - {"holidays", "workdays", "reference"}:
            raise SupervisionSettingsError(f"{file.name}：{year} 年应只有 holidays、workdays、reference")
        for key, into in (("holidays", holidays), ("workdays", workdays)):
            for value in entry.get(key) or []:
                for day in _days(value, f"{file.name}：{year} 年 {key}"):
                    if day.year != year:
                        raise SupervisionSettingsError(f"{file.name}：{year} 年 {key} 中的 {day} 不在该年")
                    into.add(day)
    both = holidays & workdays
    if both:
        raise SupervisionSettingsError(f"{file.name}：{min(both)} 既是假日又是调休上班日")
    return WorkCalendar(frozenset(holidays), frozenset(workdays))


def _days(value: Any, where: str) -> list[dt.date]:
    """A date, or a range written ``2020-10-01..2020-10-08``."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    first, _, last = text.partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if last else start
    except ValueError:
        raise SupervisionSettingsError(
            f"{where}：“{text}”不是日期（应为 2020-10-01 或 2020-10-01..2020-10-08）"
        ) from None
    if end < start or (end - start).days > 31:
        raise SupervisionSettingsError(f"{where}：“{text}”的日期范围不对")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def check_supervision_settings(app_configs: Any = None, **kwargs: Any) -> list:
    """System check (manage.py check, and every start): every settings file in the folder and the
    calendar load, so a broken file is found when the site starts rather than by the daily run."""
    from django.core import checks

    folder = settings_dir()
    problems = []
    files = sorted(p for p in folder.glob("*.yaml") if p.name != CALENDAR_FILE) if folder.is_dir() else []
    for path in files:
        try:
            _loaded(str(folder), path.stem, _stamps(folder))
        except SupervisionSettingsError as error:
            problems.append(checks.Error(f"督办设置：{error}", id="duban.E010"))
    try:
        calendar()
    except SupervisionSettingsError as error:
        problems.append(checks.Error(f"督办设置：{error}", id="duban.E011"))
    return problems
