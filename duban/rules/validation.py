"""Checks a rulebook version must pass before the engine may use it.

Each check is a small function that raises ``RulebookError(file, key, problem)``; the first
problem found stops loading, so a broken rulebook never half-applies.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from duban.rules.loader import Rulebook, RulebookError, RulebookSet, RuleEntry
from duban.rules.model import (
    AUDIENCE_OFFICE,
    AUDIENCE_SUPERVISORS,
    CASE_AUDIENCES,
    CASE_PARTS,
    CIVILIZED_ACTION_LABELS,
    CIVILIZED_LEVEL_LABELS,
    CIVILIZED_TITLE,
    EFFECT_CARRIES_LABELS,
    EFFECT_PERIOD_LABELS,
    EFFECT_SUBJECT_LABELS,
    METHOD_ROUTES,
    PUBLIC_EXPOSURE,
    REFERRAL_ROUTES,
    STATUS_UNDER_APPEAL,
    STATUSES,
    SUPERVISOR_FIELDS,
    UNIT_ANNUAL,
    UNIT_MONTHLY,
)

# Values that may legitimately be null: an open-ended version.
NULLABLE = {"effective_until.value", "effective_from.value"}  # open-ended; a start the regulation does not state
# A section the regulation does not provide, stated as such (``appeal: none``).
NONE = "none"
# An effect's declaration (effects[]): whom it falls on, the period it is booked in, what it carries.
EFFECT_SUBJECTS = set(EFFECT_SUBJECT_LABELS)
EFFECT_PERIODS = set(EFFECT_PERIOD_LABELS)
EFFECT_VALUES = set(EFFECT_CARRIES_LABELS)
CIVILIZED_LEVELS = set(CIVILIZED_LEVEL_LABELS)
CIVILIZED_ACTIONS = set(CIVILIZED_ACTION_LABELS)
WINDOWS = {"matter", "calendar_year"}
WHEN_KEYS: dict[str, set[str] | set[bool]] = {"subject": {"unit", "person"}, "sanctioned_after_referral": {True, False}}


def validate_rulebook(rulebook: Rulebook) -> None:
    for check in CHECKS:
        check(rulebook)


def validate_versions(jurisdiction: str, folder: Path, versions: list[Rulebook]) -> RulebookSet:
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for later in ordered[1:]:
        if not later.start_stated:
            raise RulebookError(
                later.source_of("effective_from"),
                "effective_from.value",
                f"{later.id}: only a jurisdiction's first version may leave its start unstated",
            )
    for earlier, later in itertools.pairwise(ordered):
        if earlier.effective_until is None or earlier.effective_until >= later.effective_from:
            raise RulebookError(
                later.source_of("effective_from"),
                "effective_from",
                f"version {later.id} overlaps version {earlier.id} "
                f"(which runs {'open-ended' if earlier.effective_until is None else 'until ' + earlier.effective_until.isoformat()})",
            )
    return RulebookSet(jurisdiction=jurisdiction, versions=tuple(ordered))


# --- generic checks -------------------------------------------------------------------------


def check_every_value_has_reference(rulebook: Rulebook) -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "value" in node:
                _require_reference(rulebook, node, path)
                if node["value"] is None and f"{path}.value" not in NULLABLE:
                    raise RulebookError(rulebook.source_of(path), f"{path}.value", "missing value")
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{path}[{index}]")

    walk(rulebook.data, "")


def check_jurisdiction(rulebook: Rulebook) -> None:
    code = (rulebook.data.get("jurisdiction") or {}).get("code")
    if code != rulebook.jurisdiction:
        raise RulebookError(
            rulebook.source_of("jurisdiction"),
            "jurisdiction.code",
            f"'{code}' does not match the folder '{rulebook.jurisdiction}'",
        )
    version_name = rulebook.id.split("/", 1)[1]
    if _is_date(version_name) and (not rulebook.start_stated or version_name != rulebook.effective_from.isoformat()):
        # Blame the version itself, even when it inherits the date through `extends`.
        source = rulebook.source_of("effective_from")
        raise RulebookError(
            source if source.startswith(rulebook.location) else rulebook.location,
            "effective_from.value",
            f"{start_label(rulebook)} does not match the version name '{version_name}'",
        )
    if rulebook.effective_until is not None and rulebook.effective_until < rulebook.effective_from:
        raise RulebookError(rulebook.source_of("effective_until"), "effective_until.value", "ends before it starts")


def _is_date(name: str) -> bool:
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True


def start_label(rulebook: Rulebook) -> str:
    """The version's start as a line shows it: its date, or 未载明 where the regulation states none."""
    return rulebook.effective_from.isoformat() if rulebook.start_stated else "未载明"


def _check_listing(rulebook: Rulebook, key: str, identity: str) -> None:
    items = rulebook.data.get(key)
    if not isinstance(items, list) or not items:
        raise RulebookError(rulebook.source_of(key), key, "missing value (a non-empty list)")
    seen = set()
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            raise RulebookError(rulebook.source_of(key), where, "must be a mapping")
        _require_reference(rulebook, item, where)
        if item.get(identity) in (None, ""):
            raise RulebookError(rulebook.source_of(key), f"{where}.{identity}", "missing value")
        if item[identity] in seen:
            raise RulebookError(rulebook.source_of(key), f"{where}.{identity}", f"duplicate '{item[identity]}'")
        seen.add(item[identity])


def check_roles(rulebook: Rulebook) -> None:
    _check_listing(rulebook, "roles", "name")


def check_effects(rulebook: Rulebook) -> None:
    _check_listing(rulebook, "effects", "code")
    for index, effect in enumerate(rulebook.data["effects"]):
        where = f"effects[{index}]"
        label = effect.get("label")
        if not isinstance(label, str) or not label.strip():
            raise RulebookError(rulebook.source_of("effects"), f"{where}.label", "missing value")
        for key, allowed in (("subject", EFFECT_SUBJECTS), ("period", EFFECT_PERIODS), ("carries", EFFECT_VALUES)):
            _require_choice(rulebook, f"{where}.{key}", effect.get(key), allowed, key)


def _require_effect(rulebook: Rulebook, path: str, code: Any, *, subjects: set[str], values: set[str]) -> None:
    """``code`` is an effect the version declares, on one of ``subjects``, carrying one of ``values``: what the
    rule kind at ``path`` can book."""
    declared = rulebook.effects.get(code) if isinstance(code, str) else None
    if declared is None:
        raise RulebookError(rulebook.source_of("consequences"), path, f"unknown effect '{code}' (not in effects)")
    if declared["subject"] not in subjects or declared["carries"] not in values:
        raise RulebookError(
            rulebook.source_of("consequences"),
            path,
            f"effect '{code}' falls on {declared['subject']} and carries {declared['carries']}: this rule books "
            f"effects on {'/'.join(sorted(subjects))} carrying {'/'.join(sorted(values))}",
        )


def check_methods(rulebook: Rulebook) -> None:
    _check_listing(rulebook, "methods", "name")
    codes: set[str] = set()
    for index, method in enumerate(rulebook.data["methods"]):
        code = method.get("code")
        if code is not None and code in codes:
            raise RulebookError(rulebook.source_of("methods"), f"methods[{index}].code", f"duplicate '{code}'")
        codes.add(code)


def check_situations(rulebook: Rulebook) -> None:
    _check_listing(rulebook, "groups", "number")
    _check_listing(rulebook, "situations", "number")
    groups = {g["number"] for g in rulebook.data["groups"]}
    for index, situation in enumerate(rulebook.data["situations"]):
        where = f"situations[{index}]"
        if not isinstance(situation["number"], int) or situation["number"] < 1:
            raise RulebookError(rulebook.source_of("situations"), f"{where}.number", "must be a positive whole number")
        if situation.get("group") not in groups:
            raise RulebookError(
                rulebook.source_of("situations"), f"{where}.group", f"unknown group '{situation.get('group')}'"
            )
        if not situation.get("text"):
            raise RulebookError(rulebook.source_of("situations"), f"{where}.text", "missing value")


def check_exemptions(rulebook: Rulebook) -> None:
    _check_listing(rulebook, "exemptions", "number")


def check_appeal(rulebook: Rulebook) -> None:
    if rulebook.data.get("appeal") == NONE:  # the regulation provides no appeal: nothing is counted under one
        return
    if not isinstance(rulebook.data.get("appeal"), dict):
        raise RulebookError(rulebook.source_of("appeal"), "appeal", f"missing value (its keys, or {NONE})")
    window = _param(rulebook, "appeal.window_days")
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise RulebookError(
            rulebook.source_of("appeal"), "appeal.window_days.value", "must be a positive number of days"
        )
    suspends = _param(rulebook, "appeal.suspends_decision")
    if not isinstance(suspends, bool):
        raise RulebookError(rulebook.source_of("appeal"), "appeal.suspends_decision.value", "must be true or false")
    _require_choice(
        rulebook, "appeal.counted_from.value", _param(rulebook, "appeal.counted_from"), {"receipt_of_opinion_letter"}
    )
    counted = "consequences" in rulebook.data and STATUS_UNDER_APPEAL in _param(
        rulebook, "consequences.counted_statuses"
    )
    if counted == suspends:
        raise RulebookError(
            rulebook.source_of("appeal"),
            "appeal.suspends_decision.value",
            f"says the appeal {'suspends' if suspends else 'does not suspend'} the decision, but "
            f"consequences.counted_statuses {'counts' if counted else 'does not count'} '{STATUS_UNDER_APPEAL}'",
        )


def check_procedure(rulebook: Rulebook) -> None:
    """第八条: the procedure's actors, and steps each acted on by one of them."""
    source = rulebook.source_of("procedure")
    procedure = rulebook.data.get("procedure") or {}
    actors = _check_actors(rulebook, procedure.get("actors"))
    steps = procedure.get("steps")
    if not isinstance(steps, list) or not steps:
        raise RulebookError(source, "procedure.steps", "missing value (a non-empty list)")
    orders = set()
    for index, step in enumerate(steps):
        where = f"procedure.steps[{index}]"
        if not isinstance(step, dict):
            raise RulebookError(source, where, "must be a mapping")
        _require_reference(rulebook, step, where)
        for key in ("order", "code", "name", "actor"):
            if step.get(key) in (None, ""):
                raise RulebookError(source, f"{where}.{key}", "missing value")
        if step["order"] in orders:
            raise RulebookError(source, f"{where}.order", f"duplicate step {step['order']}")
        orders.add(step["order"])
        _check_step_actor(rulebook, step["actor"], actors, f"{where}.actor")
    if not isinstance(_param(rulebook, "procedure.rejection_returns_to_previous_step"), bool):
        raise RulebookError(source, "procedure.rejection_returns_to_previous_step.value", "must be true or false")
    _check_visible_to(rulebook, procedure.get("visible_to"))


def _check_visible_to(rulebook: Rulebook, visible_to: Any) -> None:
    """Who reads which part of a case: every part named, audiences from the vocabulary, the office and the
    supervisors (who run the chain) reading every part."""
    source = rulebook.source_of("procedure")
    if not isinstance(visible_to, dict):
        raise RulebookError(source, "procedure.visible_to", f"missing value (a mapping of {', '.join(CASE_PARTS)})")
    for part in visible_to:
        if part not in CASE_PARTS:
            raise RulebookError(
                source, f"procedure.visible_to.{part}", f"unknown part '{part}' (expected {list(CASE_PARTS)})"
            )
    for part in CASE_PARTS:
        audiences = _param(rulebook, f"procedure.visible_to.{part}")
        where = f"procedure.visible_to.{part}.value"
        _require_subset(rulebook, where, audiences, set(CASE_AUDIENCES), "audience")
        for needed in (AUDIENCE_OFFICE, AUDIENCE_SUPERVISORS):
            if needed not in audiences:
                raise RulebookError(source, where, f"'{needed}' must read every part of a case (they run the chain)")


def _check_actors(rulebook: Rulebook, actors: Any) -> dict[str, dict[str, Any]]:
    source = rulebook.source_of("procedure")
    if not isinstance(actors, list) or not actors:
        raise RulebookError(source, "procedure.actors", "missing value (a non-empty list of who may act)")
    found: dict[str, dict[str, Any]] = {}
    for index, actor in enumerate(actors):
        where = f"procedure.actors[{index}]"
        if not isinstance(actor, dict) or not actor.get("name"):
            raise RulebookError(source, f"{where}.name", "missing value")
        _require_reference(rulebook, actor, where)
        if actor["name"] in found:
            raise RulebookError(source, f"{where}.name", f"duplicate '{actor['name']}'")
        field = actor.get("unit_field")
        if field is not None and field not in SUPERVISOR_FIELDS:
            raise RulebookError(source, f"{where}.unit_field", f"must be one of {sorted(SUPERVISOR_FIELDS)}")
        found[str(actor["name"])] = actor
    return found


def _check_step_actor(rulebook: Rulebook, actor: Any, actors: dict[str, dict[str, Any]], where: str) -> None:
    """A step's actor is a role someone can hold: one of procedure.actors, and ``of: unit`` only for a
    role a unit names its own holder of (unit_field)."""
    source = rulebook.source_of("procedure")
    if not isinstance(actor, dict) or not actor.get("role"):
        raise RulebookError(source, f"{where}.role", "missing value (actor: {role: …, of: unit})")
    role = actor["role"]
    if role not in actors:
        raise RulebookError(source, f"{where}.role", f"no role can be '{role}' (procedure.actors: {'、'.join(actors)})")
    of = actor.get("of")
    if of not in (None, "unit"):
        raise RulebookError(source, f"{where}.of", f"unknown '{of}' (expected 'unit' or nothing)")
    if of == "unit" and not actors[role].get("unit_field"):
        raise RulebookError(source, f"{where}.of", f"a unit names no '{role}' of its own (no unit_field)")


def check_referral(rulebook: Rulebook) -> None:
    """第八条第（二）项: routes by method (with the receiving body) and by unit or cadre level."""
    source = rulebook.source_of("referral")
    routes = (rulebook.data.get("referral") or {}).get("routes")
    if not isinstance(routes, dict) or not routes:
        raise RulebookError(source, "referral.routes", "missing value (route: {methods, body, reference})")
    for route, entry in routes.items():
        where = f"referral.routes.{route}"
        if route not in METHOD_ROUTES:
            raise RulebookError(source, where, f"unknown route '{route}' (expected one of {list(METHOD_ROUTES)})")
        if not isinstance(entry, dict):
            raise RulebookError(source, where, "must be a mapping")
        _require_reference(rulebook, entry, where)
        methods = entry.get("methods")
        if not isinstance(methods, list) or not methods:
            raise RulebookError(source, f"{where}.methods", "missing value")
        for method in methods:
            if method not in rulebook.method_names:
                raise RulebookError(source, f"{where}.methods", f"unknown method '{method}'")
        if not isinstance(entry.get("body"), str) or not entry["body"].strip():
            raise RulebookError(source, f"{where}.body", "missing value (the body that receives the decision)")
    for key in ("section_level_and_below", "vertically_managed"):
        _require_choice(rulebook, f"referral.{key}.value", _param(rulebook, f"referral.{key}"), set(REFERRAL_ROUTES))
    days = _param(rulebook, "referral.report_back_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise RulebookError(source, "referral.report_back_days.value", "must be a positive number of days")


def check_exemption_procedure(rulebook: Rulebook) -> None:
    """第八条: 容错免责程序与督查问责实施程序一致 — the only procedure duban runs for exemptions."""
    _require_choice(
        rulebook,
        "exemption_procedure.value",
        _param(rulebook, "exemption_procedure"),
        {"same_as_accountability"},
    )


def check_combinable(rulebook: Rulebook) -> None:
    if not isinstance(_param(rulebook, "combinable"), bool):
        raise RulebookError(rulebook.source_of("combinable"), "combinable.value", "must be true or false")


# --- consequences (第九条) --------------------------------------------------------------------


def check_consequence_settings(rulebook: Rulebook) -> None:
    counted = _param(rulebook, "consequences.counted_statuses")
    _require_subset(rulebook, "consequences.counted_statuses.value", counted, set(STATUSES), "status")
    _require_choice(rulebook, "consequences.order.value", _param(rulebook, "consequences.order"), {"date_then_id"})
    _require_choice(
        rulebook,
        "consequences.person_subject_role.value",
        _param(rulebook, "consequences.person_subject_role"),
        set(rulebook.role_names),
        what="role",
    )
    _require_choice(
        rulebook,
        "consequences.person_subject_unless_listed.value",
        _param(rulebook, "consequences.person_subject_unless_listed"),
        {"any_role", "same_role"},
    )
    _require_choice(
        rulebook,
        "consequences.same_matter_aggregation.value",
        _param(rulebook, "consequences.same_matter_aggregation"),
        {"max", "sum"},
    )
    base = _param(rulebook, "scoring.monthly_base_points")
    if not _is_number(base) or base < 0:
        raise RulebookError(
            rulebook.source_of("scoring"), "scoring.monthly_base_points.value", "must be a number of points"
        )


def check_unit_points(rulebook: Rulebook) -> None:
    for period in (UNIT_MONTHLY, UNIT_ANNUAL):
        path = f"consequences.unit_points.{period}"
        table = rulebook.node(path) if "consequences" in rulebook.data else None
        if not isinstance(table, dict):
            raise RulebookError(rulebook.source_of("consequences"), path, "missing value")
        _require_effect(rulebook, path, period, subjects={"unit"}, values={"points"})
        for method in table:
            if method not in rulebook.method_names:
                raise RulebookError(
                    rulebook.source_of("consequences"), f"{path}.{method}", f"unknown method '{method}'"
                )
        for method in rulebook.method_names:
            if method not in table:
                raise RulebookError(rulebook.source_of("consequences"), f"{path}.{method}", "missing value")
            points = rulebook.value(f"{path}.{method}")
            if not _is_number(points) or points < 0:
                raise RulebookError(
                    rulebook.source_of("consequences"),
                    f"{path}.{method}.value",
                    f"points must be a number ≥ 0, not '{points}'",
                )


def check_rules(rulebook: Rulebook) -> None:
    from duban.rules.consequences import RULES

    rules = rulebook.data.get("consequences", {}).get("rules")
    if not isinstance(rules, list):
        raise RulebookError(rulebook.source_of("consequences"), "consequences.rules", "missing value (a list)")
    seen = set()
    for index, entry in enumerate(rules):
        where = f"consequences.rules[{index}]"
        if not isinstance(entry, dict):
            raise RulebookError(rulebook.source_of("consequences"), where, "must be a mapping")
        _require_reference(rulebook, entry, where)
        if not entry.get("id") or entry["id"] in seen:
            raise RulebookError(rulebook.source_of("consequences"), f"{where}.id", "missing or duplicate id")
        seen.add(entry["id"])
        kind = entry.get("rule")
        if kind not in RULES:
            raise RulebookError(rulebook.source_of("consequences"), f"{where}.rule", f"unknown rule '{kind}'")
        methods = entry.get("methods")
        if not isinstance(methods, list) or not methods:
            raise RulebookError(rulebook.source_of("consequences"), f"{where}.methods", "missing value")
        for method in methods:
            if method not in rulebook.method_names:
                raise RulebookError(
                    rulebook.source_of("consequences"), f"{where}.methods", f"unknown method '{method}'"
                )
        for key, value in (entry.get("when") or {}).items():
            if key not in WHEN_KEYS or value not in WHEN_KEYS[key]:
                raise RulebookError(
                    rulebook.source_of("consequences"), f"{where}.when.{key}", f"unknown condition '{key}: {value}'"
                )
        RULE_CHECKS[kind](rulebook, entry, where)


def _check_effects(rulebook: Rulebook, entry: RuleEntry, where: str, *, subjects: set[str], values: set[str]) -> None:
    effects = entry.get("effects")
    if not isinstance(effects, list) or not effects:
        raise RulebookError(rulebook.source_of("consequences"), f"{where}.effects", "missing value")
    for effect in effects:
        _require_effect(rulebook, f"{where}.effects", effect, subjects=subjects, values=values)


def _check_roles_map(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    roles = entry.get("roles")
    if not isinstance(roles, dict) or not roles:
        raise RulebookError(rulebook.source_of("consequences"), f"{where}.roles", "missing value")
    for role, effects in roles.items():
        if role not in rulebook.role_names:
            raise RulebookError(rulebook.source_of("consequences"), f"{where}.roles.{role}", f"unknown role '{role}'")
        if not isinstance(effects, list):
            raise RulebookError(rulebook.source_of("consequences"), f"{where}.roles.{role}", "must be a list")
        for effect in effects:
            _require_effect(rulebook, f"{where}.roles.{role}", effect, subjects={"person"}, values={"none"})


def _check_repetition(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    threshold = entry.get("threshold")
    if not isinstance(threshold, dict) or threshold.get("value") is None:
        raise RulebookError(
            rulebook.source_of("consequences"), f"{where}.threshold", "missing value (a whole number ≥ 1)"
        )
    count = threshold["value"]
    # bool is an int in Python: YAML's `yes`/`true` must not pass for the number 1.
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise RulebookError(
            rulebook.source_of("consequences"), f"{where}.threshold.value", f"must be a whole number ≥ 1, not '{count}'"
        )
    window = entry.get("window")
    if not isinstance(window, dict) or window.get("value") not in WINDOWS:
        raise RulebookError(rulebook.source_of("consequences"), f"{where}.window", f"must be one of {sorted(WINDOWS)}")


def _check_unit_effects(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    _check_effects(rulebook, entry, where, subjects={"unit"}, values={"none", "decision"})


def _check_subject_person(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    _check_effects(rulebook, entry, where, subjects={"person"}, values={"none"})


def _check_role_effects(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    _check_roles_map(rulebook, entry, where)


def _check_repeated_roles(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    _check_repetition(rulebook, entry, where)
    _check_roles_map(rulebook, entry, where)


def _check_escalation(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    _check_repetition(rulebook, entry, where)
    if entry.get("escalate_to") not in rulebook.method_names:
        raise RulebookError(
            rulebook.source_of("consequences"), f"{where}.escalate_to", f"unknown method '{entry.get('escalate_to')}'"
        )
    _require_effect(rulebook, f"{where}.escalate_to", PUBLIC_EXPOSURE, subjects={"unit"}, values={"decision"})


def _check_supervisor(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    if entry.get("supervisor") not in SUPERVISOR_FIELDS:
        raise RulebookError(
            rulebook.source_of("consequences"), f"{where}.supervisor", f"must be one of {sorted(SUPERVISOR_FIELDS)}"
        )
    _check_effects(rulebook, entry, where, subjects={"supervisor", "person"}, values={"none"})


def _check_civilized(rulebook: Rulebook, entry: RuleEntry, where: str) -> None:
    levels = entry.get("levels")
    if not isinstance(levels, dict) or not levels:
        raise RulebookError(rulebook.source_of("consequences"), f"{where}.levels", "missing value")
    _require_subset(rulebook, f"{where}.levels", list(levels), CIVILIZED_LEVELS, "文明单位 level")
    _require_subset(rulebook, f"{where}.levels", list(levels.values()), CIVILIZED_ACTIONS, "action")
    _require_effect(rulebook, f"{where}.levels", CIVILIZED_TITLE, subjects={"unit"}, values={"choice"})


RULE_CHECKS: dict[str, Callable[[Rulebook, RuleEntry, str], None]] = {
    "unit_effects": _check_unit_effects,
    "subject_person_effects": _check_subject_person,
    "role_effects": _check_role_effects,
    "repeated_role_effects": _check_repeated_roles,
    "repeated_escalation": _check_escalation,
    "supervisor_effects": _check_supervisor,
    "civilized_title": _check_civilized,
}


# --- helpers ----------------------------------------------------------------------------------


def _param(rulebook: Rulebook, path: str) -> Any:
    top = path.split(".")[0]
    if top not in rulebook.data:
        raise RulebookError(rulebook.source_of(top), path, "missing value")
    return rulebook.value(path)


def _require_reference(rulebook: Rulebook, node: Mapping[str, Any], path: str) -> None:
    reference = node.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise RulebookError(
            rulebook.source_of(path), f"{path}.reference" if path else "reference", "missing article reference"
        )


def _require_choice(rulebook: Rulebook, path: str, value: Any, allowed: set[str], what: str = "value") -> None:
    if value not in allowed:
        raise RulebookError(
            rulebook.source_of(path), path, f"unknown {what} '{value}' (expected one of {sorted(map(str, allowed))})"
        )


def _require_subset(rulebook: Rulebook, path: str, values: Any, allowed: set[str], what: str) -> None:
    if not isinstance(values, list):
        raise RulebookError(rulebook.source_of(path), path, "must be a list")
    for value in values:
        if value not in allowed:
            raise RulebookError(rulebook.source_of(path), path, f"unknown {what} '{value}'")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- the format's keys ---------------------------------------------------------------------------------

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")
PARAM_FIELDS = ("value", "reference", "text")


@functools.cache
def vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The rulebook format (vocabulary.yaml): the data-keyed maps, the values with their article, the other keys."""
    import yaml

    listed = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return frozenset(listed["data"]), frozenset(listed["params"]), frozenset(listed["keys"])


def folded_keys(node: Any, path: str = "", shown: str = "") -> list[tuple[str, str]]:
    """(folded path, path as shown) of every mapping key under ``node``: a list's entries fold into [] (shown
    with their index), the keys of a data-keyed map into *."""
    data, _, _ = vocabulary()
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, child in node.items():
            folded = f"{path}.*" if path in data else (f"{path}.{key}" if path else str(key))
            where = f"{shown}.{key}" if shown else str(key)
            found.append((folded, where))
            found += folded_keys(child, folded, where)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += folded_keys(child, f"{path}[]", f"{shown}[{index}]")
    return found


def unknown_keys(rulebook: Rulebook) -> list[str]:
    """The keys of the version the format has not (as shown: ``appeal.window`` …), in the files' order."""
    _, params, keys = vocabulary()
    unknown: list[str] = []
    for folded, where in folded_keys(rulebook.data):
        head, _, last = folded.rpartition(".")
        if folded in keys or folded in params or (head in params and last in PARAM_FIELDS):
            continue
        if any(where.startswith((f"{known}.", f"{known}[")) for known in unknown):
            continue  # under a key already unknown: the key itself is named
        unknown.append(where)
    return unknown


def check_known_keys(rulebook: Rulebook) -> None:
    """Every key is one the code reads (vocabulary.yaml): a misspelt or invented key would be a rule nobody
    applies, so the version is refused, naming every such key."""
    unknown = unknown_keys(rulebook)
    if unknown:
        raise RulebookError(
            rulebook.source_of(unknown[0]),
            unknown[0],
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            "(the rulebook format has no such key: duban/rules/vocabulary.yaml)",
        )


CHECKS: tuple[Callable[[Rulebook], None], ...] = (
    check_every_value_has_reference,
    check_jurisdiction,
    check_roles,
    check_effects,
    check_methods,
    check_situations,
    check_exemptions,
    check_appeal,
    check_procedure,
    check_referral,
    check_exemption_procedure,
    check_combinable,
    check_consequence_settings,
    check_unit_points,
    check_rules,
    check_known_keys,
)
