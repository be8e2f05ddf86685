"""The scoring and accountability pages' queries use their indexes, on SQLite and on PostgreSQL.

Each query is captured as the page's selector runs it, and the database's own plan for it is read:
on SQLite `EXPLAIN QUERY PLAN` must name the index (`USING INDEX x` / `USING COVERING INDEX x`) and
scan none of the big tables; on PostgreSQL (`-m postgres`: the tables analyzed, with a few thousand
rows of earlier years so that the statistics look like a province's, and sequential scans disabled)
`EXPLAIN` must name it too.
Each index is named by a query that must use it, so removing one from the models fails here (on SQLite;
on PostgreSQL a foreign key's own index may serve as well, and the test says which).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban import clock
from duban.accountability.models import Case
from duban.accounts.models import Person
from duban.rules.loader import load_rulebooks
from duban.scoring import selectors
from duban.scoring.services import ledger_sync_units
from tests.factories import decide

pytestmark = pytest.mark.django_db

BIG_TABLES = (
    "scoring_consequenceentry",
    "scoring_consequencetally",
    "scoring_publicexposure",
    "accountability_decision",
    "accountability_case",
)
METHODS = list(load_rulebooks("zhumadian").latest().method_names)


@pytest.fixture
def booked(world):
    """Two years of decisions on three units and two matters (a few hundred ledger rows), and cases."""
    from duban.accountability.services import case_open, case_withdraw

    units = [world.cgj, world.jyj, world.wjw]
    for n in range(36):
        day = dt.date(2020 + n % 2, 5 + n % 7, 1 + n % 27)
        decide(
            world, day.isoformat(), [METHODS[n % len(METHODS)]], unit=units[n % 3], matter=[world.m1, world.m2][n % 2]
        )
    for n in range(30):
        case = case_open(actor=world.actor, jurisdiction=world.city, matter=world.m1, unit=units[n % 3])
        if n % 3 == 1:  # cases in another state, and at another step: the indexes have something to tell apart
            case_withdraw(actor=world.actor, case=case, step=case.step, reason="无需问责")
        elif n % 3 == 2:  # as if further along the chain (the plan does not care how it got there)
            Case.objects.filter(pk=case.pk).update(step="later")
    filler(world)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world


def filler(world, decisions: int = 2000) -> None:
    """Earlier years of another unit and person, written in bulk: the jurisdiction's ledger is then much
    larger than a year's decisions, a unit's or a person's rows, as at a province's size, so that the
    statistics PostgreSQL's planner reads make an index on the jurisdiction alone the worse choice."""
    from duban.accountability.models import Decision
    from duban.scoring.models import ConsequenceEntry

    other = Person.objects.create(jurisdiction=world.city, unit=world.wjw, name="填充人员", role="承办人员")
    made = Decision.objects.bulk_create(
        Decision(
            jurisdiction=world.city,
            matter=world.m2,
            unit=world.wjw,
            date=dt.date(2015 + n % 4, 1 + n % 12, 1 + n % 28),
            situation_number=11,
            methods=["通报批评"],
        )
        for n in range(decisions)
    )
    rows = []
    for decision in made:
        common = {"jurisdiction": world.city, "decision": decision, "basis": "第九条第（二）项", "rulebook": "filler"}
        month = f"{decision.date:%Y-%m}"
        rows.append(
            ConsequenceEntry(**common, who_kind="unit", unit=world.wjw, effect="monthly", period=month, value=10)
        )
        rows.append(ConsequenceEntry(**common, who_kind="person", person=other, effect="bonus", period=month, value=1))
    ConsequenceEntry.objects.bulk_create(rows, batch_size=1000)


def plans(call: Callable[[], object]) -> list[str]:
    """The database's plan of each query ``call`` runs (its SELECTs), as one text per query."""
    with CaptureQueriesContext(connection) as queries:
        call()
    found = [explain(query["sql"]) for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert found, "no query ran"
    return found


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql.replace("%", "%%"))
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def uses(plan: str, index: str) -> bool:
    if connection.vendor == "postgresql":
        scans = (
            r"(Index Scan|Index Scan Backward|Index Only Scan|Index Only Scan Backward) using |Bitmap Index Scan on "
        )
        return re.search(rf"({scans}){index}\w*", plan) is not None
    return re.search(rf"USING (COVERING )?INDEX {index}\b", plan) is not None


# PostgreSQL reads its statistics and may take a foreign key's own index where it finds as few rows (a
# person's, a unit's, a decision's) and filter the rest: as good a path, named here by the index's prefix.
# SQLite has no statistics: there the composite indexes are what keep it off the jurisdiction's index.
ON_POSTGRESQL_ALSO = {
    "年度考核·人员（往日）": ("scoring_consequenceentry_decision_id_",),
    "年度考核·单位其他后果（往日）": ("scoring_consequenceentry_decision_id_",),
    "月排名": ("scoring_consequencetally_unit_id_",),
    "年度考核·人员": ("scoring_consequencetally_jurisdiction_id_",),
    "年度考核·单位其他后果": ("scoring_consequencetally_jurisdiction_id_",),
    "单位月度得分页": ("scoring_consequenceentry_unit_id_",),
    "单位年度其他后果": ("scoring_consequenceentry_unit_id_",),
    "我的结果": ("scoring_consequenceentry_person_id_",),
    "案件列表·状态": ("accountability_case_state_",),
    "案件列表·环节": ("accountability_case_state_", "case_state_opened_idx"),
    "一个单位的积分同步": ("accountability_decision_unit_id_",),
}


def scans_a_big_table(plan: str) -> bool:
    if connection.vendor == "postgresql":
        return any(f"Seq Scan on {table}" in plan for table in BIG_TABLES)
    return any(re.search(rf"\bSCAN {table}\b", plan) for table in BIG_TABLES)


def the_queries(world):
    """(what, the call, the index one of its queries must use — or one of the indexes)."""
    person = Person.objects.get(pk=world.section_head.pk)
    cases = Case.objects.filter(jurisdiction=world.city)
    step = cases.values_list("step", flat=True).first()
    return [
        # The pages read the balances (ConsequenceTally) and the register of 公开曝光 …
        ("月排名", lambda: selectors.monthly_ranking(world.city, "2020-06"), "tally_unit_effect_idx"),
        ("年度考核·人员", lambda: selectors.person_consequences(world.city, 2020), "tally_party_year_idx"),
        ("年度考核·单位其他后果", lambda: selectors._unit_flags(world.city, 2020, None), "tally_party_year_idx"),
        ("公开曝光·数量", lambda: selectors.public_exposures_count(world.city, 2020), "exposure_jurisdiction_date_idx"),
        (
            "公开曝光·列表",
            lambda: list(selectors.public_exposures_page_query(world.city, 2020)[:30]),
            "exposure_jurisdiction_date_idx",
        ),
        # … and a reading as of a past day reads the rows.
        (
            "月排名（往日）",
            lambda: selectors.monthly_ranking(world.city, "2020-06", as_of=clock.now()),
            "ledger_effect_period_idx",
        ),
        (
            "年度考核·人员（往日）",
            lambda: selectors.person_consequences(world.city, 2020, as_of=clock.now()),
            "ledger_decision_party_idx",
        ),
        (
            # The year's decisions one by one, or the few rows of these effects: either reads no more than it needs.
            "年度考核·单位其他后果（往日）",
            lambda: selectors._unit_flags(world.city, 2020, clock.now()),
            ("ledger_decision_party_idx", "ledger_effect_period_idx"),
        ),
        (
            "单位月度得分页",
            lambda: selectors.consequence_lines(world.city, effects=("monthly",), period="2020-06", unit=world.cgj),
            "ledger_unit_effect_idx",
        ),
        (
            "单位年度其他后果",
            lambda: selectors.consequence_lines(
                world.city, effects=selectors.unit_flag_effects(world.city), decision_year=2020, unit=world.cgj
            ),
            "ledger_unit_effect_idx",
        ),
        ("我的结果", lambda: selectors.person_consequence_lines(person), "ledger_person_effect_idx"),
        ("案件列表", lambda: list(cases.order_by("-opened_on", "-id")[:20]), "case_jurisdiction_opened_idx"),
        (
            "案件列表·状态",
            lambda: list(cases.filter(state=Case.State.OPEN).order_by("-opened_on", "-id")[:20]),
            "case_state_opened_idx",
        ),
        (
            "案件列表·环节",
            lambda: list(cases.filter(step=step, state=Case.State.OPEN).order_by("-opened_on", "-id")[:20]),
            "case_step_opened_idx",
        ),
        (
            "一个单位的积分同步",
            lambda: ledger_sync_units(jurisdiction=world.city, units=[world.jyj], actor=None),
            "decision_unit_date_idx",
        ),
    ]


def test_each_page_query_uses_its_index_and_scans_no_big_table(booked, database):
    problems = []
    for what, call, index in the_queries(booked):
        found = plans(call)
        indexes = (index,) if isinstance(index, str) else index
        if connection.vendor == "postgresql":
            indexes += ON_POSTGRESQL_ALSO.get(what, ())
        if not any(uses(plan, one) for plan in found for one in indexes):
            problems.append(f"{what}: {' or '.join(indexes)} not used:\n" + "\n--\n".join(found))
        problems += [f"{what}: a scan of a big table:\n{plan}" for plan in found if scans_a_big_table(plan)]
    assert not problems, "\n\n".join(problems)


def test_the_sync_of_one_unit_reads_the_ledger_by_decision(booked, database):
    """Not by jurisdiction: the sync of one unit reads that unit's rows, not the jurisdiction's ledger."""
    found = plans(lambda: ledger_sync_units(jurisdiction=booked.city, units=[booked.jyj], actor=None))
    ledger = [plan for plan in found if "consequenceentry" in plan]
    assert ledger
    for plan in ledger:
        assert not re.search(r"consequenceentry_jurisdiction_id|ledger_effect_period_idx", plan), plan
        assert re.search(r"consequenceentry_decision_id|ledger_decision_party_idx", plan), plan
