"""Decisions in, consequences out: 驻政〔2020〕24号 第九条 applied in order.

For each decision, in order of date then id (interpretation 2), the rulebook in force on its
date decides. A decision whose status the rulebook does not count (容错免责, revoked) changes
nothing at all, not even the counts later decisions see (interpretation 3).
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass

from duban.rules.consequences import FIRST, RULES, Application, Tally, triggered
from duban.rules.loader import Param, Rulebook, RulebookSet, RuleEntry
from duban.rules.model import UNIT_ANNUAL, UNIT_MONTHLY, Consequence, Result, Scenario

POINT_KINDS = (UNIT_MONTHLY, UNIT_ANNUAL)
POINT_LABELS = {UNIT_MONTHLY: "督查事项月排名积分", UNIT_ANNUAL: "年度综合目标考核（加减分事项）"}


@dataclass(frozen=True)
class Compiled:
    """A rulebook version read once into the shapes the loop needs."""

    rulebook: Rulebook
    counted_statuses: frozenset[str]
    points: dict[str, dict[str, Param]]  # kind -> method -> points parameter
    aggregation: Param
    first: tuple[RuleEntry, ...]  # escalations: they change which methods a decision counts as
    rest: tuple[RuleEntry, ...]

    @classmethod
    def of(cls, rulebook: Rulebook) -> Compiled:
        return cls(
            rulebook=rulebook,
            counted_statuses=frozenset(rulebook.value("consequences.counted_statuses")),
            points={
                kind: {m: rulebook.param(f"consequences.unit_points.{kind}.{m}") for m in rulebook.method_names}
                for kind in POINT_KINDS
            },
            aggregation=rulebook.param("consequences.same_matter_aggregation"),
            first=tuple(e for e in rulebook.rules if e["rule"] in FIRST),
            rest=tuple(e for e in rulebook.rules if e["rule"] not in FIRST),
        )


def evaluate(scenario: Scenario, rulebooks: RulebookSet) -> Result:
    units = {unit.id: unit for unit in scenario.units}
    compiled: dict[str, Compiled] = {}
    tally = Tally()
    consequences: list[Consequence] = []
    # The loop builds no reference cycles; pausing the cyclic collector keeps a large batch
    # from being rescanned as it grows (measured: it made 100,000 decisions superlinear).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for decision in sorted(scenario.decisions, key=lambda d: (d.date, d.id)):
            rulebook = rulebooks.in_force(decision.date)
            book = compiled.get(rulebook.id) or compiled.setdefault(rulebook.id, Compiled.of(rulebook))
            if decision.status not in book.counted_statuses:
                continue
            app = Application(
                decision=decision,
                unit=units[decision.unit],
                rulebook=rulebook,
                methods=list(dict.fromkeys(decision.methods)),
            )
            for entry in book.first:
                if triggered(app, entry):
                    consequences.extend(RULES[entry["rule"]](app, entry, tally))
            for kind in POINT_KINDS:
                booked = unit_points(app, book, kind, tally)
                if booked is not None:
                    consequences.append(booked)
            for entry in book.rest:
                if triggered(app, entry):
                    consequences.extend(RULES[entry["rule"]](app, entry, tally))
    finally:
        if collecting:
            gc.enable()
    return Result(consequences=consequences)


def unit_points(app: Application, book: Compiled, kind: str, tally: Tally) -> Consequence | None:
    """第九条第（二）（三）（五）项 "每次扣除", bounded per matter by 第九条第（七）项.

    Per unit and matter the total is max (or, by parameter, the sum) over methods of the points
    each method has accumulated; the decision books the increase of that total.
    """
    decision = app.decision
    table = book.points[kind]
    key = (decision.unit, decision.matter, kind)
    accumulated = tally.method_points.get(key)
    if accumulated is None:
        accumulated = tally.method_points[key] = Counter()
    for method in app.methods:
        accumulated[method] += table[method].value
    aggregation = book.aggregation
    total = sum(accumulated.values()) if aggregation.value == "sum" else max(accumulated.values(), default=0)
    increase = total - tally.matter_totals[key]
    if increase <= 0:
        return None
    tally.matter_totals[key] = total
    # The method that now sets the total is one of this decision's (only they grew).
    leading = max(app.methods, key=lambda m: (accumulated[m], table[m].value))
    method_param = table[leading]
    # Say so when 第（七）项 made the booking smaller than "每次扣除" alone would have.
    bounded = increase != sum(table[m].value for m in app.methods)
    basis = f"{method_param.reference}；{aggregation.reference}" if bounded else method_param.reference
    note = f"{leading}每次扣{method_param.value}分"
    if bounded:
        note += f"；同一事项按最高分值扣除，累计由{total - increase}分增至{total}分"
    return Consequence(
        decision=decision.id,
        who=decision.unit,
        effect=kind,
        period=app.period_of(kind),
        value=increase,
        basis=basis,
        parameter=method_param.path,
        rulebook=app.rulebook.id,
        note=f"{POINT_LABELS[kind]}：{note}",
    )
