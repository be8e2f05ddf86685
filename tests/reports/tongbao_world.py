"""A small ledger for the 督查通报's tests, whose June 2020 (and May, the period before) figures are worked
out by hand in tests/reports/test_tongbao_figures.py. Built through the services, on 2020-07-10.

Tasks (document A of 2020-04-20; T7 from document B of 2020-06-10), lead unit first:

    T1 城管 → deadline 05-20, never reported            overdue from 05-21; 督办单 05-25, answered 06-03
    T2 教育 (城管 responsible) → 06-15, 100% on 06-10   done in June (办结 accepted 06-10)
    T3 卫健 → 06-20, 50% on 05-25                       overdue from 06-21; 督办单 06-25, unanswered
    T4 城管 → no deadline, 30% on 06-05
    T5 教育 → 07-02                                     due soon on 06-30
    T6 卫健 → 12-31, closed by the office on 05-15      done in May
    T7 城管 → 09-30 (given 06-10)

Decisions: 05-12 通报批评 (城管, M2); 06-18 通报批评 (城管, M1); 06-28 公开曝光 (城管, M2); 06-20 工作约谈
(城管); 06-08 and 06-22 责令作出书面检查 on 教育 (the second escalates to 公开曝光, 第九条第（三）项).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import override_settings

from duban.accountability.services import matter_create
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Task
from duban.ledger.services import order_answer, order_issue, progress_report_create, task_confirm, task_mark_done
from tests.factories import World, build_world, closure_accepted, decide

TODAY = "2020-07-10"


@dataclass
class TongbaoWorld:
    w: World
    tasks: dict[str, Task]


def _document(
    w: World, number: int, name: str, date: str, tasks: list[tuple[str, str, str | None, list[str]]]
) -> list[Task]:
    """Ingest one document of ``tasks`` (ref, lead unit, deadline, responsible units) and confirm them."""
    result = issue_ingest(
        actor=None,
        jurisdiction=w.city,
        source_name=f"{name}.txt",
        content=name.encode(),
        extraction={
            "source": f"{name}.txt",
            "issue": {"title": name},
            "documents": [
                {
                    "doc_no": f"驻政〔2020〕{number}号",
                    "title": name,
                    "issuer": "驻马店市人民政府",
                    "date": date,
                    "kind": "通知",
                    "text": name,
                    "tasks": [
                        {
                            "ref": ref,
                            "title": f"任务{ref}",
                            "text": f"任务{ref}的内容。",
                            "lead_units": [lead],
                            "units": others,
                            "deadlines": [{"text": "限期", "date": deadline}] if deadline else [],
                            "targets": [],
                        }
                        for ref, lead, deadline, others in tasks
                    ],
                    "targets": [],
                    "deadlines": [],
                }
            ],
        },
    )
    confirmed = []
    for task in Task.objects.filter(document__issue=result.issue).order_by("position"):
        confirmed.append(task_confirm(actor=None, task=task))
    return confirmed


def build_tongbao_world(*, extra_tasks: int = 0) -> TongbaoWorld:
    with override_settings(DUBAN_TODAY=TODAY):
        w = build_world()
        cgj, jyj, wjw = w.cgj.name, w.jyj.name, w.wjw.name
        first = _document(
            w,
            1,
            "关于做好2020年重点工作的通知",
            "2020-04-20",
            [
                ("T1", cgj, "2020-05-20", []),
                ("T2", jyj, "2020-06-15", [cgj]),
                ("T3", wjw, "2020-06-20", []),
                ("T4", cgj, None, []),
                ("T5", jyj, "2020-07-02", []),
                ("T6", wjw, "2020-12-31", []),
            ],
        )
        second = _document(w, 2, "关于六月新增任务的通知", "2020-06-10", [("T7", cgj, "2020-09-30", [])])
        tasks = {task.ref: task for task in [*first, *second]}
        day = dt.date.fromisoformat

        def report(ref: str, unit, percent: int, on: str) -> None:
            progress_report_create(
                actor=None, task=tasks[ref], unit=unit, text="按计划推进", percent=percent, reported_on=day(on)
            )

        report("T2", w.jyj, 100, "2020-06-10")
        closure_accepted(tasks["T2"], w.jyj, on=day("2020-06-10"))
        report("T3", w.wjw, 50, "2020-05-25")
        report("T4", w.cgj, 30, "2020-06-05")
        task_mark_done(actor=None, task=tasks["T6"], on=day("2020-05-15"))
        t1 = order_issue(
            actor=None,
            task=tasks["T1"],
            unit=w.cgj,
            reason="逾期未完成",
            reply_by=day("2020-06-05"),
            issued_on=day("2020-05-25"),
        )
        order_answer(actor=None, order=t1, answer="已加快推进", answered_on=day("2020-06-03"))
        order_issue(
            actor=None,
            task=tasks["T3"],
            unit=w.wjw,
            reason="逾期未完成",
            reply_by=day("2020-07-05"),
            issued_on=day("2020-06-25"),
        )
        m3 = matter_create(actor=w.actor, jurisdiction=w.city, code="M3", title="校园周边交通整治", unit=w.jyj)
        decide(w, "2020-05-12", ["通报批评"], matter=w.m2)
        decide(w, "2020-06-18", ["通报批评"])
        decide(w, "2020-06-28", ["公开曝光"], matter=w.m2)
        decide(w, "2020-06-20", ["工作约谈"])
        decide(w, "2020-06-08", ["责令作出书面检查"], unit=w.jyj, matter=m3)
        decide(w, "2020-06-22", ["责令作出书面检查"], unit=w.jyj, matter=m3)
        if extra_tasks:
            _document(
                w,
                3,
                f"关于{extra_tasks}项补充任务的通知",
                "2020-04-20",
                [(f"X{n}", [cgj, jyj, wjw][n % 3], "2020-06-10" if n % 2 else None, []) for n in range(extra_tasks)],
            )
    return TongbaoWorld(w=w, tasks=tasks)
