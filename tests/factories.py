"""Builders of the tests' worlds: plain functions and dataclasses, written through the services.

The fixtures that wrap them live in tests/conftest.py; a suite's own world (the ledger's `lw`, the
accountability cast) lives in its own conftest and builds on these where it is the same world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from duban.accountability.models import Decision, Matter
from duban.accountability.services import decision_create, matter_create
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.services import (
    jurisdiction_create,
    person_create,
    person_link_user,
    unit_create,
    user_create,
)

# --- the city, its county, logins --------------------------------------------------------------


def city_create(actor=None, *, code: str = "zhumadian", name: str = "驻马店市", **extra) -> Jurisdiction:
    """驻马店市, the city every suite's world is set in (another city of the same 办法 with ``code``,
    ``name`` and ``rulebook_code="zhumadian"``)."""
    return jurisdiction_create(actor=actor, code=code, name=name, **extra)


def county_create(city: Jurisdiction, actor=None, **extra) -> Jurisdiction:
    """驿城区, a county of the city (``rulebook_code="yicheng"`` for its own 第八条 chain)."""
    return jurisdiction_create(actor=actor, code="yicheng", name="驿城区", level="county", parent=city, **extra)


def login_create(
    username: str, person: Person | None = None, *, password: str, groups: Iterable[str] = (), first_name: str = ""
):
    """A login (straight through the user manager, as an administrator would), linked to ``person``
    (which gives it the group of the person's function) and added to ``groups``."""
    user = get_user_model().objects.create_user(username, password=password, first_name=first_name)
    if person is not None:
        person_link_user(actor=None, person=person, user=user)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


# --- the world of the spec's examples (accounts, accountability, scoring, db) ------------------


@dataclass
class World:
    actor: object
    city: Jurisdiction
    chief: Person  # 一级督查 (S1 in the spec's examples)
    liaison: Person  # 二级督查 (S2)
    cgj: Unit  # 市城管局, a city-level 文明单位 with both supervisors
    jyj: Unit  # 市教育局
    wjw: Unit  # 市卫健体委
    handler: Person  # 承办人员 of 市城管局 (P1)
    section_head: Person  # 科室负责人 (P2)
    leader: Person  # 分管领导 (P3)
    principal: Person  # 单位主要领导 (P4)
    m1: Matter
    m2: Matter

    @property
    def roles(self) -> dict[str, list[Person]]:
        return {
            "承办人员": [self.handler],
            "科室负责人": [self.section_head],
            "分管领导": [self.leader],
            "单位主要领导": [self.principal],
        }


def build_world(*, prefix: str = "", **city) -> World:
    """A small jurisdiction shaped like the spec's examples, recorded by the clerk ``duchashi``; with a
    ``prefix`` for the clerk's username and the city's ``code``, ``name``, … (city_create), another such
    jurisdiction beside it."""
    actor = user_create(actor=None, username=f"{prefix}duchashi", password="test-pass-1234", is_staff=True)
    city = city_create(actor, **city)
    chief = person_create(actor=actor, jurisdiction=city, name="一级督查甲", role="一级督查", cadre_level="处级")
    liaison = person_create(actor=actor, jurisdiction=city, name="二级督查乙", role="二级督查", cadre_level="处级")
    cgj = unit_create(
        actor=actor,
        jurisdiction=city,
        name="市城市管理局",
        short_name="市城管局",
        aliases=["市城管局"],
        civilized="city",
        liaison_supervisor=liaison,
        first_level_supervisor=chief,
    )
    jyj = unit_create(actor=actor, jurisdiction=city, name="市教育局", liaison_supervisor=liaison)
    wjw = unit_create(actor=actor, jurisdiction=city, name="市卫健体委", aliases=["市卫健委"], civilized="province")

    def staff(name: str, role: str) -> Person:
        return person_create(actor=actor, jurisdiction=city, unit=cgj, name=name, role=role)

    return World(
        actor=actor,
        city=city,
        chief=chief,
        liaison=liaison,
        cgj=cgj,
        jyj=jyj,
        wjw=wjw,
        handler=staff("承办人丙", "承办人员"),
        section_head=staff("科长丁", "科室负责人"),
        leader=staff("副局长戊", "分管领导"),
        principal=staff("局长己", "单位主要领导"),
        m1=matter_create(actor=actor, jurisdiction=city, code="M1", title="城区道路破损修复", unit=cgj),
        m2=matter_create(actor=actor, jurisdiction=city, code="M2", title="背街小巷环境整治", unit=cgj),
    )


def decide(
    w: World, day: str, methods: list[str], *, unit: Unit | None = None, matter: Matter | None = None, **extra
) -> Decision:
    """A decision on 市城管局 / M1 by default, with the four roles of the spec's examples."""
    unit = unit or w.cgj
    return decision_create(
        actor=w.actor,
        jurisdiction=w.city,
        matter=matter or w.m1,
        unit=unit,
        date=dt.date.fromisoformat(day),
        situation_number=extra.pop("situation_number", 11),
        methods=methods,
        responsible=extra.pop("responsible", w.roles if unit == w.cgj else {}),
        **extra,
    )


# --- files a liaison attaches (real files of each allowed type, made here) -----------------------


def minimal_pdf(text: str = "progress") -> bytes:
    """A one-page PDF written by hand, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sample_file(suffix: str) -> bytes:
    """A small, whole, valid file of the type ``suffix`` names (.pdf .docx .xlsx .png .jpg .txt .doc .xls)."""
    import io

    buffer = io.BytesIO()
    if suffix == ".pdf":
        return minimal_pdf()
    if suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_paragraph("开展健康科普活动")
        document.save(buffer)
    elif suffix == ".xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active.append(["指标", "数值"])
        workbook.active.append(["健康素养水平", 20.5])
        workbook.save(buffer)
    elif suffix in (".png", ".jpg", ".jpeg"):
        from PIL import Image

        Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG" if suffix == ".png" else "JPEG")
    elif suffix == ".txt":
        return "进展情况：已完成宣传周活动。\n".encode()
    elif suffix in (".doc", ".xls"):
        return _ole_file("WordDocument" if suffix == ".doc" else "Workbook")
    else:
        raise ValueError(suffix)
    return buffer.getvalue()


def _ole_file(stream: str) -> bytes:
    """A legacy Office (OLE2) container holding one stream named ``stream`` (512-byte sectors)."""
    import struct

    sector = 512
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    # Sectors: 0 = FAT, 1 = directory, 2..9 = the stream (4096 bytes, so in regular sectors).
    data = b"\x00" * 4096
    fat = [fat_sector, end, *range(3, 10), end] + [free] * (sector // 4 - 10)
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, 1, 1, 0)  # one FAT sector, directory at sector 1, no transaction
    struct.pack_into("<IIIII", header, 56, 4096, end, 0, end, 0)  # mini cutoff, no mini FAT, no DIFAT
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    for index in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * index, free)

    def entry(name: str, kind: int, start: int, size: int, child: int = free) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, free, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, end, 0, child=1) + entry(stream, 2, 2, len(data))
    directory += b"\x00" * (sector - len(directory))
    return bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + directory + data


# --- the units a 任务分解表 of tests/workbooks.py names ------------------------------------------------

SHEET_UNITS = (
    ("驻马店市发展和改革委员会", "市发改委"),
    ("驻马店市财政局", "市财政局"),
    ("驻马店市教育局", "市教育局"),
    ("驻马店市民政局", "市民政局"),
    ("驻马店市公安局", "市公安局"),
    ("驻马店市司法局", "市司法局"),
    ("驻马店市卫生健康体育委员会", "市卫健体委"),
)


def sheet_units_create(city: Jurisdiction) -> dict[str, Unit]:
    """The city's units that the sheets of tests/workbooks.py name, by short name."""
    return {
        short: unit_create(actor=None, jurisdiction=city, name=name, short_name=short) for name, short in SHEET_UNITS
    }


# --- many rows for the list pages (pagination, query counts) -----------------------------------


def ledger_tasks_create(jurisdiction: Jurisdiction, units: list[Unit], count: int, *, prefix: str = "批量任务") -> list:
    """``count`` confirmed tasks of one ingested document of ``jurisdiction`` (named “{prefix}N”, numbered
    N), led in turn by each of ``units`` with the next unit responsible, half of them with a deadline
    (2020-06-30, so overdue after it) and every third with a progress report of its lead unit."""
    from duban.ledger.ingest import issue_ingest
    from duban.ledger.models import Task
    from duban.ledger.services import progress_report_create, task_confirm

    def task(n: int) -> dict:
        lead, other = units[n % len(units)], units[(n + 1) % len(units)]
        return {
            "ref": str(n),
            "title": f"{prefix}{n}",
            "text": f"{prefix}{n}的具体内容。",
            "lead_units": [lead.name],
            "units": [other.name] if other != lead else [],
            "deadlines": [{"text": "6月底前", "date": "2020-06-30"}] if n % 2 else [],
            "targets": [],
        }

    title = f"{prefix}所在公文（{count}项）"
    result = issue_ingest(
        actor=None,
        jurisdiction=jurisdiction,
        source_name=f"{prefix}-{count}.txt",
        content=f"{jurisdiction.code}-{prefix}-{count}".encode(),
        extraction={
            "source": f"{prefix}.txt",
            "issue": {"title": title},
            "documents": [
                {
                    "doc_no": f"批〔2020〕{count}号",
                    "title": title,
                    "issuer": "人民政府",
                    "date": "2020-04-20",
                    "kind": "通知",
                    "text": "批量任务。",
                    "tasks": [task(n) for n in range(1, count + 1)],
                    "targets": [],
                    "deadlines": [],
                }
            ],
        },
    )
    tasks = list(Task.objects.filter(document__issue=result.issue).order_by("position"))
    for n, item in enumerate(tasks, start=1):
        task_confirm(actor=None, task=item)
        if n % 3 == 0:
            progress_report_create(
                actor=None,
                task=item,
                unit=units[n % len(units)],
                text="按计划推进",
                percent=50,
                reported_on=dt.date(2020, 6, 1),
                today=dt.date(2020, 6, 1),
            )
    return tasks


# --- a group robot on this machine (钉钉 / 企业微信 webhooks), for the notifiers' tests -----------------


class FakeRobot:
    """An HTTP server in a thread on 127.0.0.1 that answers webhook POSTs as a group robot does: the
    first ``fail`` requests with ``failure`` (an HTTP status, or an errcode in a 200 answer), then
    ``{"errcode": 0}``. ``requests`` keeps what came in: (path with query, parsed JSON body)."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        robot = self
        self.fail = 0
        self.failure: int | str = 500
        self.requests: list[tuple[str, dict]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                robot.requests.append((self.path, json.loads(body.decode("utf-8"))))
                status, answer = 200, {"errcode": 0, "errmsg": "ok"}
                if len(robot.requests) <= robot.fail:
                    if isinstance(robot.failure, int):
                        status, answer = robot.failure, {"errcode": -1, "errmsg": "server error"}
                    else:
                        answer = {"errcode": 310000, "errmsg": robot.failure}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:  # quiet
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/robot/send?access_token=tok123456") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the task's life (duban.ledger.lifecycle) -------------------------------------------------------


def evidence(name: str = "办结佐证.pdf"):
    """A small, whole evidence file for a 办结申请."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, sample_file(name[name.rindex(".") :]))


def closure_accepted(task, unit, *, on: dt.date, actor=None, applicant=None):
    """The lead ``unit`` applies to close ``task`` and the office accepts on ``on``: the task is 已办结 then
    (a 100% report closes nothing)."""
    from duban.ledger.lifecycle import closure_accept, closure_apply

    request = closure_apply(actor=applicant, task=task, unit=unit, summary="任务已完成", attachments=[evidence()])
    return closure_accept(actor=actor, request=request, today=on)
