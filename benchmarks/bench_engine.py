"""Benchmark: the consequence engine over 10,000 and 100,000 decisions (300 units, 1,000 matters).

Not a test. Prints decisions/s for both sizes, the engine's cost against a bare baseline run in
the same process (sort the decisions and add up their methods' points in dicts: the least any
evaluation must do), and how cost grows from the small size to the large one (linear ≈ 10×).

    .venv/bin/python benchmarks/bench_engine.py [--sizes 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from collections import Counter

from duban.rules.engine import evaluate
from duban.rules.loader import load_rulebooks
from duban.rules.model import ACCOUNTABLE_ROLES, Decision, Person, Scenario, Unit

UNITS = 300
MATTERS = 1000
STATUSES = ["effective"] * 8 + ["under_appeal", "exempted", "revoked"]


def make_scenario(size: int, methods: list[str], seed: int = 20200422) -> Scenario:
    rng = random.Random(seed)
    supervisors = [Person(id=f"S{i}", role="二级督查") for i in range(30)] + [
        Person(id=f"F{i}", role="一级督查") for i in range(10)
    ]
    units, people = [], list(supervisors)
    for u in range(UNITS):
        units.append(
            Unit(
                id=f"U{u}",
                civilized=rng.choice([None, None, "city", "province"]),
                liaison_supervisor=f"S{u % 30}",
                first_level_supervisor=f"F{u % 10}",
            )
        )
        people += [Person(id=f"U{u}P{r}", unit=f"U{u}", role=role) for r, role in enumerate(ACCOUNTABLE_ROLES)]
    start = dt.date(2020, 4, 22)
    decisions = []
    for d in range(size):
        u = rng.randrange(UNITS)
        subject_person = rng.random() < 0.3
        decisions.append(
            Decision(
                id=f"D{d}",
                matter=f"M{rng.randrange(MATTERS)}",
                date=start + dt.timedelta(days=rng.randrange(600)),
                unit=f"U{u}",
                subject="person" if subject_person else "unit",
                person=f"U{u}P0" if subject_person else None,
                responsible={role: (f"U{u}P{r}",) for r, role in enumerate(ACCOUNTABLE_ROLES)},
                methods=tuple(rng.sample(methods, rng.choice([1, 1, 1, 2]))),
                status=rng.choice(STATUSES),
                sanctioned_after_referral=rng.random() < 0.5,
            )
        )
    return Scenario(units=tuple(units), people=tuple(people), decisions=tuple(decisions))


def baseline(scenario: Scenario, points: dict[str, int]) -> Counter:
    totals: Counter = Counter()
    for decision in sorted(scenario.decisions, key=lambda d: (d.date, d.id)):
        for method in decision.methods:
            totals[(decision.unit, decision.date.strftime("%Y-%m"))] += points[method]
    return totals


def best_of(repeat: int, run) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rulebooks = load_rulebooks("zhumadian")
    rulebook = rulebooks.latest()
    points = {m: rulebook.value(f"consequences.unit_points.monthly.{m}") for m in rulebook.method_names}
    rows = []
    for size in args.sizes:
        scenario = make_scenario(size, list(rulebook.method_names))
        engine_s = best_of(args.repeat, lambda scenario=scenario: evaluate(scenario, rulebooks))
        base_s = best_of(args.repeat, lambda scenario=scenario: baseline(scenario, points))
        consequences = len(evaluate(scenario, rulebooks).consequences)
        rows.append((size, engine_s, base_s, consequences))
        print(
            f"{size:>8} decisions: engine {engine_s:7.3f} s = {size / engine_s:>9,.0f} decisions/s "
            f"({consequences:,} consequences); baseline {base_s:6.3f} s; engine/baseline {engine_s / base_s:5.1f}×"
        )
    for (small, small_s, small_b, _), (large, large_s, large_b, _) in itertools.pairwise(rows):
        print(
            f"growth {small:,} → {large:,} ({large / small:.0f}× the decisions): engine {large_s / small_s:.1f}×, "
            f"baseline {large_b / small_b:.1f}×; per-decision cost ratio {(large_s / large) / (small_s / small):.2f} (1.00 = linear)"
        )


if __name__ == "__main__":
    main()
