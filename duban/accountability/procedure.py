"""The 第八条 chain as the rulebook states it: steps, their actors, and the texts a case page shows.

Nothing here names a step: the city's 办法 has six (调查核实 → 二级督查 → 一级督查 → 副总督查 → 总督查 →
督查落实委员会), a county states its own in its rulebook's ``procedure.steps``. A case keeps the id
of the rulebook version in force when it was opened, so a later version does not move it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from duban.accountability.rulebooks import rulebook_in_force, rulebooks_for
from duban.accounts.models import Jurisdiction
from duban.rules import model as rules
from duban.rules.loader import Param, Rulebook


@dataclass(frozen=True)
class Step:
    order: int
    code: str
    name: str
    actor: str  # as the page prints it: the actor's label, else its role (督查室, 二级督查, 区政府督查室 …)
    reference: str
    role: str = ""  # the role group that acts (procedure.actors[].name)
    unit_field: str = ""  # set when the actor is the case unit's own holder of the role (`of: unit`)
    text: str = ""  # the article's words for the step


def chain_of(rulebook: Rulebook) -> tuple[Step, ...]:
    """The steps of 第八条 as the rulebook states them; an exemption case runs the same chain
    (exemption_procedure: same_as_accountability, the only procedure the validator admits)."""
    procedure = rulebook.data.get("procedure", {})
    unit_fields = {str(a["name"]): str(a.get("unit_field") or "") for a in procedure.get("actors") or []}
    chain = tuple(_step(s, unit_fields) for s in sorted(procedure.get("steps") or [], key=lambda s: int(s["order"])))
    if len(chain) < 2:
        raise ValidationError(f"问责规则 {rulebook.id} 的 procedure.steps 至少应有调查核实和批准两个环节")
    return chain


def _step(step: dict, unit_fields: dict[str, str]) -> Step:
    actor = step["actor"]
    role = str(actor["role"])
    return Step(
        order=int(step["order"]),
        code=str(step["code"]),
        name=str(step["name"]),
        actor=str(actor.get("label") or role),
        reference=str(step.get("reference", "")),
        role=role,
        unit_field=unit_fields.get(role, "") if actor.get("of") == "unit" else "",
        text=str(step.get("text", "")),
    )


def returns_to(rulebook: Rulebook, chain: tuple[Step, ...], current: Step) -> Step:
    """Where a return sends the case: the step before (第八条's rule as the city states it), or, when
    the rulebook says procedure.rejection_returns_to_previous_step is false, the first step."""
    if rulebook.value("procedure.rejection_returns_to_previous_step"):
        return chain[chain.index(current) - 1]
    return chain[0]


def rulebook_version(jurisdiction: Jurisdiction, rulebook_id: str) -> Rulebook:
    """A version by id (a case keeps the one it was opened under, even after a newer one starts)."""
    for version in rulebooks_for(jurisdiction).versions:
        if version.id == rulebook_id:
            return version
    raise ValidationError(f"{jurisdiction.name}的问责规则中没有版本 {rulebook_id}")


def rulebook_for_new_case(jurisdiction: Jurisdiction, day: dt.date) -> Rulebook:
    return rulebook_in_force(jurisdiction, day, field="opened")


def case_rulebook(case) -> Rulebook:
    return rulebook_version(case.jurisdiction, case.rulebook_id)


def decision_rulebook(decision) -> Rulebook:
    """The version in force on the decision's date: the one its consequences and its appeal follow."""
    return rulebook_in_force(decision.jurisdiction, decision.date)


def case_chain(case) -> tuple[Step, ...]:
    return chain_of(case_rulebook(case))


def case_current_step(case) -> Step | None:
    return next((step for step in case_chain(case) if step.code == case.step), None)


def situation_text(rulebook: Rulebook, number: int | None) -> str:
    for item in rulebook.situations:
        if int(item["number"]) == number:
            return str(item["text"])
    return ""


def situation_choices(rulebook: Rulebook) -> list[tuple[str, list[tuple[int, str]]]]:
    """第六条 grouped as the 办法 prints it: (group name, [(number, "8. text"), …])."""
    groups = {int(g["number"]): str(g["name"]) for g in rulebook.data.get("groups", [])}
    grouped: dict[str, list[tuple[int, str]]] = {}
    for item in rulebook.situations:
        name = groups.get(int(item.get("group", 0)), "其他")
        grouped.setdefault(name, []).append((int(item["number"]), f"{item['number']}. {item['text']}"))
    return list(grouped.items())


def exemption_text(rulebook: Rulebook, number: int | None) -> str:
    for item in rulebook.exemptions:
        if int(item["number"]) == number:
            return str(item["text"])
    return ""


# --- the regulation as a page -------------------------------------------------------------------------


def rulebook_outline(rulebook: Rulebook) -> dict:
    """The rulebook in force, article by article, for the 问责办法 page: what each value is, its article,
    and the article's own words where the rulebook quotes them."""
    data = rulebook.data

    def param(path: str) -> Param:
        return rulebook.param(path)

    groups = {int(g["number"]): g for g in data.get("groups", [])}
    by_group: dict[int, list[dict]] = {}
    for item in rulebook.situations:
        by_group.setdefault(int(item.get("group", 0)), []).append(item)
    points = data["consequences"]["unit_points"]
    routes = [
        {**entry, "route": route_label(route), "methods": "、".join(entry.get("methods", []))}
        for route, entry in rulebook.referral_routes().items()
    ]
    choice = rules.CHOICE_LABELS
    return {
        "id": rulebook.id,
        "jurisdiction": data.get("jurisdiction", {}),
        "document": data.get("document", {}),
        "effective_from": rulebook.effective_from if rulebook.start_stated else None,
        "effective_until": rulebook.effective_until,
        "effective": param("effective_from"),
        "interpretation_by": param("interpretation_by"),
        "scope": {key: param(f"scope.{key}") for key in data.get("scope", {})},
        "roles": rulebook.roles,
        "methods": rulebook.methods,
        "combinable": param("combinable"),
        "groups": [(groups.get(number, {}), items) for number, items in sorted(by_group.items())],
        "exemptions": rulebook.exemptions,
        "exemption_procedure": param("exemption_procedure"),
        "exemption_procedure_label": choice["exemption_procedure"].get(param("exemption_procedure").value, ""),
        "steps": chain_of(rulebook),
        "returns_to_previous": param("procedure.rejection_returns_to_previous_step"),
        "visible_to": [
            {
                "part": rules.CASE_PART_LABELS[part],
                "audiences": "、".join(
                    rules.CASE_AUDIENCE_LABELS[a] for a in param(f"procedure.visible_to.{part}").value
                ),
                "reference": param(f"procedure.visible_to.{part}").reference,
            }
            for part in rules.CASE_PARTS
        ],
        "routes": routes,
        "section_level": param("referral.section_level_and_below"),
        "section_level_label": route_label(param("referral.section_level_and_below").value),
        "vertically_managed": param("referral.vertically_managed"),
        "vertically_managed_label": route_label(param("referral.vertically_managed").value),
        "report_back_days": param("referral.report_back_days"),
        "appeal": {key: param(f"appeal.{key}") for key in data["appeal"]} if rulebook.has_appeal else {},
        "counted_from_label": choice["counted_from"].get(param("appeal.counted_from").value, "")
        if rulebook.has_appeal
        else "",
        "points": [
            {
                "method": method,
                "monthly": rulebook.param(f"consequences.unit_points.monthly.{method}"),
                "annual": rulebook.param(f"consequences.unit_points.annual.{method}"),
            }
            for method in rulebook.method_names
            if method in points.get("monthly", {})
        ],
        "aggregation": param("consequences.same_matter_aggregation"),
        "aggregation_label": choice["same_matter_aggregation"].get(param("consequences.same_matter_aggregation").value),
        "rules": [{**rule, "effects_label": _effects_label(rule, rulebook)} for rule in rulebook.rules],
        "effects": [
            {
                **effect,
                "subject_label": rules.EFFECT_SUBJECT_LABELS.get(effect["subject"], effect["subject"]),
                "period_label": rules.EFFECT_PERIOD_LABELS.get(effect["period"], effect["period"]),
                "carries_label": rules.EFFECT_CARRIES_LABELS.get(effect["carries"], effect["carries"]),
            }
            for effect in rulebook.effects.values()
        ],
        "counted_statuses": param("consequences.counted_statuses"),
        "counted_labels": "、".join(
            rules.STATUS_LABELS.get(s, s) for s in param("consequences.counted_statuses").value
        ),
        "person_subject_role": param("consequences.person_subject_role"),
        "person_subject_unless_listed": param("consequences.person_subject_unless_listed"),
        "unless_listed_label": choice["person_subject_unless_listed"].get(
            param("consequences.person_subject_unless_listed").value, ""
        ),
        "order": param("consequences.order"),
        "order_label": choice["order"].get(param("consequences.order").value, ""),
        "monthly_base": param("scoring.monthly_base_points"),
        "annual_base": param("scoring.annual_base_points"),
    }


def route_label(route: str) -> str:
    from duban.accountability.models import Referral

    return str(Referral.Route(route).label) if route in Referral.Route.values else route


def _effects_label(rule: dict, rulebook) -> str:
    """What a consequence rule does, in words (each effect as the rulebook declares it): its effects, per role
    where it names roles."""
    if rule.get("escalate_to"):
        return f"给予{rule['escalate_to']}"
    if isinstance(rule.get("roles"), dict):
        return "；".join(
            f"{role}：{'、'.join(rulebook.effect_label(e) for e in effects)}" for role, effects in rule["roles"].items()
        )
    if isinstance(rule.get("levels"), dict):
        return "；".join(
            f"{rules.CIVILIZED_LEVEL_LABELS.get(level, level)}：{rules.CIVILIZED_ACTION_LABELS.get(action, action)}"
            for level, action in rule["levels"].items()
        )
    return "、".join(rulebook.effect_label(e) for e in rule.get("effects") or [])
