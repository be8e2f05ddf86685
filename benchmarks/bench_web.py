"""The main pages at province scale: median and p95 of 20 requests and the query count per page, at
scales 0.01 and 0.1 of a province (and 1 when asked), beside a trivial view's time in the same run;
then, at the largest scale, gunicorn under a loopback load (wrk) for the ledger list, the ranking and
the trivial view. Prints one table. `make bench-web` runs it; `SCALES="0.01 0.1 1" make bench-web`.

    .venv/bin/python benchmarks/bench_web.py [--scales 0.01 0.1] [--runs 20] [--keep DIR] [--no-load]

Each scale's database is made by `manage.py generate_province --scale S` on a copy of one database
with the demo loaded (SQLite files in a temporary folder, or kept in --keep DIR and reused when they
are there; under scripts/with-postgres, DATABASE_URL names PostgreSQL and each scale gets a database
of its own, copied from the demo's as a template). Each scale is measured in a fresh process, the way
a server process starts. The goal (issue 13): at the largest scale every page's p95 under 100 ms and
at most twice its median at the smallest, and under load the ledger list and the ranking at 5% or
more of the trivial view's requests per second.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TODAY = "2020-12-10"  # the demo's day (demo/story.yaml): the generated province lives in 2019–2020
P95_GOAL_MS = 100.0
RATIO_GOAL = 2.0
LOAD_SHARE_GOAL = 0.05

# (label, login, path): the paths with {task}, {case}, {unit} are filled from the data in the database.
PAGES = [
    ("平凡视图（对照）", None, "/healthz/"),
    ("督查台账", "duchashi", "/ledger/tasks/"),
    ("台账·搜索+逾期", "duchashi", "/ledger/tasks/?q=任务&standing=overdue"),
    ("台账·红灯", "duchashi", "/ledger/tasks/?light=red"),
    ("台账·第5页", "duchashi", "/ledger/tasks/?page=5"),
    ("任务详情", "duchashi", "/ledger/tasks/{task}/"),
    ("公文审核", "duchashi", "/ledger/review/"),
    ("问责案件", "duchashi", "/cases/"),
    ("问责案件·办理中", "duchashi", "/cases/?state=open"),
    ("案件详情", "duchashi", "/cases/{case}/"),
    ("月排名", "duchashi", "/"),
    ("年度考核", "duchashi", "/assessment/"),
    ("单位积分", "duchashi", "/scores/units/{unit}/"),
    ("统计图表", "duchashi", "/dashboards/"),
    ("督查通报", "duchashi", "/reports/"),
    ("提醒", "duchashi", "/ledger/reminders/?all=1"),
    ("工作台·督查室", "duchashi", "/workbench/"),
    ("工作台·二级督查", "erji", "/workbench/"),
    ("工作台·一级督查", "yiji", "/workbench/"),
    ("工作台·副总督查", "fuzong", "/workbench/"),
    ("工作台·总督查", "zongducha", "/workbench/"),
    ("工作台·委员会", "weiyuanhui", "/workbench/"),
    ("工作台·联络员", "lianluoyuan", "/workbench/"),
    ("工作台·被问责人", "beiwenze", "/workbench/"),
    ("我的问责决定", "lianluoyuan", "/cases/decisions/mine/"),
    ("我的结果", "beiwenze", "/scores/mine/"),
    ("联络员·台账", "lianluoyuan", "/ledger/tasks/"),
    ("联络员·提醒", "lianluoyuan", "/ledger/reminders/"),
]
LOAD_PAGES = [
    ("平凡视图（对照）", None, "/healthz/"),
    ("督查台账", "duchashi", "/ledger/tasks/"),
    ("月排名", None, "/"),
]


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="duban.web.settings",
        DUBAN_TODAY=TODAY,
        DUBAN_SECRET_KEY=os.environ.get("DUBAN_SECRET_KEY") or "bench-only-" + "x" * 50,
        PYTHONPATH=str(ROOT),
    )
    env.pop("DUBAN_DEBUG", None)  # measured as production runs: debug off
    return env


def manage(database_url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(database_url), check=True)


# --- databases -------------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_name(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def databases(scales: list[float], folder: Path) -> dict[float, str]:
    """One database per scale, each the demo plus generate_province at that scale."""
    server = os.environ.get("DATABASE_URL", "")
    found: dict[float, str] = {}
    if is_postgres(server):
        demo = with_name(server, "bench_demo")
        postgres(server, "DROP DATABASE IF EXISTS bench_demo")
        postgres(server, "CREATE DATABASE bench_demo")
        manage(demo, "migrate", "--verbosity", "0")
        manage(demo, "load_demo")
        for scale in scales:
            name = f"bench_{str(scale).replace('.', '_')}"
            postgres(server, f"DROP DATABASE IF EXISTS {name}")
            postgres(server, f"CREATE DATABASE {name} TEMPLATE bench_demo")
            found[scale] = with_name(server, name)
            generate(found[scale], scale)
        return found
    demo = folder / "demo.sqlite3"
    for scale in scales:
        path = folder / f"province-{scale}.sqlite3"
        found[scale] = f"sqlite:///{path}"
        if path.exists():
            print(f"规模 {scale}：沿用 {path}", file=sys.stderr)
            continue
        if not demo.exists():
            manage(f"sqlite:///{demo}", "migrate", "--verbosity", "0")
            manage(f"sqlite:///{demo}", "load_demo")
        shutil.copyfile(demo, path)
        generate(found[scale], scale)
    return found


def generate(url: str, scale: float) -> None:
    started = time.monotonic()
    manage(url, "generate_province", "--scale", str(scale))
    print(f"规模 {scale}：生成用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)


# --- measuring in a fresh process ------------------------------------------------------------------


def measure(runs: int) -> dict:
    """In this process (DATABASE_URL set): each page's samples and queries, as JSON on stdout."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from duban.accountability.models import Case
    from duban.accounts.models import Jurisdiction
    from duban.ledger.models import Task

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    city = Jurisdiction.objects.filter(parent__isnull=True).order_by("pk").first()
    task = (
        Task.objects.filter(jurisdiction=city, status=Task.Status.CONFIRMED)
        .annotate(n=Count("progress_reports"))
        .order_by("-n", "pk")
        .first()
    )
    case = Case.objects.filter(jurisdiction=city).annotate(n=Count("opinions")).order_by("-n", "pk").first()
    unit = task.assignments.order_by("position").first().unit
    ids = {"task": task.pk, "case": case.pk, "unit": unit.pk}
    clients: dict[str | None, Client] = {None: Client()}
    users = get_user_model().objects
    result = {"pages": {}, "counts": counts()}
    for label, login, path in PAGES:
        if login not in clients:
            clients[login] = Client()
            clients[login].force_login(users.get(username=login))
        client, url = clients[login], path.format(**ids)
        response = client.get(url)  # warm-up
        if response.status_code == 302 and response.url.startswith("/"):  # e.g. a unit's latest month
            url = response.url
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label} {url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # now: each request's start empties the connection's log the count reads
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        result["pages"][label] = {"url": url, "samples": samples, "queries": query_count}
    return result


def counts() -> dict[str, int]:
    from duban.accountability.models import Case, Decision
    from duban.accounts.models import Jurisdiction, Unit
    from duban.ledger.models import ProgressReport, Task
    from duban.scoring.models import ConsequenceEntry

    return {
        "辖区": Jurisdiction.objects.count(),
        "单位": Unit.objects.count(),
        "任务": Task.objects.count(),
        "进度": ProgressReport.objects.count(),
        "案件": Case.objects.count(),
        "决定": Decision.objects.count(),
        "积分台账": ConsequenceEntry.objects.count(),
    }


def measured(url: str, runs: int) -> dict:
    output = subprocess.run(
        [PYTHON, __file__, "--measure", "--runs", str(runs)],
        cwd=ROOT,
        env=environment(url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(output.stdout)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- under load: gunicorn and wrk ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1000000)))
end
"""


def under_load(url: str, seconds: int) -> dict[str, tuple[float, float, float]] | str:
    """p50 and p95 (ms) and requests/s of each LOAD_PAGES page under gunicorn with 3 workers."""
    gunicorn, wrk = shutil.which("gunicorn", path=str(Path(PYTHON).parent)), shutil.which("wrk")
    if gunicorn is None or wrk is None:
        return "未测负载：需要 gunicorn（pyproject.toml）和 wrk（apt-get install wrk）"
    port = free_port()
    env = environment(url)
    env["DUBAN_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    server = subprocess.Popen(
        [gunicorn, "duban.web.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    try:
        _wait_for(port)
        cookie = session_cookie(url, "duchashi")
        found = {}
        for label, login, path in LOAD_PAGES:
            headers = ["-H", f"Cookie: sessionid={cookie}"] if login else []
            out = subprocess.run(
                [wrk, "-t2", "-c6", f"-d{seconds}s", "-s", str(script), *headers, f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            line = next(line for line in out.splitlines() if line.startswith("RESULT"))
            p50, p95_ms, rate = (float(x) for x in line.split()[1:])
            if "Non-2xx" in out:
                return f"负载测试中 {path} 有非 200 的回答：{out}"
            found[label] = (p50, p95_ms, rate)
        return found
    finally:
        script.unlink()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer on port {port}")


def session_cookie(url: str, username: str) -> str:
    code = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model; from django.test import Client;"
        f"c = Client(); c.force_login(get_user_model().objects.get(username={username!r}));"
        "print(c.cookies['sessionid'].value)"
    )
    return subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=environment(url), check=True, capture_output=True, text=True
    ).stdout.strip()


# --- the table -----------------------------------------------------------------------------------------


def report(scales: list[float], results: dict[float, dict], load: dict | str | None, database: str) -> bool:
    small, large = scales[0], scales[-1]
    print(
        f"页面耗时（毫秒，每页 {len(results[small]['pages'][PAGES[0][0]]['samples'])} 次请求的中位数 / p95，查询数），数据库：{database}"
    )
    for scale in scales:
        c = results[scale]["counts"]
        print(f"  规模 {scale}：" + "，".join(f"{k} {v}" for k, v in c.items()))
    head = "".join(f"{f'规模 {s} 中位/p95/查询':>26}" for s in scales)
    print(f"{'页面':<14}{head}{'p95<100':>9}{'≤2×':>6}")
    ok = True
    for label, _, _ in PAGES:
        cells = ""
        for scale in scales:
            page = results[scale]["pages"][label]
            cells += f"{statistics.median(page['samples']):>12.1f}{p95(page['samples']):>8.1f}{page['queries']:>6}"
        big = results[large]["pages"][label]
        base = statistics.median(results[small]["pages"][label]["samples"])
        meets_p95 = p95(big["samples"]) < P95_GOAL_MS
        meets_ratio = statistics.median(big["samples"]) <= RATIO_GOAL * max(base, 1.0)
        ok = ok and meets_p95 and meets_ratio
        print(f"{label:<14}{cells}{'是' if meets_p95 else '否':>9}{'是' if meets_ratio else '否':>6}")
    if isinstance(load, str):
        print(load)
    elif load:
        print(f"gunicorn（3 个进程）在规模 {large} 下的负载（wrk，2 线程 6 连接）：p50 / p95 毫秒，每秒请求数")
        trivial = load[LOAD_PAGES[0][0]][2]
        for label, (p50, p95_ms, rate) in load.items():
            share = rate / trivial
            meets = share >= LOAD_SHARE_GOAL or label == LOAD_PAGES[0][0]
            ok = ok and meets
            print(f"{label:<14}{p50:>10.1f}{p95_ms:>10.1f}{rate:>10.1f}/s{share:>8.1%}{'' if meets else '  < 5%'}")
    print("达到目标" if ok else "未达到目标")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[0.01, 0.1])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", help="keep (and reuse) the SQLite databases in this folder")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn + wrk")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        json.dump(measure(args.runs), sys.stdout)
        return
    scales = sorted(args.scales)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="duban-bench-web-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        urls = databases(scales, folder)
        results = {scale: measured(urls[scale], args.runs) for scale in scales}
        load = None if args.no_load else under_load(urls[scales[-1]], args.load_seconds)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    database = "PostgreSQL" if is_postgres(os.environ.get("DATABASE_URL", "")) else "SQLite"
    sys.exit(0 if report(scales, results, load, database) else 1)


if __name__ == "__main__":
    main()
