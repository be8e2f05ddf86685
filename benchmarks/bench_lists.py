"""The list pages at 10× the data against 1×, in the same run: a paginated list filtered in SQL costs
about the same whatever the size (one page is built, the rest is counted by the database).

    .venv/bin/python benchmarks/bench_lists.py               # 100 tasks and 60 cases, then 1,000 and 600
    .venv/bin/python benchmarks/bench_lists.py --base 200 --runs 9

Builds a fresh SQLite database in a temporary folder (DATABASE_URL names PostgreSQL instead, under
scripts/with-postgres: then into a database of its own), times each page as the 督查室 sees it (median
of --runs requests, after one warm-up), then adds nine times as many rows and times again. Prints per
page the milliseconds at 1× and 10× and their ratio; a page that built its table in Python would come
out near 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("督查台账", "/ledger/tasks/"),
    ("台账·搜索+状态", "/ledger/tasks/?q=批量&standing=overdue"),
    ("台账·第2页", "/ledger/tasks/?page=2"),
    ("公文审核", "/ledger/review/"),
    ("问责案件", "/cases/"),
    ("问责案件·搜索", "/cases/?q=城管&state=open"),
    ("提醒（全部）", "/ledger/reminders/?all=1"),
    ("工作台", "/workbench/"),
]


def build(scale: int, world: dict, batch: int) -> None:
    """Add ``scale`` tasks, ``scale`` drafts, ``scale * 0.6`` cases and their reminders to the world."""
    from duban.accountability.services import case_open
    from duban.ledger.daily import reminders_generate
    from tests.factories import ledger_tasks_create

    ledger_tasks_create(world["city"], world["units"], scale, prefix=f"批量{batch}任务")
    _drafts(world, scale, f"草稿{batch}")
    for _ in range(scale * 6 // 10):
        case_open(actor=world["office"], jurisdiction=world["city"], matter=world["matter"], unit=world["units"][0])
    reminders_generate(jurisdiction=world["city"], today=dt.date(2020, 7, 1))


def _drafts(world: dict, count: int, prefix: str) -> None:
    from duban.ledger.ingest import issue_ingest

    units = world["units"]
    issue_ingest(
        actor=None,
        jurisdiction=world["city"],
        source_name=f"{prefix}.txt",
        content=prefix.encode(),
        extraction={
            "source": f"{prefix}.txt",
            "issue": {"title": prefix},
            "documents": [
                {
                    "doc_no": "",
                    "title": f"{prefix}通知",
                    "issuer": "人民政府",
                    "date": "2020-04-20",
                    "kind": "通知",
                    "text": "草稿。",
                    "tasks": [
                        {
                            "ref": str(n),
                            "title": f"{prefix}{n}",
                            "text": "",
                            "lead_units": [units[n % len(units)].name],
                            "units": [],
                            "deadlines": [],
                            "targets": [],
                        }
                        for n in range(1, count + 1)
                    ],
                    "targets": [],
                    "deadlines": [],
                }
            ],
        },
    )


def world_create() -> dict:
    from duban.accountability.services import matter_create
    from duban.accounts.services import person_create, unit_create
    from tests.factories import city_create, login_create

    city = city_create()
    units = [
        unit_create(actor=None, jurisdiction=city, name=f"市第{n}局", short_name="市城管局" if n == 1 else "")
        for n in range(1, 6)
    ]
    liaison = person_create(actor=None, jurisdiction=city, name="联络员", role="联络员", unit=units[0])
    login_create("liaison", liaison, password="pw-12345678")
    office_person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    office = login_create("office", office_person, password="pw-12345678")
    matter = matter_create(actor=office, jurisdiction=city, code="M1", title="城区道路破损修复", unit=units[0])
    return {"city": city, "units": units, "office": office, "matter": matter}


def timings(client, runs: int) -> dict[str, float]:
    result = {}
    for label, url in PAGES:
        assert client.get(url).status_code == 200, url  # warm-up
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        result[label] = statistics.median(samples) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=100, help="tasks at 1× (cases: 60%%)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="duban-bench-lists-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    os.environ["DUBAN_TODAY"] = "2020-07-01"
    os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-" + "x" * 50)  # a throwaway database
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    world = world_create()
    client = Client()
    client.force_login(world["office"])

    build(args.base, world, 1)
    small = timings(client, args.runs)
    build(args.base * 9, world, 2)
    large = timings(client, args.runs)

    print(f"list pages, {args.base} tasks at 1× and {args.base * 10} at 10× (median of {args.runs} requests)")
    print(f"{'page':<16}{'1× ms':>10}{'10× ms':>10}{'ratio':>8}")
    for label, _ in PAGES:
        print(f"{label:<16}{small[label]:>10.1f}{large[label]:>10.1f}{large[label] / small[label]:>8.2f}")
    ratios = [large[label] / small[label] for label, _ in PAGES]
    print(f"{'all (geo. mean)':<16}{'':>20}{statistics.geometric_mean(ratios):>8.2f}")


if __name__ == "__main__":
    main()
