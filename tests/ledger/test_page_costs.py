"""What the ledger's pages cost does not grow with the ledger (issue 13): the 签收, 延期 and 办结 lists, the 公文库
and a document's page, and the 台账's Excel export cost the same queries for 5 and 50 rows; the export is built a
chunk of tasks at a time and sent from a file; and the indexes the pages read at province scale
(duban/ledger/migrations/0013_i13_pages_indexes.py) are the ones SQLite's plan names for their queries."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from duban.accounts.services import person_create, unit_create
from duban.ledger import lifecycle, services
from duban.ledger import lifecycle_selectors as life
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Task
from duban.ledger.selectors import ledger_page_rows, ledger_query
from duban.ledger.workbook import ledger_rows_in_chunks
from tests.factories import evidence, ledger_tasks_create, login_create

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = "2020-06-10"


@pytest.fixture
def office_world(city, settings, tmp_path):
    """Three units of the city, the office's login and the first unit's liaison's."""
    settings.DUBAN_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path
    units = [unit_create(actor=None, jurisdiction=city, name=f"市第{n}局") for n in range(1, 4)]
    office = login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-12345678",
    )
    liaison = login_create(
        "liaison",
        person_create(actor=None, jurisdiction=city, unit=units[0], name="谢芳", role="联络员"),
        password="pw-12345678",
    )
    return city, units, office, liaison


def _queries(client, user, url: str) -> tuple[int, object]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def _given(city, units, count: int, prefix: str) -> list[Task]:
    """``count`` tasks 交办 (so each unit named on them has one to 签收), each lead unit asking to move the
    deadline of those that have one (延期) and applying to close the others (办结)."""
    tasks = ledger_tasks_create(city, units, count, prefix=prefix)
    for n, task in enumerate(tasks, start=1):
        services.task_assign(actor=None, task=task, reporting_cycle="monthly", owner=None)
        lead = units[n % len(units)]
        deadline = task.deadlines.first()
        if deadline is not None:
            lifecycle.extension_request(
                actor=None, task=task, unit=lead, deadline=deadline, requested_date=D(2020, 9, 30), reason="汛期停工"
            )
        else:
            lifecycle.closure_apply(actor=None, task=task, unit=lead, summary="已完成", attachments=[evidence()])
    return tasks


@pytest.mark.parametrize(
    "who, url",
    [
        ("office", "/ledger/acknowledgements/"),
        ("office", "/ledger/acknowledgements/?overdue=1&page=2"),
        ("liaison", "/ledger/acknowledgements/"),
        ("office", "/ledger/extensions/"),
        ("office", "/ledger/extensions/?status=&page=2"),
        ("liaison", "/ledger/extensions/"),
        ("office", "/ledger/closures/"),
        ("liaison", "/ledger/closures/?status="),
    ],
)
def test_the_task_life_lists_cost_the_same_queries_for_6_and_50_tasks(client, office_world, settings, who, url):
    city, units, office, liaison = office_world
    user = {"office": office, "liaison": liaison}[who]
    _given(city, units, 6, "甲")  # the liaison's unit leads one task with a deadline and one without
    settings.DUBAN_TODAY = "2020-06-20"  # past the 签收 window of every 交办
    five, small = _queries(client, user, url)
    settings.DUBAN_TODAY = TODAY
    _given(city, units, 44, "乙")
    settings.DUBAN_TODAY = "2020-06-20"
    fifty, large = _queries(client, user, url)
    assert small.context["page"].paginator.count < large.context["page"].paginator.count
    assert fifty == five


def test_the_acknowledgements_read_the_settings_once_for_the_page(client, office_world, monkeypatch):
    from duban.ledger import supervision

    city, units, office, _ = office_world
    _given(city, units, 12, "甲")
    reads = []
    real = supervision.settings_for
    monkeypatch.setattr(
        supervision, "settings_for", lambda jurisdiction: reads.append(jurisdiction) or real(jurisdiction)
    )
    _, response = _queries(client, office, "/ledger/acknowledgements/")
    assert len(response.context["items"]) == 24 and len(reads) == 2  # the page's window line, and the rows'
    monkeypatch.undo()
    assert {item.due for item in response.context["items"]} == {life.acknowledge_due(Task.objects.first())}


# --- the 公文库 ------------------------------------------------------------------------------------------


def _documents(city, count: int, prefix: str, *, drafts: int = 0) -> None:
    """One issue of ``count`` documents, dated over two years, of two issuers and two kinds, each with
    ``drafts`` tasks to review."""
    issue_ingest(
        actor=None,
        jurisdiction=city,
        source_name=f"{prefix}.txt",
        content=prefix.encode(),
        extraction={
            "source": f"{prefix}.txt",
            "issue": {"title": f"{prefix}公报"},
            "documents": [
                {
                    "doc_no": f"{prefix}〔2020〕{n}号",
                    "title": f"{prefix}关于第{n}项工作的通知",
                    "issuer": "人民政府" if n % 2 else "人民政府办公室",
                    "date": f"{2019 + n % 2}-0{1 + n % 9}-1{n % 10}",
                    "kind": "通知" if n % 3 else "意见",
                    "text": f"第{n}项工作。",
                    "tasks": [
                        {"ref": str(t), "title": f"{prefix}草稿{n}-{t}", "text": "", "lead_units": ["市第1局"]}
                        | {"units": [], "deadlines": [], "targets": []}
                        for t in range(1, drafts + 1)
                    ],
                    "targets": [],
                    "deadlines": [],
                }
                for n in range(1, count + 1)
            ],
        },
    )


@pytest.mark.parametrize("query", ["", "?year=2020&page=2", "?issuer=人民政府&kind=通知", "?q=工作"])
def test_the_library_costs_the_same_queries_for_5_and_50_documents(client, office_world, query):
    city, _, office, _ = office_world
    _documents(city, 5, "甲")
    five, small = _queries(client, office, f"/ledger/library/{query}")
    _documents(city, 45, "乙")
    fifty, large = _queries(client, office, f"/ledger/library/{query}")
    assert small.context["page"].paginator.count * 5 < large.context["page"].paginator.count and fifty == five


def test_the_library_offers_the_years_its_documents_are_dated_in(client, office_world):
    city, _, office, _ = office_world
    _documents(city, 4, "甲")
    assert _queries(client, office, "/ledger/library/")[1].context["choices"]["years"] == [2020, 2019]
    issue_ingest(
        actor=None,
        jurisdiction=city,
        source_name="旧.txt",
        content=b"old",
        extraction={
            "source": "旧.txt",
            "issue": {"title": "旧公报"},
            "documents": [
                {"doc_no": "", "title": "二〇一五年的通知", "issuer": "人民政府", "date": "2015-03-01", "kind": "通知"}
                | {"text": "旧。", "tasks": [], "targets": [], "deadlines": []},
                {"doc_no": "", "title": "无日期的讲话", "issuer": "", "date": None, "kind": "讲话"}
                | {"text": "讲话。", "tasks": [], "targets": [], "deadlines": []},
            ],
        },
    )
    # the years between hold no document: not offered
    assert _queries(client, office, "/ledger/library/")[1].context["choices"]["years"] == [2020, 2019, 2015]


def test_a_documents_page_costs_the_same_queries_for_5_and_50_tasks(client, office_world):
    city, units, office, _ = office_world
    small = ledger_tasks_create(city, units, 5, prefix="甲")[0].document
    big = ledger_tasks_create(city, units, 50, prefix="乙")[0].document
    five, _ = _queries(client, office, f"/ledger/library/documents/{small.pk}/")
    fifty, response = _queries(client, office, f"/ledger/library/documents/{big.pk}/")
    assert len(response.context["tasks"]) == 50 and fifty == five


# --- the Excel export --------------------------------------------------------------------------------


def test_the_export_costs_the_same_queries_for_5_and_50_tasks_and_is_sent_from_a_file(client, office_world, settings):
    city, units, office, _ = office_world
    settings.DUBAN_TODAY = "2020-07-10"  # the odd tasks' deadline (06-30) has passed
    ledger_tasks_create(city, units, 5, prefix="甲")
    five, _ = _queries(client, office, "/ledger/tasks/export/?standing=overdue")
    ledger_tasks_create(city, units, 45, prefix="乙")
    fifty, response = _queries(client, office, "/ledger/tasks/export/?standing=overdue")
    assert fifty == five
    assert response.streaming  # read from its temporary file as it is sent, not held as one string
    sheet = load_workbook(BytesIO(response.getvalue())).worksheets[0]
    titles = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(titles) == 3 + 23 and all(int(title[1:]) % 2 for title in titles)  # the odd ones: overdue


def test_the_export_builds_its_rows_a_chunk_at_a_time_as_the_whole_ledger_reads(office_world):
    city, units, _, _ = office_world
    ledger_tasks_create(city, units, 7, prefix="甲")
    tasks = ledger_query(Task.objects.filter(jurisdiction=city))

    def shown(rows):
        return [(r.task.pk, r.standing.code, r.latest and r.latest.pk, [u.pk for u in r.lead_units]) for r in rows]

    whole = shown(ledger_page_rows(tasks))
    with CaptureQueriesContext(connection) as queries:
        chunked = shown(ledger_rows_in_chunks(tasks, chunk=3))
    assert chunked == whole and len(whole) == 7
    with CaptureQueriesContext(connection) as one_chunk:
        list(ledger_rows_in_chunks(tasks, chunk=10))
    assert len(queries) == 1 + 3 * (len(one_chunk) - 1)  # the ledger's query once, then the same per chunk


# --- the indexes the pages read ----------------------------------------------------------------------


def _plans(client, user, url: str, *markers: str) -> list[str]:
    """SQLite's plan of each query the page runs whose SQL holds every one of ``markers``."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    plans = []
    for query in queries:
        if all(marker in query["sql"] for marker in markers):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                plans.append("\n".join(row[3] for row in cursor.fetchall()))
    assert plans, (url, markers)
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plans are SQLite's")
@pytest.mark.parametrize(
    "who, url, markers, indexes",
    [
        (  # 待签收: the open 交办 tasks in 交办 order from one index, each (task, unit) once from another
            "office",
            "/ledger/acknowledgements/",
            ('FROM "ledger_taskunit"', 'ORDER BY "ledger_task"."assigned_at"'),
            ["task_jurisdiction_status_idx", "taskunit_task_unit_ack_idx"],
        ),
        ("office", "/ledger/review/", ('AS "drafts"',), ["task_document_status_idx"]),
        # the counts by status from an index led by (jurisdiction, status) alone: SQLite takes the narrowest
        ("office", "/ledger/review/", ("GROUP BY 1", 'AS "n"'), [("task_given_on_idx", "task_ledger_place_idx")]),
        # the 台账's page in its order, read from the index of the jurisdiction's tasks by 台账顺序
        ("office", "/ledger/tasks/", ('ORDER BY "ledger_task"."ledger_place"', "LIMIT"), ["task_ledger_place_idx"]),
        ("office", "/ledger/review/", ('ORDER BY "ledger_task"."ledger_place"', "LIMIT"), ["task_ledger_place_idx"]),
        (
            "office",
            "/ledger/missed-reports/?period=2020-07",
            ('FROM "ledger_taskunit"', '"ledger_progressreport"', "LIMIT"),
            ["task_jurisdiction_status_idx", "taskunit_task_leads"],
        ),
        ("liaison", "/ledger/reminders/?all=1", ('FROM "ledger_reminder"', "ORDER BY"), ["reminder_recipient_idx"]),
        ("liaison", "/ledger/reminders/", ('FROM "ledger_reminder"', "ORDER BY"), ["reminder_recipient_unread_idx"]),
        ("liaison", "/ledger/reminders/", ("COUNT(*)", '"read_at" IS NULL'), ["reminder_recipient_unread_idx"]),
        ("office", "/ledger/extensions/", ('FROM "ledger_extensionrequest"', "ORDER BY"), ["extension_status_idx"]),
        ("office", "/ledger/closures/", ('FROM "ledger_closurerequest"', "ORDER BY"), ["closure_status_idx"]),
        (
            "office",
            "/ledger/library/",
            ('FROM "ledger_document"', 'ORDER BY "ledger_document"."date" DESC'),
            ["document_jurisdiction_date_idx"],
        ),
        ("office", "/ledger/library/", ('MAX("ledger_document"."date")',), ["document_jurisdiction_date_idx"]),
    ],
)
def test_the_pages_read_their_indexes(client, office_world, settings, who, url, markers, indexes):
    city, units, office, liaison = office_world
    _given(city, units, 6, "甲")
    _documents(city, 3, "丙", drafts=2)
    settings.DUBAN_TODAY = "2020-09-10"  # July's reports (of the tasks 交办 in June) are owed and missing
    user = {"office": office, "liaison": liaison}[who]
    for plan in _plans(client, user, url, *markers):
        for index in indexes:
            either = index if isinstance(index, tuple) else (index,)
            assert any(f"USING INDEX {i}" in plan or f"USING COVERING INDEX {i}" in plan for i in either), plan
