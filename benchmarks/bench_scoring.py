"""The score ledger at 10× the decisions against 1×, in the same run: what one decision write costs the
ledger (its unit's sync, ledger_sync_units, against the jurisdiction's full ledger_sync) and what the
score pages' queries cost with the indexes of issue 13 and without them.

    .venv/bin/python benchmarks/bench_scoring.py                  # 2,000 decisions on 200 units, then 20,000 on 2,000
    .venv/bin/python benchmarks/bench_scoring.py --base 500 --units 50 --runs 5

Builds a fresh SQLite database in a temporary folder (DATABASE_URL names PostgreSQL instead, under
scripts/with-postgres), with one city of --units units and two matters each; adds --base decisions
(historical, written in bulk, spread over two years, the rulebook's methods in turn, the four roles on
a tenth of them) and books them with one full sync; then times one more decision write through the
service (median of --runs) with each sync, adds nine times as many units with as many decisions each
and times again. The write's own sync should cost about the same at 10× (its unit has as many
decisions), the full one about 10× more. Last, at 10×, it
times the pages' queries (the 年度综合目标考核 with its people, the 月排名, a unit's year, 我的结果, the
cases list is not here: bench_lists has it), then drops the issue's indexes and times them again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ISSUE_13_INDEXES = {
    "scoring_consequenceentry": ("ledger_decision_party_idx", "ledger_unit_effect_idx", "ledger_person_effect_idx"),
    "accountability_decision": ("decision_unit_date_idx",),
}


def world_create(units: int) -> dict:
    from duban.accounts.services import person_create
    from tests.factories import city_create

    city = city_create()
    liaison = person_create(actor=None, jurisdiction=city, name="二级督查", role="二级督查")
    world = {"city": city, "liaison": liaison, "units": [], "staff": {}, "matters": {}}
    units_add(world, units)
    return world


def units_add(world: dict, units: int) -> list:
    """``units`` more units, each with two matters (the first twenty also with the four roles' staff)."""
    from duban.accountability.services import matter_create
    from duban.accounts.models import Unit
    from duban.accounts.services import person_create, unit_create

    city, liaison, first = world["city"], world["liaison"], len(world["units"]) + 1
    made = [
        unit_create(
            actor=None,
            jurisdiction=city,
            name=f"市第{n}局",
            civilized="city" if n % 5 == 0 else Unit.Civilized.NONE,
            liaison_supervisor=liaison,
        )
        for n in range(first, first + units)
    ]
    world["units"] += made
    world["staff"] |= {
        unit.pk: [
            person_create(actor=None, jurisdiction=city, unit=unit, name=f"{unit.name}{role}", role=role)
            for role in ("承办人员", "科室负责人", "分管领导", "单位主要领导")
        ]
        for unit in made
        if unit.pk <= 20
    }
    world["matters"] |= {
        unit.pk: [
            matter_create(actor=None, jurisdiction=city, code=f"M{unit.pk}-{m}", title=f"{unit.name}事项{m}", unit=unit)
            for m in (1, 2)
        ]
        for unit in made
    }
    return made


def decisions_add(world: dict, units: list, count: int, start: int) -> None:
    """``count`` decisions of ``units`` written in bulk (the services' rows, without their per-row sync),
    then booked by one full sync."""
    from django.db import transaction

    from duban.accountability.models import Decision, DecisionResponsible
    from duban.accountability.rulebooks import rulebook_in_force
    from duban.scoring.services import ledger_sync

    city = world["city"]
    methods = list(rulebook_in_force(city, dt.date(2020, 5, 1)).method_names)
    rows = []
    for n in range(start, start + count):
        unit = units[n % len(units)]
        rows.append(
            Decision(
                jurisdiction=city,
                matter=world["matters"][unit.pk][n % 2],
                unit=unit,
                date=dt.date(2020, 5, 1) + dt.timedelta(days=(n * 7) % 420),
                situation_number=11,
                methods=[methods[n % len(methods)]],
                historical_source=f"驻督〔2020〕{n}号",
                historical_reason="基准测试",
                note="备注" * 200,
            )
        )
    with transaction.atomic():
        made = Decision.objects.bulk_create(rows, batch_size=500)
        DecisionResponsible.objects.bulk_create(
            [
                DecisionResponsible(decision=decision, person=person, role=person.role)
                for decision in made
                if decision.pk % 10 == 0 and decision.unit_id in world["staff"]
                for person in world["staff"][decision.unit_id]
            ],
            batch_size=500,
        )
        ledger_sync(jurisdiction=city, actor=None)


def write_ms(world: dict, unit, runs: int, full: bool) -> float:
    """Median milliseconds of one decision write (the service, its audit, its sync) on ``unit``."""
    from duban.accountability.services import decision_import_historical
    from duban.accountability.signals import decisions_changed
    from duban.scoring.apps import _sync_on_decisions_changed
    from duban.scoring.services import ledger_sync

    def full_sync(sender, *, jurisdiction, actor, **kwargs) -> None:
        ledger_sync(jurisdiction=jurisdiction, actor=actor)

    if full:
        decisions_changed.disconnect(dispatch_uid="scoring.ledger_sync")
        decisions_changed.connect(full_sync, dispatch_uid="bench.full")
    samples = []
    try:
        for n in range(runs + 1):
            started = time.perf_counter()
            decision_import_historical(
                actor=None,
                source_document=f"驻督〔2021〕{n}号",
                reason="基准测试",
                jurisdiction=world["city"],
                matter=world["matters"][unit.pk][0],
                unit=unit,
                date=dt.date(2021, 3, 1 + n),
                situation_number=11,
                methods=["通报批评"],
            )
            if n:  # the first is a warm-up
                samples.append(time.perf_counter() - started)
    finally:
        if full:
            decisions_changed.disconnect(dispatch_uid="bench.full")
            decisions_changed.connect(_sync_on_decisions_changed, dispatch_uid="scoring.ledger_sync")
    return statistics.median(samples) * 1000


def page_queries(world: dict) -> dict[str, Callable[[], object]]:
    from duban.accounts.models import Person
    from duban.scoring import selectors

    city, unit = world["city"], world["units"][0]
    person = Person.objects.get(pk=world["staff"][unit.pk][0].pk)
    return {
        "年度考核（单位+人员）": lambda: (
            selectors.annual_assessment(city, 2020),
            selectors.person_consequences(city, 2020),
        ),
        "月排名": lambda: selectors.monthly_ranking(city, "2020-06"),
        "单位年度得分": lambda: selectors.unit_year_score(unit, 2020),
        "我的结果": lambda: selectors.person_consequence_lines(person),
    }


def query_ms(calls: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    result = {}
    for label, call in calls.items():
        call()  # warm-up
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        result[label] = statistics.median(samples) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000, help="decisions at 1×")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="duban-bench-scoring-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    os.environ["DUBAN_TODAY"] = "2021-07-01"
    os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-" + "x" * 50)  # a throwaway database
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from duban.scoring.models import ConsequenceEntry

    call_command("migrate", verbosity=0)
    world = world_create(args.units)

    sizes, writes = [], []
    for scale, count in ((1, args.base), (10, args.base * 9)):
        # 10×: nine times as many units, with as many decisions each as the first ones.
        units = world["units"] if scale == 1 else units_add(world, args.units * 9)
        decisions_add(world, units, count, start=sum(sizes))
        sizes.append(count)
        rows = ConsequenceEntry.objects.count()
        # Each measurement writes to a unit of its own among the first four: each has as many decisions.
        first = 0 if scale == 1 else 2
        unit_ms = write_ms(world, world["units"][first], args.runs, False)
        full_ms = write_ms(world, world["units"][first + 1], args.runs, True)
        writes.append((scale, sum(sizes), rows, unit_ms, full_ms))

    print(f"one decision write on a unit of {args.base // args.units} decisions (median of {args.runs} writes)")
    print(f"{'':>4}{'units':>7}{'decisions':>11}{'ledger rows':>13}{'its unit ms':>13}{'full ms':>10}{'full/unit':>11}")
    for scale, decisions, rows, unit_ms, full_ms in writes:
        units = args.units * scale
        print(
            f"{scale:>3}×{units:>7}{decisions:>11}{rows:>13}{unit_ms:>13.1f}{full_ms:>10.1f}{full_ms / unit_ms:>11.1f}"
        )
    (_, _, _, unit_1, full_1), (_, _, _, unit_10, full_10) = writes
    print(f"10×/1×{'':>37}{unit_10 / unit_1:>7.2f}{full_10 / full_1:>10.2f}")

    calls = page_queries(world)
    indexed = query_ms(calls, args.runs)
    with connection.schema_editor() as editor:
        for names in ISSUE_13_INDEXES.values():
            for name in names:
                editor.execute(f"DROP INDEX {name}")
    bare = query_ms(calls, args.runs)
    print()
    print(f"the score pages' queries at 10× (median of {args.runs}), without and with issue 13's indexes")
    print(f"{'query':<14}{'without ms':>12}{'with ms':>10}{'ratio':>8}")
    for label in calls:
        print(f"{label:<14}{bare[label]:>12.1f}{indexed[label]:>10.1f}{bare[label] / indexed[label]:>8.2f}")


if __name__ == "__main__":
    main()
