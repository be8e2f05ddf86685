"""The ledger's demo: the seed gazette read, reviewed, assigned and reported on through 2020.

Called at the end of ``duban.web.demo.load_demo`` (``make demo``). Everything goes through the
ledger's services, acting as the demo's people on 2020 dates, so the audit log tells the story.
Idempotent: every step looks for what it would make first.

The story, on the seed (驻马店市人民政府公报 2020年第4号):

- The 督查室 (duchashi) confirms the tasks of every document except the 婴幼儿照护 opinion, whose 18
  drafts stay on the 公文审核 page; it assigns each task a reporting cycle and an owner and sets
  deadlines: 2030-12-31 for the 健康驻马店 actions (their 2030 targets), 2020-12-31 for the sports
  plan (some of its tasks 2020-09-30), and the speech's own dates (2020-04-15, 2020-06-15).
- The lead units' liaisons report monthly (the speech's tasks half-monthly) from May to October
  2020, with readings of the 健康驻马店 targets. Most of the sports plan reaches 100%; a few tasks
  stall and are overdue today.
- Four 督办单 go out for late tasks; two are answered.
- 签收: the units acknowledge their tasks within two days of the 交办, but for a few left unacknowledged
  (the office sees them 超时未签收). 办结: a lead unit that reports 100% applies for 办结 with its evidence
  and the office accepts it a few days later; the first application is returned once (photos missing)
  and accepted when made again; the last one waits for 验收. 延期: one stalled task's request is
  approved (its deadline moves, kept in its history), another's refused.
- Reminders: those the services made, plus the report-due run of 2020-10-28 and the 签收 job's.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from duban import PROJECT_DIR
from duban.accounts import services as accounts
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.ledger import daily, lifecycle, services
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import (
    ClosureRequest,
    Document,
    ExtensionRequest,
    ProgressReport,
    Reminder,
    ReportingCycle,
    SupervisionOrder,
    Task,
)
from duban.ledger.selectors import period_of, task_lead_unit_ids

SEEDS_DIR = PROJECT_DIR.parent / "shared" / "seeds"
DEMO_PASSWORD = "duban-demo-2020"
LEFT_FOR_REVIEW = "婴幼儿照护"  # this document's drafts stay on the review page
MONTHS = [dt.date(2020, m, 25) for m in range(5, 11)]  # report days, May to October 2020
ASSIGNED_ON = dt.date(2020, 5, 6)
REMINDER_RUN = dt.date(2020, 10, 28)


def load(report=None, *, seeds_dir: Path = SEEDS_DIR, log=lambda _: None) -> None:
    city = Jurisdiction.objects.filter(code="zhumadian").first()
    if city is None:
        return
    count = report.count if report is not None else (lambda _: None)
    office = get_user_model().objects.filter(username="duchashi").first()
    _ingest_seeds(city, seeds_dir, count)
    if not Document.objects.filter(jurisdiction=city).exists():
        log("没有读取到公报，跳过台账演示数据")
        return
    _review(city, office, count)
    _assign(city, office, _confirmed(city))
    _deadlines(office, _confirmed(city))
    tasks = _confirmed(city)  # as the services left them
    liaisons = _liaisons(city, tasks, count)
    _acknowledge(city, tasks, count)
    _progress(tasks, liaisons, office, count)
    _closures(tasks, liaisons, office, count)
    _orders(tasks, liaisons, office, count)
    _extensions(tasks, liaisons, office, count)
    daily.reminders_generate(jurisdiction=city, today=REMINDER_RUN)
    lifecycle.acknowledgement_reminders(jurisdiction=city, today=REMINDER_RUN)
    county = Jurisdiction.objects.filter(code="yicheng").first()
    if county is not None:
        _county(county, count)
    _read_old_reminders()


def _confirmed(city: Jurisdiction) -> list[Task]:
    return list(
        Task.objects.filter(jurisdiction=city, status=Task.Status.CONFIRMED)
        .select_related("document")
        .order_by("ledger_place", "pk")
    )


# --- steps ---------------------------------------------------------------------------------------


def _ingest_seeds(city: Jurisdiction, seeds_dir: Path, count) -> None:
    """The seed gazette, read here so that `make demo` shows it reviewed; `duban ingest` of the same
    file afterwards changes nothing."""
    if not seeds_dir.is_dir():
        return
    for path in sorted(seeds_dir.iterdir()):
        if path.suffix.lower() in (".txt", ".pdf", ".docx"):
            result = issue_ingest(actor=None, jurisdiction=city, source_name=path.name, content=path.read_bytes())
            if result.created:
                count("公报")


def _review(city: Jurisdiction, office, count) -> None:
    drafts = Task.objects.filter(jurisdiction=city, status=Task.Status.DRAFT).select_related("document")
    for task in drafts.prefetch_related("assignments"):
        if LEFT_FOR_REVIEW in task.document.title:
            continue
        if all(a.unit_id for a in task.assignments.all()) and task.assignments.exists():
            services.task_confirm(actor=office, task=task)
            count("入台账任务")


def _kind(task: Task) -> str:
    if task.document.kind == "讲话":
        return "speech"
    if task.targets.exists() or "健康" in task.document.title:
        return "health"
    return "plan"


def _assign(city: Jurisdiction, office, tasks: list[Task]) -> None:
    owners = list(
        Person.objects.filter(
            jurisdiction=city, role=Person.Role.OFFICE_STAFF, unit__isnull=True, user__isnull=False
        ).order_by("name")
    )
    for index, task in enumerate(tasks):
        if task.assigned_at is not None:
            continue
        cycle = ReportingCycle.BIWEEKLY if _kind(task) == "speech" else ReportingCycle.MONTHLY
        services.task_assign(
            actor=office,
            task=task,
            reporting_cycle=cycle,
            owner=owners[index % len(owners)] if owners else None,
            on=ASSIGNED_ON,
        )


def index_of(tasks: list[Task], task: Task) -> int:
    return next(i for i, t in enumerate(tasks) if t.pk == task.pk)


def _unacknowledged(index: int) -> bool:
    """A few tasks one of whose units never acknowledged them (超时未签收 on the office's workbench)."""
    return index % 11 == 6


def _acknowledge(city: Jurisdiction, tasks: list[Task], count) -> None:
    """Each unit named on a task acknowledges it (its 联络员) the day after the 交办, but for a few."""
    for index, task in enumerate(tasks):
        if task.done_on is not None:  # a database loaded before 签收 existed: its closed tasks stay as they are
            continue
        units = [a.unit for a in task.assignments.select_related("unit").order_by("role", "position") if a.unit_id]
        if _unacknowledged(index):
            units = units[:-1]
        for unit in dict.fromkeys(units):
            if task.assignments.filter(unit=unit, acknowledged_at__isnull=True).exists():
                user = _liaison_user(city, unit, count)
                lifecycle.task_acknowledge(actor=user, task=task, unit=unit, today=ASSIGNED_ON + dt.timedelta(days=1))
                count("签收")


def _evidence(task: Task, name: str) -> SimpleUploadedFile:
    text = f"{task.title}\n办结佐证材料：工作总结、现场照片和验收记录（演示）。\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _closures(tasks: list[Task], liaisons: dict, office, count) -> None:
    """A lead unit that reported 100% applies for 办结; the office accepts three days later. The first is
    returned once, the last waits for 验收."""
    full = []
    for task in tasks:
        leads = task_lead_unit_ids(task)
        report = (
            ProgressReport.objects.filter(task=task, unit_id__in=leads[:1], percent__gte=100)
            .order_by("reported_on")
            .first()
        )
        if report is not None and task.done_on is None:
            full.append((task, report))
    for number, (task, report) in enumerate(full):
        if ClosureRequest.objects.filter(task=task).exists():
            continue
        liaison, day = liaisons.get(report.unit_id), report.reported_on
        summary = f"{report.unit.display_name}已完成“{task.title}”各项工作，申请办结。"
        request = lifecycle.closure_apply(
            actor=liaison,
            task=task,
            unit=report.unit,
            summary=summary,
            attachments=[_evidence(task, "工作总结.txt")],
            today=day,
        )
        count("办结申请")
        if number == len(full) - 1:
            continue  # waits for 验收
        if number == 0:
            lifecycle.closure_return(
                actor=office, request=request, note="佐证材料不全，请补充现场照片", today=day + dt.timedelta(days=2)
            )
            day += dt.timedelta(days=4)
            request = lifecycle.closure_apply(
                actor=liaison,
                task=task,
                unit=report.unit,
                summary=summary + "已补充现场照片。",
                attachments=[_evidence(task, "工作总结.txt"), _evidence(task, "现场照片说明.txt")],
                today=day,
            )
            count("办结申请")
        lifecycle.closure_accept(
            actor=office, request=request, note="资料齐全，验收通过", today=day + dt.timedelta(days=3)
        )


def _extensions(tasks: list[Task], liaisons: dict, office, count) -> None:
    """Two stalled tasks ask for more time in September: the one without a 督办单 is granted a month, the
    other refused (its 督办单 follows in October)."""
    stalled = [t for i, t in enumerate(tasks) if _stalled(t, i)]
    ordered = set(SupervisionOrder.objects.filter(task__in=stalled).values_list("task_id", flat=True))
    refused = next((t for t in stalled if t.pk in ordered), None)
    granted = next((t for t in stalled if t.pk not in ordered), None)
    for task, approve in ((granted, True), (refused, False)):
        if task is None or ExtensionRequest.objects.filter(task=task).exists():
            continue
        unit = Unit.objects.get(pk=task_lead_unit_ids(task)[0])
        request = lifecycle.extension_request(
            actor=liaisons.get(unit.pk),
            task=task,
            unit=unit,
            deadline=task.deadlines.order_by("date").first(),
            requested_date=dt.date(2020, 10, 31),
            reason="受汛期连续降雨影响，场馆施工暂停近一个月，申请延期一个月完成。",
            today=dt.date(2020, 9, 20),
        )
        count("延期申请")
        if approve:
            lifecycle.extension_approve(
                actor=office, request=request, note="情况属实，同意延期", today=dt.date(2020, 9, 23)
            )
        else:
            lifecycle.extension_refuse(
                actor=office, request=request, note="未说明客观原因，请按原时限完成", today=dt.date(2020, 9, 23)
            )


def _stalled(task: Task, index: int) -> bool:
    """A few tasks of the sports plan stall and stay overdue."""
    return _kind(task) == "plan" and index % 7 == 3


def _early(task: Task, index: int) -> bool:
    """A few tasks of the sports plan are due at the end of the third quarter."""
    return _kind(task) == "plan" and index % 7 in (3, 5)


def _deadlines(office, tasks: list[Task]) -> None:
    for index, task in enumerate(tasks):
        if task.deadlines.exists():
            continue
        kind = _kind(task)
        if kind == "health":
            date, text = dt.date(2030, 12, 31), "到2030年（实施意见目标年）"
        elif _early(task, index):
            date, text = dt.date(2020, 9, 30), "三季度末前（督查室确定）"
        else:
            date, text = dt.date(2020, 12, 31), "年底前（督查室确定）"
        services.deadline_add(actor=office, task=task, date=date, text=text, today=ASSIGNED_ON)


def _liaisons(jurisdiction: Jurisdiction, tasks: list[Task], count) -> dict[int, object]:
    """A liaison login for each unit that reports in the demo (the 市卫健体委's is demo/people.yaml's 谢芳)."""
    unit_ids = {uid for task in tasks for uid in task_lead_unit_ids(task)}
    unit_ids |= {o for task in tasks for o in _reporting_units(task)}
    found: dict[int, object] = {}
    for unit in Unit.objects.filter(pk__in=unit_ids).order_by("name"):
        found[unit.pk] = _liaison_user(jurisdiction, unit, count)
    return found


def _liaison_user(jurisdiction: Jurisdiction, unit: Unit, count):
    person = (
        Person.objects.filter(unit=unit, role=Person.Role.LIAISON, user__isnull=False).select_related("user").first()
    )
    if person is not None:
        return person.user
    username = f"lly-{jurisdiction.code}-{unit.pk}"
    User = get_user_model()
    user = User.objects.filter(username=username).first() or accounts.user_create(
        actor=None, username=username, password=DEMO_PASSWORD, first_name=f"{unit.display_name}联络员"
    )
    person = Person.objects.filter(
        unit=unit, role=Person.Role.LIAISON, user__isnull=True
    ).first() or accounts.person_create(
        actor=None,
        jurisdiction=jurisdiction,
        unit=unit,
        name=f"{unit.display_name}联络员",
        role=Person.Role.LIAISON,
        position="办公室",
    )
    accounts.person_link_user(actor=None, person=person, user=user)
    count("联络员账号")
    return user


def _reporting_units(task: Task) -> list[int]:
    """Who reports: the lead units; for the speech's tasks every ranked unit named (the counties)."""
    if _kind(task) == "speech":
        named = [a.unit for a in task.assignments.select_related("unit") if a.unit_id]
        return [u.pk for u in named if u.ranked] or task_lead_unit_ids(task)
    return task_lead_unit_ids(task)


def _plan_percent(index: int, month: int, stalled: bool) -> int:
    if stalled:
        return min(20 + 12 * month, 70)
    return min(100, 25 + (15 + index % 4 * 5) * month)


def _progress(tasks: list[Task], liaisons: dict, office, count) -> None:
    for index, task in enumerate(tasks):
        kind = _kind(task)
        targets = list(task.targets.order_by("id"))
        for unit_id in _reporting_units(task):
            unit = Unit.objects.get(pk=unit_id)
            for month, day in enumerate(_report_days(task)):
                if kind == "health":
                    percent = min(10 + 8 * month + index % 3 * 2, 60)
                elif kind == "speech":
                    percent = _speech_percent(task, month)
                else:
                    percent = _plan_percent(index, month, _stalled(task, index))
                if percent is None:
                    break
                if _skip_october(task, index, day):
                    continue
                if ProgressReport.objects.filter(
                    task=task, unit=unit, period=period_of(task.reporting_cycle, day)
                ).exists():
                    if percent >= 100:
                        break
                    continue
                services.progress_report_create(
                    actor=liaisons.get(unit_id),
                    task=task,
                    unit=unit,
                    percent=percent,
                    reported_on=day,
                    today=day,
                    text=_report_text(task, unit, kind, percent, day),
                    readings={t: _reading(t, index, month) for t in targets} if kind == "health" else None,
                )
                count("进度报送")
                if percent >= 100:
                    break
    # The office closes one of the speech's tasks itself (办结) after checking on site.
    closing = next((t for t in tasks if _kind(t) == "speech" and "核减" in t.title), None)
    if closing is not None and closing.done_on is None:
        services.task_mark_done(
            actor=office, task=closing, note="经实地核查，占补平衡指标已核减到位", on=dt.date(2020, 6, 5)
        )


def _report_days(task: Task) -> list[dt.date]:
    if task.reporting_cycle == ReportingCycle.BIWEEKLY:
        return [dt.date(2020, m, d) for m in range(5, 11) for d in (12, 27)]
    return MONTHS


def _speech_percent(task: Task, step: int) -> int | None:
    """The speech's tasks, reported half-monthly: the 4月15日 ones late, the 6月15日 one later still."""
    if "核减" in task.title:
        return [70, 90][step] if step < 2 else None
    if "不符合规划" in task.title:
        return min(40 + 6 * step, 88)
    if "耕地保有量" in task.title:
        return min(30 + 7 * step, 92)
    return min(20 + 9 * step, 100)


def _skip_october(task: Task, index: int, day: dt.date) -> bool:
    """Some October reports are missing: the 2020-10-28 reminder run asks for them."""
    return day.month == 10 and index % 4 == 1


def _reading(target, index: int, month: int) -> Decimal:
    """A monitored value moving toward the target; one indicator in three moves too slowly.

    The 2022 targets are reached in 2020 by the quick ones and missed by the slow ones; the 2030
    targets are on their way (on track) or lagging behind the straight line (behind)."""
    goal = target.value
    rising = target.comparator in (">=", ">", "=")
    slow = index % 3 == 2
    near = target.year < 2025
    share = {(True, False): "0.03", (True, True): "0.004", (False, False): "0.012", (False, True): "0.0005"}[
        (near, slow)
    ]
    start = goal * (Decimal("0.86") if rising else Decimal("1.14"))
    step = goal * Decimal(share)
    value = start + step * month if rising else start - step * month
    return value.quantize(Decimal("0.01"))


def _report_text(task: Task, unit: Unit, kind: str, percent: int, day: dt.date) -> str:
    if percent >= 100:
        return f"{unit.display_name}已完成“{task.title}”各项工作，相关资料已归档，请督查室核验销号。"
    if kind == "health":
        return (
            f"{day.month}月，{unit.display_name}牵头召开专项行动推进会，印发年度工作要点，"
            f"会同各责任单位开展宣传和监测，阶段性任务完成约{percent}%。"
        )
    if kind == "speech":
        return (
            f"截至{day.month}月{day.day}日，{unit.display_name}已完成整改任务的{percent}%，"
            "正在逐地块核查，剩余部分正在推进。"
        )
    return f"{day.month}月，{unit.display_name}按照实施方案分解任务，推进“{task.title}”，已完成约{percent}%。"


def _orders(tasks: list[Task], liaisons: dict, office, count) -> None:
    """Four 督办单 for late tasks, two of them answered."""
    plan_late = [t for i, t in enumerate(tasks) if _stalled(t, i)]
    health_unit = Unit.objects.filter(short_name="市卫健体委").first()
    plan_late_health = [t for t in plan_late if health_unit and t.assignments.filter(unit=health_unit).exists()]
    wanted = []
    planning = next((t for t in tasks if "不符合规划" in t.title), None)
    if planning is not None:
        wanted.append(
            (
                planning,
                None,
                dt.date(2020, 5, 8),
                dt.date(2020, 5, 15),
                dt.date(2020, 5, 14),
                "全市已批建设用地不符合规划的地块尚有114个未完成整改，已超过4月15日的完成时限。",
            )
        )
    farmland = next((t for t in tasks if "耕地保有量" in t.title), None)
    if farmland is not None:
        wanted.append(
            (
                farmland,
                "汝南县人民政府",
                dt.date(2020, 6, 19),
                dt.date(2020, 6, 30),
                None,
                "耕地保有量低于耕地保护目标红线，6月15日前确保整改到位的要求未落实。",
            )
        )
    for task, issued, reply_by, answered in zip(
        plan_late_health[:2],
        (dt.date(2020, 10, 9), dt.date(2020, 10, 20)),
        (dt.date(2020, 10, 16), dt.date(2020, 10, 30)),
        (dt.date(2020, 10, 15), None),
        strict=False,
    ):
        wanted.append(
            (
                task,
                health_unit.name,
                issued,
                reply_by,
                answered,
                f"“{task.title}”任务应于2020年9月30日前完成，截至目前仍未完成。",
            )
        )
    for task, unit_name, issued, reply_by, answered, reason in wanted:
        unit = (
            Unit.objects.get(jurisdiction=task.jurisdiction, name=unit_name)
            if unit_name
            else Unit.objects.get(pk=task_lead_unit_ids(task)[0])
        )
        order = SupervisionOrder.objects.filter(task=task, unit=unit).first()
        if order is None:
            order = services.order_issue(
                actor=office,
                task=task,
                unit=unit,
                reply_by=reply_by,
                issued_on=issued,
                reason=f"《{task.document.title}》确定的“{task.title}”任务：{reason}",
            )
            count("督办单")
        if answered and order.status == SupervisionOrder.Status.ISSUED:
            services.order_answer(
                actor=liaisons.get(unit.pk),
                order=order,
                answered_on=answered,
                answer=(
                    f"收到{order.number}后，{unit.display_name}主要负责同志专题研究，制定整改方案，"
                    "明确责任人和完成时限，已加派人员集中攻坚，预计两周内完成，完成后书面报告。"
                ),
            )


def _read_old_reminders() -> None:
    """The liaisons have read the assignment reminders of May; what is left unread is what is open."""
    for reminder in Reminder.objects.filter(kind="task_assigned", read_at__isnull=True).select_related("recipient"):
        services.reminder_mark_read(actor=reminder.recipient, reminder=reminder)


# --- a county runs the same system ---------------------------------------------------------------

COUNTY_DOCUMENT = {
    "source": "yicheng-2020-demo.json",
    "issue": {"title": "驿城区人民政府办公室文件", "number": "演示"},
    "documents": [
        {
            "doc_no": "驿政办〔2020〕9号",
            "title": "驿城区人民政府办公室关于开展老旧小区改造提质工作的通知",
            "issuer": "驿城区人民政府办公室",
            "date": "2020-05-11",
            "kind": "通知",
            "text": "一、摸清底数。区住建局要在6月30日前完成辖区老旧小区摸底调查，建立改造项目库。"
            "二、启动改造。区住建局要在年底前完成首批12个老旧小区改造。",
            "tasks": [
                {
                    "ref": "一",
                    "title": "完成辖区老旧小区摸底调查，建立改造项目库",
                    "lead_units": ["驿城区住建局"],
                    "units": [],
                    "text": "区住建局要在6月30日前完成辖区老旧小区摸底调查，建立改造项目库。",
                    "targets": [],
                    "deadlines": [{"text": "6月30日前", "date": "2020-06-30"}],
                },
                {
                    "ref": "二",
                    "title": "完成首批12个老旧小区改造",
                    "lead_units": ["驿城区住建局"],
                    "units": [],
                    "text": "区住建局要在年底前完成首批12个老旧小区改造。",
                    "targets": [],
                    "deadlines": [{"text": "年底前", "date": "2020-12-31"}],
                },
            ],
            "targets": [],
            "deadlines": [],
        }
    ],
}


def _county(county: Jurisdiction, count) -> None:
    """驿城区's 督查室 (quduchashi) keeps its own ledger: one notice, two tasks, its unit's reports."""
    if not Unit.objects.filter(jurisdiction=county, name="驿城区住建局").exists():
        return
    content = json.dumps(COUNTY_DOCUMENT, ensure_ascii=False, sort_keys=True).encode("utf-8")
    result = issue_ingest(
        actor=None,
        jurisdiction=county,
        source_name=COUNTY_DOCUMENT["source"],
        content=content,
        extraction=COUNTY_DOCUMENT,
    )
    if result.created:
        count("公报")
    office = get_user_model().objects.filter(username="quduchashi").first()
    unit = Unit.objects.get(jurisdiction=county, name="驿城区住建局")
    liaison = _liaison_user(county, unit, count)
    tasks = list(Task.objects.filter(document__issue=result.issue).order_by("position"))
    for task in tasks:
        if task.status == Task.Status.DRAFT:
            services.task_confirm(actor=office, task=task)
            count("入台账任务")
        if task.assigned_at is None:
            services.task_assign(
                actor=office, task=task, reporting_cycle=ReportingCycle.MONTHLY, owner=None, on=dt.date(2020, 5, 12)
            )
        if index_of(tasks, task) == 0 and not task.assignments.filter(acknowledged_at__isnull=False).exists():
            lifecycle.task_acknowledge(actor=liaison, task=task, unit=unit, today=dt.date(2020, 5, 13))
    plan = {
        0: [(dt.date(2020, 5, 28), 50), (dt.date(2020, 6, 24), 100)],
        1: [(dt.date(2020, 7, 27), 20), (dt.date(2020, 8, 26), 35), (dt.date(2020, 9, 25), 50)],
    }
    for index, task in enumerate(tasks):
        for day, percent in plan.get(index, []):
            if not ProgressReport.objects.filter(
                task=task, unit=unit, period=period_of(task.reporting_cycle, day)
            ).exists():
                services.progress_report_create(
                    actor=liaison,
                    task=task,
                    unit=unit,
                    percent=percent,
                    reported_on=day,
                    today=day,
                    text=f"截至{day.month}月{day.day}日，{task.title}完成约{percent}%。",
                )
                count("进度报送")
    first = tasks[0] if tasks else None
    if first is not None and not ClosureRequest.objects.filter(task=first).exists():
        request = lifecycle.closure_apply(
            actor=liaison,
            task=first,
            unit=unit,
            summary="已完成辖区老旧小区摸底调查，改造项目库已建立，申请办结。",
            attachments=[_evidence(first, "摸底调查报告.txt")],
            today=dt.date(2020, 6, 24),
        )
        lifecycle.closure_accept(actor=office, request=request, note="验收通过", today=dt.date(2020, 6, 29))
        count("办结申请")
