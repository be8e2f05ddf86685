"""The charts' small world, built through the services on a fixed calendar so that every figure can be
counted by hand (the numbers are worked out in tests/dashboards/test_dashboard_figures.py).

On 2020-06-15 (AS_OF), in 驻马店市 with 市城管局 (cgj), 市教育局 (jyj) and 市卫健体委 (wjw):

task  lead            deadline    what happened                                  standing on 06-15
T1    cgj (jyj resp.) 2020-04-30  cgj reported 100% on 04-20, 办结 accepted that day done, on time
T2    cgj             2020-05-31  cgj reported 50% on 05-20                      overdue
T3    jyj             2020-04-15  the office closed it on 05-10                  done, late (overdue in April)
T4    jyj (first named of jyj, wjw, no 牵头) 2020-06-17                          due soon
T5    wjw             —                                                          no deadline
T6    wjw             2020-12-31  a 2022 target: 18 on 03-31, 19 on 05-31 (≥22)  open

decisions: D1 2020-05-12 cgj, 第六条第11项 (慢作为), 通报批评 (−10 in May), appealed 05-20 (pending);
           D2 2020-06-05 jyj, 第六条第1项 (不作为), 工作约谈 (−30 in June).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from duban.accountability.services import appeal_file, decision_letter_received
from duban.ledger.models import Task
from duban.ledger.services import progress_report_create, task_mark_done, task_open
from duban.ledger.sources import MEETING, TaskSourceInput
from tests.factories import World, build_world, closure_accepted, decide

AS_OF = dt.date(2020, 6, 15)
D = dt.date


@dataclass
class ChartWorld:
    w: World
    tasks: dict[str, Task]


def open_task(w: World, title: str, *, lead=(), responsible=(), deadline: dt.date | None = None, targets: str = ""):
    return task_open(
        actor=w.actor,
        jurisdiction=w.city,
        source=TaskSourceInput(kind=MEETING, origin="市政府常务会议", date=D(2020, 2, 28), number=title),
        title=title,
        lead_units=lead,
        responsible_units=responsible,
        deadlines=[(deadline, "")] if deadline else [],
        targets_text=targets,
    )


def report(task: Task, unit, day: dt.date, percent: int, readings=None):
    return progress_report_create(
        actor=None, task=task, unit=unit, text="进展", percent=percent, readings=readings, reported_on=day, today=AS_OF
    )


def build_chart_world(settings) -> ChartWorld:
    settings.DUBAN_TODAY = "2020-03-01"
    w = build_world()
    t = {
        "T1": open_task(w, "T1", lead=[w.cgj], responsible=[w.jyj], deadline=D(2020, 4, 30)),
        "T2": open_task(w, "T2", lead=[w.cgj], deadline=D(2020, 5, 31)),
        "T3": open_task(w, "T3", lead=[w.jyj], deadline=D(2020, 4, 15)),
        "T4": open_task(w, "T4", responsible=[w.jyj, w.wjw], deadline=D(2020, 6, 17)),
        "T5": open_task(w, "T5", lead=[w.wjw]),
        "T6": open_task(
            w, "T6", lead=[w.wjw], deadline=D(2020, 12, 31), targets="到2022年，全市居民健康素养水平不低于22%。"
        ),
    }
    settings.DUBAN_TODAY = AS_OF.isoformat()
    target = t["T6"].targets.get()
    report(t["T1"], w.cgj, D(2020, 4, 20), 100)
    closure_accepted(t["T1"], w.cgj, on=D(2020, 4, 20), actor=w.actor)
    report(t["T2"], w.cgj, D(2020, 5, 20), 50)
    report(t["T6"], w.wjw, D(2020, 3, 31), 10, {target: 18})
    report(t["T6"], w.wjw, D(2020, 5, 31), 30, {target: 19})
    task_mark_done(actor=w.actor, task=t["T3"], on=D(2020, 5, 10))
    d1 = decide(w, "2020-05-12", ["通报批评"], situation_number=11)
    decide(w, "2020-06-05", ["工作约谈"], unit=w.jyj, situation_number=1)
    decision_letter_received(actor=w.actor, decision=d1, received_on=D(2020, 5, 14))
    appeal_file(actor=None, decision=d1, reason="情况已说明", filed_on=D(2020, 5, 20))
    return ChartWorld(w=w, tasks=t)


@pytest.fixture
def cw(db, settings) -> ChartWorld:
    return build_chart_world(settings)
