"""Decisions in, consequences out: 驻政〔2020〕24号 第九条 applied in order.

For each decision, in order of date then id (interpretation 2), the rulebook in force on its
date decides. A decision whose status the rulebook does not count (容错免责, revoked) changes
nothing at all, not even the counts later decisions see (interpretation 3).
"""

from __future__ import annotations

from collections import Counter

from duban.rules.consequences import FIRST, RULES, Application, Tally, triggered
from duban.rules.loader import RulebookSet
from duban.rules.model import UNIT_ANNUAL, UNIT_MONTHLY, Consequence, Result, Scenario

POINT_KINDS = (UNIT_MONTHLY, UNIT_ANNUAL)


def evaluate(scenario: Scenario, rulebooks: RulebookSet) -> Result:
    units = {unit.id: unit for unit in scenario.units}
    tally = Tally()
    consequences: list[Consequence] = []
    for decision in sorted(scenario.decisions, key=lambda d: d.sort_key):
        rulebook = rulebooks.in_force(decision.date)
        if decision.status not in rulebook.value("consequences.counted_statuses"):
            continue
        app = Application(decision=decision, unit=units[decision.unit], rulebook=rulebook, methods=list(dict.fromkeys(decision.methods)))
        ordered = sorted(rulebook.rules, key=lambda entry: entry["rule"] not in FIRST)
        first = [entry for entry in ordered if entry["rule"] in FIRST]
        rest = [entry for entry in ordered if entry["rule"] not in FIRST]
        for entry in first:
            if triggered(app, entry):
                consequences.extend(RULES[entry["rule"]](app, entry, tally))
        for kind in POINT_KINDS:
            consequences.extend(unit_points(app, kind, tally))
        for entry in rest:
            if triggered(app, entry):
                consequences.extend(RULES[entry["rule"]](app, entry, tally))
    return Result(consequences=consequences)


def unit_points(app: Application, kind: str, tally: Tally) -> list[Consequence]:
    """第九条第（二）（三）（五）项 "每次扣除", bounded per matter by 第九条第（七）项.

    Per unit and matter the total is max (or, by parameter, the sum) over methods of the points
    each method has accumulated; the decision books the increase of that total.
    """
    decision = app.decision
    rulebook = app.rulebook
    key = (decision.unit, decision.matter, kind)
    accumulated = tally.method_points.setdefault(key, Counter())
    table = f"consequences.unit_points.{kind}"
    for method in app.methods:
        accumulated[method] += rulebook.value(f"{table}.{method}")
    aggregation = rulebook.param("consequences.same_matter_aggregation")
    total = sum(accumulated.values()) if aggregation.value == "sum" else max(accumulated.values(), default=0)
    increase = total - tally.matter_totals[key]
    if increase <= 0:
        return []
    tally.matter_totals[key] = total
    # The method that now sets the total is one of this decision's (only they grew).
    leading = max(app.methods, key=lambda m: (accumulated[m], rulebook.value(f"{table}.{m}")))
    method_param = rulebook.param(f"{table}.{leading}")
    # Say so when 第（七）项 made the booking smaller than "每次扣除" alone would have.
    bounded = increase != sum(rulebook.value(f"{table}.{m}") for m in app.methods)
    basis = f"{method_param.reference}；{aggregation.reference}" if bounded else method_param.reference
    period = app.month if kind == UNIT_MONTHLY else app.year
    label = "督查事项月排名积分" if kind == UNIT_MONTHLY else "年度综合目标考核（加减分事项）"
    note = f"{leading}每次扣{method_param.value}分"
    if bounded:
        note += f"；同一事项按最高分值扣除，累计由{total - increase}分增至{total}分"
    return [
        Consequence(
            decision=decision.id, who=decision.unit, effect=kind, period=period, value=increase,
            basis=basis, parameter=f"{table}.{leading}", rulebook=rulebook.id, note=f"{label}：{note}",
        )
    ]
