"""Two jurisdictions under the same 办法, the second four times the first: the worlds of the list pages'
query counts (tests/web/test_list_query_counts.py).

Each `Side` is a city of its own (its own units, people, logins, ledger, cases, decisions and scores),
built through the services by `side_build(k=…)`, where every list of rows has ``k`` times the same base
count: the small side is k=1, the large one k=4. A page is then requested once in each city by the same
role, and since every page is scoped to the signed-in person's jurisdiction, the two requests differ only
in the number of rows behind them. Both are built once for the module (tests/once.py), on the day
`TODAY` (the world is dated in 2020, as the demo is).

What one k holds (BASE = 5):

- units: 市城管局 (the cases' and decisions' unit), 市教育局, 市卫健体委 of the spec's world, and 5k more
  (each with a 联络员 login and a 钉钉 channel), all under the same 二级督查 and 一级督查; k counties;
  5k more 督查事项;
- tasks: 10k from one 公文 (led in turn by 市教育局 and 市城管局, the one responsible on the other's;
  市城管局's have a deadline of 2020-06-30, so are overdue, and each of those has a 督办单 (every other one
  answered), a 延期申请 and a 办结申请 pending; all assigned on 2020-06-01 to the office's 周静, who
  decides their 延期 (the cities' 督办设置: supervision_folder), none acknowledged), 5k led by
  the extra units, 5k opened by hand from a 领导批示 (due 2020-07-12), and one task of 市城管局 with every
  extra unit responsible, each of which reports on it and has a 督办单 on it (the task page's lists);
  the reports due reminded on 2020-07-01; 5k drafts in one document; a first task given on 2020-04-01 in
  both cities (the 督查通报's periods start then); a 任务分解表 of 5k rows uploaded for its preview;
- documents: one issue of 5k documents, and 5k issues of one document each;
- cases: k at each of the city's six steps, k returned by the 一级督查, and one returned by the 二级督查
  and sent up again 2k times (its page's history);
- decisions: k of each — awaiting referral, referred, under appeal, appeal decided, 问题通报 without and
  with a rectification item, 公开曝光 — all on 市城管局, naming its 承办人员 (the person decisions name
  承办人丙 himself); the score ledger books them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from duban.accountability import services as cases
from duban.accountability.procedure import case_chain
from duban.accounts import roles
from duban.accounts.models import Jurisdiction, Unit
from duban.accounts.services import (
    jurisdiction_create,
    person_create,
    person_update,
    unit_create,
    user_add_role,
    user_create,
    user_grant,
)
from duban.ledger import lifecycle
from duban.ledger.channels import channel_create
from duban.ledger.daily import reminders_generate
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Document, GazetteIssue, Task
from duban.ledger.services import (
    deadline_update,
    order_answer,
    order_issue,
    progress_report_create,
    task_assign,
    task_confirm,
    task_open,
)
from duban.ledger.sources import INSTRUCTION, TaskSourceInput
from duban.ledger.workbook_import import workbook_stage
from tests.factories import World, build_world, decide, evidence, ledger_tasks_create, login_create
from tests.workbooks import HEADER, xlsx

TODAY = "2020-07-10"
CODES = ("small", "large")  # the two cities' codes (their 督办设置 files: supervision_folder)
BASE = 5
PASSWORD = "pw-counts-2020"
D = dt.date.fromisoformat


@dataclass
class Side:
    """One jurisdiction at ``k`` times the base size, with a login for each role."""

    k: int
    w: World
    prefix: str
    extra_units: list[Unit]
    users: dict[str, Any]
    big_issue: GazetteIssue  # 5k documents
    drafts_document: Document  # 5k drafted tasks
    report_task: Task  # 5k units responsible, each reporting, each with a 督办单
    workbook_token: str  # a 任务分解表 of 5k rows, uploaded by the office for its preview
    history_case: Any = None  # returned by the 二级督查 and sent up again 2k times: its history's rows
    counties: list[Jurisdiction] = field(default_factory=list)

    @property
    def city(self) -> Jurisdiction:
        return self.w.city

    @property
    def unit(self) -> Unit:
        """市城管局: the unit of the cases and decisions, and of the 联络员."""
        return self.w.cgj


def supervision_folder(folder: Path) -> Path:
    """The repository's 督办设置 and the two cities' own (the city's, with each 延期 decided by the task's
    经办人, as the office of every main task is), in ``folder`` (for DUBAN_SUPERVISION_DIR)."""
    shutil.copytree(Path(settings.DUBAN_SUPERVISION_DIR), folder, dirs_exist_ok=True)
    for code in CODES:
        (folder / f"{code}.yaml").write_text(
            "extends: zhumadian\nextension:\n  approver: owner\n  reference: 延期由任务的经办人审批\n", encoding="utf-8"
        )
    return folder


def _login(username: str, person=None, **extra):
    return login_create(username, person, password=PASSWORD, **extra)


def _document(side_code: str, jurisdiction, name: str, documents: list[dict]) -> GazetteIssue:
    return issue_ingest(
        actor=None,
        jurisdiction=jurisdiction,
        source_name=f"{name}.txt",
        content=f"{side_code}-{name}".encode(),
        extraction={"source": f"{name}.txt", "issue": {"title": name}, "documents": documents},
    ).issue


def _doc(title: str, tasks: list[dict], *, doc_no: str = "", date: str = "2020-04-20") -> dict:
    return {
        "doc_no": doc_no,
        "title": title,
        "issuer": "人民政府",
        "date": date,
        "kind": "通知",
        "text": f"{title}的正文。",
        "tasks": tasks,
        "targets": [],
        "deadlines": [],
    }


def _task(ref: str, title: str, lead: str, units=(), deadline: str | None = None) -> dict:
    return {
        "ref": ref,
        "title": title,
        "text": f"{title}的具体内容。",
        "lead_units": [lead],
        "units": list(units),
        "deadlines": [{"text": "限期", "date": deadline}] if deadline else [],
        "targets": [],
    }


def _people(w: World, prefix: str) -> dict[str, Any]:
    city = w.city

    def person(name, role, unit=None, **extra):
        return person_create(actor=None, jurisdiction=city, name=name, role=role, unit=unit, **extra)

    office = _login(f"{prefix}office", person("督查室周静", "督查室工作人员"))  # the main tasks' 经办人
    # The office's clerk reads every model of the admin (scoped to the jurisdiction, as a clerk is).
    office.is_staff = True
    office.save(update_fields=["is_staff"])
    user_grant(
        actor=None,
        user=office,
        permissions=[
            f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.filter(
                codename__startswith="view_",
                content_type__app_label__in=["accounts", "ledger", "accountability", "scoring"],
            ).select_related("content_type")
        ],
    )
    committee_person = person("委员会秘书钱正", "督查室工作人员")
    committee = user_create(actor=None, username=f"{prefix}committee", password=PASSWORD)
    person_update(actor=None, person=committee_person, data={"user": committee})
    user_add_role(actor=None, user=committee, role=roles.COMMITTEE)
    return {
        "office": office,
        "erji": _login(f"{prefix}erji", w.liaison),
        "yiji": _login(f"{prefix}yiji", w.chief),
        "fuzong": _login(f"{prefix}fuzong", person("副总督查马卫东", "副总督查", cadre_level="处级")),
        "zongducha": _login(f"{prefix}zongducha", person("总督查王建国", "总督查", cadre_level="厅级")),
        "committee": committee,
        "liaison": _login(f"{prefix}liaison", person("联络员谢芳", "联络员", unit=w.cgj)),
        "party": _login(f"{prefix}party", w.handler),
        "leader": _login(f"{prefix}leader", w.leader),
    }


def _case(side: Side, stop: int, day: dt.date):
    """A case on 市城管局 / M1, investigated, agreed at each step before index ``stop``."""
    w, users = side.w, side.users
    case = cases.case_open(actor=users["office"], jurisdiction=w.city, matter=w.m1, unit=w.cgj, opened_on=day)
    case = cases.case_update_investigation(
        actor=users["office"],
        case=case,
        data={
            "investigation": "经调查核实，道路破损修复任务逾期未完成。",
            "situation_number": 11,
            "methods": ["通报批评"],
            "subject": "unit",
            "responsible": {"承办人员": [w.handler], "科室负责人": [w.section_head]},
        },
    )
    actors = ["office", "erji", "yiji", "fuzong", "zongducha", "committee"]
    for index, step in enumerate(case_chain(case)[:stop]):
        case = cases.case_agree(
            actor=users[actors[index]], case=case, step=step.code, opinion=f"{step.name}：同意", decided_on=day
        )
    return case


def _decisions(side: Side, count: int) -> None:
    """``count`` decisions of each kind the lists show, on 市城管局 / M1, naming its 承办人员."""
    w, office, committee = side.w, side.users["office"], side.users["committee"]
    for n in range(count):
        day = dt.date(2020, 6, 1 + n)
        decide(w, day.isoformat(), ["建议组织部门处理"], subject="person", person=w.handler)
        referred = decide(w, day.isoformat(), ["建议组织部门处理"], subject="person", person=w.handler)
        cases.referral_create(
            actor=office, decision=referred, target_body="市委组织部", sent_on=day, due_on=D("2020-08-01")
        )
        for decided in (False, True):
            appealed = decide(w, day.isoformat(), ["通报批评"])
            cases.decision_letter_received(actor=office, decision=appealed, received_on=day)
            cases.appeal_file(actor=None, decision=appealed, reason="不服", filed_on=day)
            if decided:
                cases.appeal_decide(actor=committee, decision=appealed, outcome="upheld", reason="维持")
        decide(w, day.isoformat(), ["问题通报"])
        rectifying = decide(w, day.isoformat(), ["问题通报"])
        cases.rectification_create(actor=office, decision=rectifying, due_on=D("2020-07-05"), requirement="限期整改")
        decide(w, day.isoformat(), ["公开曝光"], matter=w.m2)


def side_build(*, k: int, prefix: str, code: str, name: str) -> Side:
    """A city at ``k`` times the base size (the module docstring lists what it holds)."""
    w = build_world(prefix=prefix, code=code, name=name, rulebook_code="zhumadian")
    city, cgj, jyj = w.city, w.cgj, w.jyj
    users = _people(w, prefix)
    office, liaison = users["office"], users["liaison"]
    office_person = office.person
    count = BASE * k
    counties = [
        jurisdiction_create(
            actor=None,
            code=f"{code}-county{n}",
            name=f"{name}第{n}区",
            level="county",
            parent=city,
            rulebook_code="zhumadian",
        )
        for n in range(1, k + 1)
    ]
    extra_units = []
    for n in range(1, count + 1):
        unit = unit_create(
            actor=None,
            jurisdiction=city,
            name=f"市第{n}局",
            liaison_supervisor=w.liaison,
            first_level_supervisor=w.chief,
        )
        person = person_create(actor=None, jurisdiction=city, unit=unit, name=f"联络员{n}", role="联络员")
        _login(f"{prefix}liaison{n}", person)
        channel_create(
            actor=office,
            jurisdiction=city,
            unit=unit,
            kind="dingtalk",
            name=f"市第{n}局督办群",
            url="https://oapi.dingtalk.com/robot/send?access_token=counts",
        )
        extra_units.append(unit)
    for n in range(1, count + 1):
        cases.matter_create(actor=office, jurisdiction=city, code=f"X{n}", title=f"督查事项{n}", unit=cgj)

    # --- the ledger ---------------------------------------------------------------------------------
    main = ledger_tasks_create(city, [jyj, cgj], 2 * count, prefix="重点任务")
    ledger_tasks_create(city, extra_units, count, prefix="单位任务")
    for n in range(1, count + 1):
        opened = task_open(
            actor=office,
            jurisdiction=city,
            source=TaskSourceInput(kind=INSTRUCTION, person="市长", date=D("2020-07-01"), words="请抓紧办理"),
            title=f"批示任务{n}",
            lead_units=[cgj],
            deadlines=[(D("2020-07-12"), "7月12日前")],
        )
        deadline_update(actor=office, deadline=opened.deadlines.get(), date=D("2020-07-20"), reason="领导要求")
    # The ledger's first task, given on 2020-04-01 in both cities: the 督查通报's periods start then.
    early = _document(
        code, city, "早期任务", [_doc("早期任务的通知", [_task("1", "早期任务", cgj.name)], date="2020-04-01")]
    )
    task_confirm(actor=None, task=Task.objects.get(document__issue=early))
    issue = _document(
        code,
        city,
        "多单位任务",
        [
            _doc(
                "多单位任务的通知",
                [_task("1", "多单位联合任务", cgj.name, [u.name for u in extra_units], "2020-06-30")],
                doc_no="多〔2020〕1号",
            )
        ],
    )
    report_task = task_confirm(actor=None, task=Task.objects.get(document__issue=issue))
    for unit in extra_units:
        progress_report_create(
            actor=None, task=report_task, unit=unit, text="按计划推进", percent=20, reported_on=D("2020-07-01")
        )
        order_issue(
            actor=office,
            task=report_task,
            unit=unit,
            reason="逾期未完成",
            reply_by=D("2020-07-08"),
            issued_on=D("2020-07-01"),
        )
    for n, task in enumerate(main, start=1):
        task_assign(actor=office, task=task, reporting_cycle="monthly", owner=office_person, on=D("2020-06-01"))
        if n % 2 == 0:
            continue  # 市教育局's: no deadline
        order = order_issue(
            actor=office, task=task, unit=cgj, reason="逾期未完成", reply_by=D("2020-07-08"), issued_on=D("2020-07-01")
        )
        if n % 4 == 1:
            order_answer(actor=liaison, order=order, answer="正在加快推进", answered_on=D("2020-07-03"))
        lifecycle.extension_request(
            actor=liaison,
            task=task,
            unit=cgj,
            deadline=task.deadlines.get(),
            requested_date=D("2020-09-30"),
            reason="受客观因素影响",
        )
        lifecycle.closure_apply(actor=liaison, task=task, unit=cgj, summary="已完成", attachments=[evidence()])
    reminders_generate(jurisdiction=city, today=D("2020-07-01"))
    drafts = _document(
        code,
        city,
        "待审公文",
        [
            _doc(
                "待审任务的通知",
                [_task(str(n), f"待审任务{n}", cgj.name) for n in range(1, count + 1)],
                doc_no="审〔2020〕1号",
            )
        ],
    )
    big_issue = _document(
        code,
        city,
        "政府公报合订本",
        [_doc(f"合订本公文{n}", [], doc_no=f"合〔2020〕{n}号") for n in range(1, count + 1)],
    )
    for n in range(1, count + 1):
        _document(code, city, f"政府公报第{n}期", [_doc(f"单行公文{n}", [], doc_no=f"单〔2020〕{n}号")])

    sheet = xlsx(
        [
            HEADER,
            *[
                (n, f"分解任务{n}", f"分解任务{n}的内容", cgj.name, jyj.name, "2020年12月31日")
                for n in range(1, count + 1)
            ],
        ]
    )
    token = workbook_stage(actor=office, jurisdiction=city, content=sheet, file_name="任务分解表.xlsx")

    side = Side(
        k=k,
        w=w,
        prefix=prefix,
        extra_units=extra_units,
        users=users,
        big_issue=big_issue,
        drafts_document=drafts.documents.get(),
        report_task=report_task,
        workbook_token=token,
        counties=counties,
    )
    # --- cases and decisions ----------------------------------------------------------------------------
    for stop in range(6):
        for _ in range(k):
            _case(side, stop, D("2020-06-15"))
    for _ in range(k):  # returned by the 一级督查 to the 二级督查, with a reason
        case = _case(side, 2, D("2020-06-15"))
        cases.case_return(actor=users["yiji"], case=case, step=case.step, reason="事实不清，请补充")
    case = _case(side, 1, D("2020-06-15"))
    for _ in range(2 * k):
        case = cases.case_return(actor=users["erji"], case=case, step=case.step, reason="请补充证据")
        case = cases.case_agree(actor=users["office"], case=case, step=case.step, opinion="已补充", decided_on=None)
    side.history_case = case
    _decisions(side, k)
    return side


def superuser_create():
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
