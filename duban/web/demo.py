"""The demo data set: demo/*.yaml loaded through the service functions, idempotently.

Everything the demo shows is data (demo/), nothing here names a unit or a person. Loading twice
changes nothing: each object is looked up by its natural key first, and a decision's status is
driven to the one the file asks for through the 第八条 transitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from duban import PROJECT_DIR
from duban.accountability import services as accountability
from duban.accountability.models import Decision, Matter
from duban.accounts import selectors as accounts_selectors
from duban.accounts import services as accounts
from duban.accounts.models import AuditAction, Jurisdiction, Person, Unit
from duban.errors import InputError

DEMO_DIR = PROJECT_DIR / "demo"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def summary(self) -> str:
        if not self.created:
            return "演示数据已存在，未作改动。"
        return "已载入演示数据：" + "，".join(f"{kind} {n}" for kind, n in self.created.items())


def read(name: str, directory: Path = DEMO_DIR) -> dict[str, Any]:
    path = directory / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: 无法读取演示数据（{exc}）") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: 应为 YAML 映射")
    return data


@transaction.atomic
def load_demo(directory: Path = DEMO_DIR, log: Callable[[str], None] = lambda _: None) -> LoadReport:
    report = LoadReport()
    people_file = read("people", directory)
    _check_passwords(people_file)
    jurisdictions = _jurisdictions(read("jurisdictions", directory), report)
    _supervisors(people_file, jurisdictions, report)
    _directories(jurisdictions, report)
    _units(read("units", directory), jurisdictions, report)
    _staff(people_file, jurisdictions, report)
    users = _users(people_file, jurisdictions, report)
    decisions_file = read("decisions", directory)
    actor = users.get(decisions_file.get("recorded_by", ""))
    _matters(decisions_file, jurisdictions, actor, report)
    _decisions(decisions_file, jurisdictions, actor, report, log)
    from duban.ledger import demo as ledger_demo  # the seed read, reviewed and reported on (2020)

    ledger_demo.load(report, log=log)
    from duban.accountability.demo_cases import load_demo_cases

    load_demo_cases(report, log)  # cases through the 第八条 chain, appeals, referrals, rectification
    return report


def story_day(directory: Path = DEMO_DIR) -> dt.date:
    """The day the demo's story has reached (demo/story.yaml): `make demo` runs the site on it."""
    return dt.date.fromisoformat(str(read("story", directory)["today"]))


def demo_logins(directory: Path = DEMO_DIR) -> list[dict[str, str]]:
    return [
        {"username": u["username"], "password": u["password"], "label": u.get("label", "")}
        for u in read("people", directory).get("users", [])
    ]


# --- steps ---------------------------------------------------------------------------------------


def _jurisdictions(data: dict, report: LoadReport) -> dict[str, Jurisdiction]:
    found: dict[str, Jurisdiction] = {}
    for item in data["jurisdictions"]:
        existing = Jurisdiction.objects.filter(code=item["code"]).first()
        if existing is None:
            existing = accounts.jurisdiction_create(
                actor=None,
                code=item["code"],
                name=item["name"],
                level=item.get("level", Jurisdiction.Level.CITY),
                parent=found[item["parent"]] if item.get("parent") else None,
                rulebook_code=item.get("rulebook", ""),
            )
            report.count("辖区")
        found[item["code"]] = existing
    return found


def _person(jurisdiction: Jurisdiction, item: dict, unit: Unit | None, report: LoadReport) -> Person:
    existing = Person.objects.filter(jurisdiction=jurisdiction, name=item["name"], unit=unit).first()
    if existing is not None:
        return existing
    report.count("人员")
    return accounts.person_create(
        actor=None,
        jurisdiction=jurisdiction,
        unit=unit,
        name=item["name"],
        role=item["role"],
        position=item.get("position", ""),
        cadre_level=item.get("cadre_level", Person.CadreLevel.SECTION_AND_BELOW),
    )


def _supervisors(data: dict, jurisdictions: dict[str, Jurisdiction], report: LoadReport) -> None:
    for code, items in data.get("supervisors", {}).items():
        for item in items:
            _person(jurisdictions[code], item, None, report)


def _directories(jurisdictions: dict[str, Jurisdiction], report: LoadReport) -> None:
    """Units come from each jurisdiction's 机构名录 (directories/<code>/units.yaml) where it has one."""
    from duban import DIRECTORIES_DIR

    for code, jurisdiction in jurisdictions.items():
        if (DIRECTORIES_DIR / code / "units.yaml").exists():
            created, _ = accounts.unit_directory_load(actor=None, jurisdiction=jurisdiction)
            for _ in range(created):
                report.count("单位")


def _units(data: dict, jurisdictions: dict[str, Jurisdiction], report: LoadReport) -> None:
    """Demo attributes (文明单位, 垂直管理, supervisors) of directory units; units no directory lists."""
    for code, items in data["units"].items():
        jurisdiction = jurisdictions[code]
        for item in items:
            attributes = {
                "civilized": item.get("civilized", Unit.Civilized.NONE),
                "liaison_supervisor": _supervisor(jurisdiction, item.get("liaison")),
                "first_level_supervisor": _supervisor(jurisdiction, item.get("first_level")),
            }
            if "vertically_managed" in item:  # otherwise the 机构名录 says
                attributes["vertically_managed"] = item["vertically_managed"]
            unit = accounts_selectors.unit_find(jurisdiction=jurisdiction, name=item["name"])
            if unit is None:
                accounts.unit_create(
                    actor=None,
                    jurisdiction=jurisdiction,
                    name=item["name"],
                    short_name=item.get("short_name", ""),
                    aliases=item.get("aliases", []),
                    **attributes,
                )
                report.count("单位")
                continue
            changed = {key: value for key, value in attributes.items() if getattr(unit, key) != value}
            short_name = item.get("short_name") or (item["name"] if item["name"] != unit.name else "")
            if short_name and not unit.short_name:
                changed["short_name"] = short_name
            if changed:
                accounts.unit_update(actor=None, unit=unit, data=changed)


def _supervisor(jurisdiction: Jurisdiction, name: str | None) -> Person | None:
    if not name:
        return None
    person = Person.objects.filter(jurisdiction=jurisdiction, name=name, unit__isnull=True).first()
    if person is None:
        raise InputError(f"demo/units.yaml: 未定义的督查人员：{name}（见 demo/people.yaml 的 supervisors）")
    return person


def _staff(data: dict, jurisdictions: dict[str, Jurisdiction], report: LoadReport) -> None:
    for code, units in data.get("staff", {}).items():
        jurisdiction = jurisdictions[code]
        for unit_name, items in units.items():
            unit = _unit(jurisdiction, unit_name, "demo/people.yaml")
            for item in items:
                _person(jurisdiction, item, unit, report)


def _check_passwords(data: dict) -> None:
    """Every demo login's password passes the site's validators (AUTH_PASSWORD_VALIDATORS), before anything
    is written: a weak one stops the load, naming the login and what is wrong with it."""
    from duban.ledger.demo import DEMO_PASSWORD  # the liaisons the ledger's demo makes for its units

    User = get_user_model()
    logins = [("demo/people.yaml", u["username"], u["password"], u.get("label", "")) for u in data.get("users", [])]
    logins.append(("duban/ledger/demo.py", "各单位联络员", DEMO_PASSWORD, "联络员"))
    for source, username, password, label in logins:
        try:
            validate_password(str(password), User(username=username, first_name=label))
        except ValidationError as exc:
            raise InputError(f"{source}: 账号 {username} 的密码不符合密码规则：{''.join(exc.messages)}") from None


def _users(data: dict, jurisdictions: dict[str, Jurisdiction], report: LoadReport) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    for item in data.get("users", []):
        user = User.objects.filter(username=item["username"]).first()
        if user is None:
            user = accounts.user_create(
                actor=None,
                username=item["username"],
                password=item["password"],
                is_staff=item.get("staff", False),
                is_superuser=item.get("superuser", False),
                first_name=item.get("label", ""),
            )
            report.count("账号")
        if item.get("permissions"):
            accounts.user_grant(actor=None, user=user, permissions=item["permissions"])
        link = item.get("person")
        if link:
            person = Person.objects.filter(jurisdiction=jurisdictions[link["jurisdiction"]], name=link["name"]).first()
            if person is None:
                raise InputError(f"demo/people.yaml: 账号 {item['username']} 对应的人员不存在：{link['name']}")
            if person.user_id != user.pk:
                accounts.person_link_user(actor=None, person=person, user=user)
        for role in item.get("roles", []):  # roles beyond the person's function, e.g. 督查落实委员会
            accounts.user_add_role(actor=None, user=user, role=role)
        users[item["username"]] = user
    return users


def _matters(data: dict, jurisdictions: dict[str, Jurisdiction], actor, report: LoadReport) -> None:
    for code, items in data["matters"].items():
        jurisdiction = jurisdictions[code]
        for item in items:
            if Matter.objects.filter(jurisdiction=jurisdiction, code=item["code"]).exists():
                continue
            accountability.matter_create(
                actor=actor,
                jurisdiction=jurisdiction,
                code=item["code"],
                title=item["title"],
                unit=_unit(jurisdiction, item["unit"], "demo/decisions.yaml") if item.get("unit") else None,
                source=item.get("source", ""),
            )
            report.count("督查事项")


def _decisions(data: dict, jurisdictions: dict[str, Jurisdiction], actor, report: LoadReport, log) -> None:
    """The decisions of 2020 made before duban: entered by 历史导入 with their source document."""
    imported = data.get("historical_import") or {}
    for item in data["decisions"]:
        jurisdiction = jurisdictions[item["jurisdiction"]]
        unit = _unit(jurisdiction, item["unit"], "demo/decisions.yaml")
        matter = Matter.objects.get(jurisdiction=jurisdiction, code=item["matter"])
        day = _date(item["date"])
        decision = next(
            (
                d
                for d in Decision.objects.filter(jurisdiction=jurisdiction, matter=matter, unit=unit, date=day)
                if d.methods == list(item["methods"])
            ),
            None,
        )
        if decision is None:
            decision = accountability.decision_import_historical(
                actor=actor,
                source_document=item.get("source") or imported.get("source", ""),
                reason=imported.get("reason", ""),
                jurisdiction=jurisdiction,
                matter=matter,
                unit=unit,
                date=day,
                situation_number=item["situation"],
                methods=item["methods"],
                subject=item.get("subject", "unit"),
                person=_staff_member(jurisdiction, unit, item["person"]) if item.get("person") else None,
                responsible={
                    role: [_staff_member(jurisdiction, unit, name) for name in names]
                    for role, names in (item.get("responsible") or {}).items()
                },
                sanctioned_after_referral=item.get("sanctioned_after_referral", False),
                opinion_letter_received=_date(item.get("opinion_letter_received")),
            )
            report.count("问责决定")
            log(f"{day} {unit.name} {'、'.join(item['methods'])}")
        _drive_status(decision, item, actor)


def _drive_status(decision: Decision, item: dict, actor) -> None:
    """Bring the decision to the status the file describes, through the allowed transitions only."""
    appeal = item.get("appeal")
    exemption = item.get("exemption")
    if appeal and decision.status == Decision.Status.EFFECTIVE and not _appealed_before(decision):
        decision = accountability.decision_appeal(
            actor=actor, decision=decision, filed_on=_date(appeal["filed_on"]), reason=appeal.get("reason", "")
        )
    if appeal and decision.status == Decision.Status.UNDER_APPEAL:
        if appeal.get("outcome") == "upheld":
            accountability.decision_uphold(actor=actor, decision=decision, reason=appeal.get("reason", ""))
        elif appeal.get("outcome") == "revoked":
            accountability.decision_revoke(actor=actor, decision=decision, reason=appeal.get("reason", ""))
    if exemption and decision.status == Decision.Status.EFFECTIVE:
        accountability.decision_exempt(
            actor=actor, decision=decision, ground=exemption["ground"], reason=exemption.get("reason", "")
        )


def _appealed_before(decision: Decision) -> bool:
    # An upheld decision is effective again; it must not be appealed a second time on reload.
    from duban.accounts.models import AuditLog

    return AuditLog.objects.filter(
        object_type=Decision._meta.label, object_id=str(decision.pk), action=AuditAction.DECISION_APPEAL
    ).exists()


def _unit(jurisdiction: Jurisdiction, name: str, source: str) -> Unit:
    unit = accounts_selectors.unit_find(jurisdiction=jurisdiction, name=name)
    if unit is None:
        raise InputError(f"{source}: {jurisdiction.name}没有单位“{name}”（见 demo/units.yaml）")
    return unit


def _staff_member(jurisdiction: Jurisdiction, unit: Unit, name: str) -> Person:
    person = Person.objects.filter(jurisdiction=jurisdiction, unit=unit, name=name).first()
    if person is None:
        raise InputError(f"demo/decisions.yaml: {unit.name}没有人员“{name}”（见 demo/people.yaml 的 staff）")
    return person


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
