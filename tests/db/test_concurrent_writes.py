"""Concurrent writes hold, on SQLite (the normal suite) and on PostgreSQL (`-m postgres`).

A crowd at the same moment: every unit's 联络员 reports progress (each submits twice at once, a
double click), the 督查落实委员会 approves different cases (each twice at once), and others read
the public pages meanwhile. Two ways in:

- real HTTP requests from threads against the live server, each request served by its own server
  thread with its own database connection (as `runserver` or a threaded WSGI server serves them);
- the service functions called from threads, each thread with its own database connection.

Either way: no 500 and no exception, and every row exactly once — one report per unit, one decision
per case, the ledger rows and the audit rows the writes owe, nothing lost, nothing doubled.

On SQLite the suite's test database is a file (tests/conftest.py, django_db_modify_db_settings), as
var/duban.sqlite3 is: the in-memory test database would share one connection between the live
server's threads and lock by table, which is not what production does.
"""

from __future__ import annotations

import datetime as dt
import http.client
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from duban.accountability.models import Case, Decision
from duban.accountability.procedure import case_chain
from duban.accountability.services import case_agree, case_open, matter_create
from duban.accounts import roles
from duban.accounts.models import AuditAction, AuditLog, Person, Unit
from duban.accounts.services import person_create, unit_create, user_add_role
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import ProgressReport, Task
from duban.ledger.services import progress_report_create, task_confirm
from duban.scoring.models import ConsequenceEntry
from duban.scoring.services import ledger_sync
from tests.factories import city_create, login_create

LIAISONS = 20  # units whose 联络员 report at once, each twice
CASES = 8  # cases the committee approves at once, each twice
READERS = 8  # public pages read meanwhile
PASSWORD = "pw-crowd-2020"
TODAY = dt.date(2020, 7, 15)
# What a 通报批评 of a unit books: 10 points off the month's ranking, 5 off the year's assessment (第九条第（二）项).
BOOKED = [("monthly", 10), ("annual", 5)]


@pytest.fixture(autouse=True)
def _on_a_day_of_2020(settings):
    settings.DUBAN_TODAY = TODAY


# --- the crowd -------------------------------------------------------------------------------------


@dataclass
class Crowd:
    units: list[Unit]
    liaisons: list  # logins, one per unit
    tasks: list[Task]  # one per unit, the unit leads it
    cases: list[Case]  # one per unit (the first CASES units), at the committee's step
    committee: object  # the committee's login
    committee_step: str


def build_crowd() -> Crowd:
    city = city_create()
    units = [unit_create(actor=None, jurisdiction=city, name=f"市第{i + 1}局") for i in range(LIAISONS)]
    liaisons = [
        login_create(
            f"liaison{i}",
            person_create(actor=None, jurisdiction=city, unit=unit, name=f"联络员{i}", role="联络员"),
            password=PASSWORD,
        )
        for i, unit in enumerate(units)
    ]
    tasks = [
        {
            "ref": str(i + 1),
            "title": f"重点工作{i + 1}",
            "text": f"重点工作{i + 1}的原文。",
            "lead_units": [unit.name],
            "units": [],
            "deadlines": [{"text": "年底前", "date": "2020-12-31"}],
            "targets": [],
        }
        for i, unit in enumerate(units)
    ]
    issue_ingest(
        actor=None,
        jurisdiction=city,
        source_name="crowd.txt",
        content=b"crowd",
        extraction={
            "source": "crowd.txt",
            "issue": {"title": "市政府通知"},
            "documents": [
                {
                    "doc_no": "驻政〔2020〕88号",
                    "title": "市政府通知",
                    "issuer": "驻马店市人民政府",
                    "date": "2020-04-20",
                    "kind": "通知",
                    "text": "；".join(t["text"] for t in tasks),
                    "tasks": tasks,
                    "targets": [],
                    "deadlines": [],
                }
            ],
        },
    )
    ledger = [
        task_confirm(actor=None, task=task) for task in Task.objects.filter(jurisdiction=city).order_by("position")
    ]
    committee = login_create(
        "committee",
        person_create(actor=None, jurisdiction=city, name="委员会秘书", role="督查室工作人员"),
        password=PASSWORD,
    )
    user_add_role(actor=None, user=committee, role=roles.COMMITTEE)
    cases = []
    for i, unit in enumerate(units[:CASES]):
        matter = matter_create(actor=None, jurisdiction=city, code=f"C{i + 1}", title=f"事项{i + 1}", unit=unit)
        case = case_open(
            actor=None,
            jurisdiction=city,
            matter=matter,
            investigation="经调查核实，任务逾期未完成。",
            situation_number=11,
            methods=["通报批评"],
            opened_on=dt.date(2020, 7, 1),
        )
        for step in case_chain(case)[:-1]:
            case = case_agree(actor=None, case=case, step=step.code)
        cases.append(case)
    return Crowd(units, liaisons, ledger, cases, committee, case_chain(cases[0])[-1].code)


def audit_counts() -> Counter:
    return Counter(AuditLog.objects.values_list("action", flat=True))


def assert_every_row_once(crowd: Crowd, before: Counter) -> None:
    """One report per unit, one decision per case with its ledger rows, and the audit rows of these
    writes: no more, no fewer."""
    reports = Counter(ProgressReport.objects.values_list("unit_id", flat=True))
    assert reports == Counter(unit.pk for unit in crowd.units)
    decided = Case.objects.filter(pk__in=[c.pk for c in crowd.cases], state=Case.State.DECIDED)
    assert decided.count() == CASES
    assert Decision.objects.count() == CASES
    assert sorted(decided.values_list("decision__unit_id", flat=True)) == sorted(c.unit_id for c in crowd.cases)
    booked = Counter(ConsequenceEntry.objects.values_list("decision_id", "effect", "value"))
    assert booked == Counter(
        {(d, effect, value): 1 for d in Decision.objects.values_list("pk", flat=True) for effect, value in BOOKED}
    )
    after = audit_counts()
    assert {action: after[action] - before[action] for action in after if after[action] != before[action]} == {
        AuditAction.PROGRESS_REPORT_CREATE: LIAISONS,
        AuditAction.CASE_AGREE: CASES,
        AuditAction.DECISION_CREATE: CASES,
        AuditAction.LEDGER_SYNC: CASES,  # each decision books its consequences
        AuditAction.REMINDER_SETTLED: CASES,  # the committee's reminder of the case it decides
    }
    assert ledger_sync(jurisdiction=crowd.units[0].jurisdiction, actor=None) == []  # nothing missing


# --- firing at once --------------------------------------------------------------------------------


def at_once(calls: list[Callable[[], object]]) -> tuple[list[object], float]:
    """Run every call in its own thread, all released together; their results (or the exception
    each raised) in order, and the seconds the burst took. Each thread closes its own connections."""
    results: list[object] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, time.monotonic() - start


@dataclass
class Client:
    """A browser of one login against the live server, over plain HTTP: cookies kept, redirects not
    followed, one TCP connection per request, served by its own server thread.

    ``prepare`` opens the connection at once and sends the request later, when its call runs: a
    burst of requests is then sent on connections the server has already accepted, instead of
    dozens of connects at once overflowing the test server's listen queue (Django's WSGIServer
    listens with a backlog of 10), which would be a test of the network, not of the database."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def prepare(self, method: str, path: str, data: dict[str, str] | None = None) -> Callable[[], int]:
        http_connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        http_connection.connect()
        time.sleep(0.005)  # let the server accept it before the next connects
        return lambda: self._exchange(http_connection, method, path, data)[0]

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        http_connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self._exchange(http_connection, method, path, data)

    def _exchange(self, http_connection, method: str, path: str, data: dict[str, str] | None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            http_connection.request(method, path, body=body, headers=headers)
            response = http_connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            http_connection.close()

    def log_in(self, username: str) -> Callable[[], int]:
        """Open the login page now (for its CSRF cookie); the returned call signs in."""
        self.request("GET", "/login/")
        return self.prepare("POST", "/login/", {"username": username, "password": PASSWORD})


def statuses(results: list[object]) -> Counter:
    return Counter(r if isinstance(r, int) else type(r).__name__ for r in results)


def test_concurrent_requests_write_every_row_once(database, live_server):
    crowd = build_crowd()
    address = urllib.parse.urlsplit(live_server.url)
    clients = {user.username: Client(address.hostname, address.port) for user in [*crowd.liaisons, crowd.committee]}

    # Everyone signs in at nine o'clock.
    logins, _ = at_once([client.log_in(username) for username, client in clients.items()])
    assert statuses(logins) == {302: len(clients)}, logins
    before = audit_counts()

    reports = [
        clients[user.username].prepare(
            "POST", f"/ledger/tasks/{task.pk}/report/", {"text": "按期推进", "percent": "50"}
        )
        for user, task in zip(crowd.liaisons, crowd.tasks, strict=True)
        for _ in range(2)
    ]
    committee = clients[crowd.committee.username]
    approvals = [
        committee.prepare("POST", f"/cases/{case.pk}/agree/", {"step": crowd.committee_step, "opinion": "同意"})
        for case in crowd.cases
        for _ in range(2)
    ]
    readers = [Client(address.hostname, address.port).prepare("GET", "/") for _ in range(READERS)]
    results, seconds = at_once(reports + approvals + readers)
    print(f"{database}: {len(results)} concurrent requests in {seconds:.2f}s: {dict(statuses(results))}")

    assert 500 not in statuses(results) and all(isinstance(r, int) for r in results), results
    for pair in zip(results[: 2 * LIAISONS : 2], results[1 : 2 * LIAISONS : 2], strict=True):
        assert sorted(pair) == [200, 302], results  # one report taken; the other shows the form with the refusal
    # An approval is taken or refused (redirected to the case with a message), or, once the case is
    # decided, no longer offered to the committee (403).
    assert set(results[2 * LIAISONS : 2 * LIAISONS + 2 * CASES]) <= {302, 403}, results
    assert results[2 * LIAISONS + 2 * CASES :] == [200] * READERS, results
    assert_every_row_once(crowd, before)


def test_concurrent_service_calls_write_every_row_once(database, transactional_db):
    crowd = build_crowd()
    before = audit_counts()
    people = {p.user_id: p for p in Person.objects.filter(user__in=crowd.liaisons)}

    def report(user, task) -> str:
        progress_report_create(actor=user, task=task, unit=people[user.pk].unit, text="按期推进", percent=50)
        return "reported"

    def approve(case) -> str:
        case_agree(actor=crowd.committee, case=case, step=crowd.committee_step, opinion="同意")
        return "approved"

    def refused(call: Callable[[], str]) -> Callable[[], str]:
        def run() -> str:
            try:
                return call()
            except ValidationError:
                return "refused"

        return run

    calls = [
        refused(lambda u=user, t=task: report(u, t))
        for user, task in zip(crowd.liaisons, crowd.tasks, strict=True)
        for _ in range(2)
    ] + [refused(lambda c=case: approve(c)) for case in crowd.cases for _ in range(2)]
    results, seconds = at_once(calls)
    print(f"{database}: {len(results)} concurrent service calls in {seconds:.2f}s: {dict(Counter(map(str, results)))}")

    assert Counter(results) == {"reported": LIAISONS, "approved": CASES, "refused": LIAISONS + CASES}, results
    assert_every_row_once(crowd, before)
