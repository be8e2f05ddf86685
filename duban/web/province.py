"""A province's worth of data for measuring the pages at scale (manage.py generate_province --scale S).

A province at scale 1 is 18 jurisdictions (three cities, each with five counties), 3,000 units,
100,000 tasks with their assignments and deadlines, 300,000 progress reports, 20,000 cases and the
score ledger the engine derives from their decisions. Scale S (0.01 … 1) takes that share of every
count. The first city is the demo's (load_demo runs first), so the demo's logins (duchashi, erji, …,
lianluoyuan) see their city's share: the city weighs four counties, so it holds 4/27 of the rows.

Deterministic: the same scale on an empty database gives the same rows (one seeded random generator,
rows written in a fixed order). Rows are written with bulk_create, shaped as the services write them:
tasks confirmed by review or waiting for it, a lead unit first, reports one per unit and period,
cases at a step of the rulebook's 第八条 chain with the opinions that brought them there, decisions
with the statuses appeals and exemptions leave, and the score ledger from the consequence engine
(what ledger_sync would append to an empty ledger). One audit row records the generation; the rows
themselves bypass the services' per-row audit, which a generator at this size has no use for.
Nothing here names a real unit: names are made up ("第2市第17局"), the demo's are the demo's.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from duban import clock
from duban.accountability.models import Appeal, Case, CaseOpinion, Decision, DecisionResponsible, Matter
from duban.accountability.procedure import chain_of
from duban.accountability.rulebooks import rulebook_in_force, rulebooks_for
from duban.accounts.models import AuditAction, Jurisdiction, Person, Unit
from duban.accounts.services import audit_record
from duban.ledger.facts import task_facts_refresh
from duban.ledger.models import (
    Deadline,
    Document,
    GazetteIssue,
    ProgressReport,
    Reminder,
    ReportingCycle,
    SupervisionOrder,
    Task,
    TaskUnit,
)
from duban.ledger.search import FTS_TABLE, tokenize
from duban.ledger.selectors import period_of
from duban.scoring import services as scoring
from duban.scoring.models import ConsequenceEntry
from duban.web.planner import planner_statistics_refresh

# A province at scale 1 (issue 13).
PROVINCE = {
    "units": 3000,
    "tasks": 100_000,
    "reports": 300_000,
    "cases": 20_000,
    "ledger": 1_000_000,
}
CITIES, COUNTIES_PER_CITY = 3, 5
CITY_WEIGHT, COUNTY_WEIGHT = 4, 1
TASKS_PER_DOCUMENT = 20
# The demo's liaison (lianluoyuan) speaks for a unit that draws this share of its city's cases, so at
# scale 1 "my decisions" and its workbench hold a few hundred decisions (issue 13: 325).
HEAVY_UNIT_CASE_SHARE = 0.12
BATCH = 2000
SEED = 20200422

_SENTENCES = (
    "牵头单位要细化工作方案，明确时间表、路线图，确保按期完成。",
    "各责任单位要加强协调配合，形成工作合力，定期报送工作进展情况。",
    "要坚持问题导向，建立工作台账，实行清单化管理、项目化推进。",
    "对工作推进不力、敷衍塞责的，依照有关规定严肃问责。",
    "要强化资金保障，统筹整合各类资金，提高资金使用效益。",
    "要加强宣传引导，及时总结推广典型经验做法，营造良好氛围。",
    "各地各部门要把此项工作列入重要议事日程，主要负责同志亲自抓。",
    "督查室将定期对工作落实情况进行督查，督查结果纳入年度综合目标考核。",
)
_TOPICS = (
    "优化营商环境",
    "农村人居环境整治",
    "全民健身设施建设",
    "老旧小区改造",
    "食品安全监管",
    "污染防治攻坚",
    "养老服务体系建设",
    "义务教育薄弱环节改善",
    "交通基础设施建设",
    "医疗保障基金监管",
)


@dataclass
class Province:
    """What was generated, for the command's summary and the benchmarks."""

    scale: float
    jurisdictions: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n


Progress = Callable[[str, int, int], None]


def share(total: int, scale: float, weight: int, weights: int, minimum: int = 1) -> int:
    return max(minimum, round(total * scale * weight / weights))


def progress_bar(stream=sys.stderr) -> Progress:
    """A one-line progress bar on ``stream``: stage, bar, done/total."""

    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def generated_already() -> bool:
    return Jurisdiction.objects.filter(code__startswith="gen-").exists()


def generate_province(*, scale: float, progress: Progress = lambda *_: None) -> Province:
    """Load the demo, then the rest of the province at ``scale``; see the module's docstring."""
    if not 0 < scale <= 1:
        raise ValueError(f"scale {scale} is outside (0, 1]")
    from duban.web.demo import load_demo

    load_demo()
    rng = random.Random(SEED)
    province = Province(scale=scale)
    first = Jurisdiction.objects.filter(parent__isnull=True).order_by("pk").first()
    if first is None:
        raise ValueError("the demo loaded no city")
    layout = _layout(first)
    weights = sum(weight for _, weight in layout)
    province.jurisdictions = len(layout)
    for n, (jurisdiction, weight) in enumerate(layout, start=1):
        with transaction.atomic():
            _generate_jurisdiction(jurisdiction, weight, weights, scale, rng, province)
        progress("辖区", n, len(layout))
    audit_record(
        actor=None,
        action=AuditAction.PROVINCE_GENERATE,
        object_type="duban.province",
        object_id=f"scale={scale}",
        after={"scale": scale, **province.counts},
    )
    planner_statistics_refresh()  # rows loaded in bulk have no statistics for the planner yet
    return province


def _layout(first: Jurisdiction) -> list[tuple[Jurisdiction, int]]:
    """The three cities with five counties each: the demo's city and county, then made-up ones."""
    layout: list[tuple[Jurisdiction, int]] = []
    rulebook = first.rulebook_code or first.code
    for c in range(1, CITIES + 1):
        if c == 1:
            city = first
        else:
            city = Jurisdiction.objects.create(
                code=f"gen-c{c}", name=f"第{c}市", level=Jurisdiction.Level.CITY, rulebook_code=rulebook
            )
        layout.append((city, CITY_WEIGHT))
        counties = list(Jurisdiction.objects.filter(parent=city).order_by("pk"))
        for k in range(len(counties) + 1, COUNTIES_PER_CITY + 1):
            counties.append(
                Jurisdiction.objects.create(
                    code=f"gen-c{c}-x{k}",
                    name=f"{city.name}第{k}县",
                    level=Jurisdiction.Level.COUNTY,
                    parent=city,
                    rulebook_code=rulebook,
                )
            )
        layout += [(county, COUNTY_WEIGHT) for county in counties[:COUNTIES_PER_CITY]]
    return layout


def _bulk(model, rows: Iterable, province: Province, kind: str) -> list:
    created = []
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            created += model.objects.bulk_create(batch)
            batch = []
    if batch:
        created += model.objects.bulk_create(batch)
    province.add(kind, len(created))
    return created


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- one jurisdiction ------------------------------------------------------------------------------


@dataclass
class World:
    jurisdiction: Jurisdiction
    units: list[Unit]
    heavy: Unit | None  # the unit the demo's liaison speaks for, in the first city
    staff: dict[int, list[Person]]  # unit pk -> its accountable people
    office: list[Person]
    today: dt.date


def _generate_jurisdiction(
    jurisdiction: Jurisdiction, weight: int, weights: int, scale: float, rng: random.Random, province: Province
) -> None:
    world = _units(jurisdiction, share(PROVINCE["units"], scale, weight, weights, 8), rng, province)
    tasks, leads = _tasks(world, share(PROVINCE["tasks"], scale, weight, weights, 10), rng, province)
    _reports(world, tasks, leads, share(PROVINCE["reports"], scale, weight, weights, 10), rng, province)
    _orders(world, tasks, leads, rng, province)
    task_facts_refresh([task.pk for task in tasks])  # bulk writes send no signals
    _cases(world, tasks, leads, share(PROVINCE["cases"], scale, weight, weights, 4), rng, province)
    _reminders(world, tasks, leads, province)
    _history(world, share(PROVINCE["ledger"], scale, weight, weights, 10), rng, province)
    _score_ledger(jurisdiction, province)


def _units(jurisdiction: Jurisdiction, count: int, rng: random.Random, province: Province) -> World:
    existing = list(Unit.objects.filter(jurisdiction=jurisdiction).order_by("pk"))
    supervisors = list(Person.objects.filter(jurisdiction=jurisdiction, unit__isnull=True).order_by("pk"))
    liaisons = [p for p in supervisors if p.role == Person.Role.SECOND_LEVEL_SUPERVISOR]
    first_level = [p for p in supervisors if p.role == Person.Role.FIRST_LEVEL_SUPERVISOR]
    needed = max(0, count - len(existing))
    if not liaisons or not first_level:
        office = [
            Person(jurisdiction=jurisdiction, name=f"{jurisdiction.name}督查员{n}", role=role, position=position)
            for n, (role, position) in enumerate(
                [
                    (Person.Role.CHIEF_SUPERVISOR, "秘书长"),
                    (Person.Role.DEPUTY_CHIEF_SUPERVISOR, "副秘书长"),
                    (Person.Role.OFFICE_STAFF, "督查室科员"),
                ]
                + [(Person.Role.FIRST_LEVEL_SUPERVISOR, "督查室主任")] * max(1, count // 60)
                + [(Person.Role.SECOND_LEVEL_SUPERVISOR, "督查科科长")] * max(1, count // 20),
                start=1,
            )
        ]
        supervisors += _bulk(Person, office, province, "人员")
        liaisons = [p for p in supervisors if p.role == Person.Role.SECOND_LEVEL_SUPERVISOR]
        first_level = [p for p in supervisors if p.role == Person.Role.FIRST_LEVEL_SUPERVISOR]
    start = len(existing) + 1
    units = _bulk(
        Unit,
        (
            Unit(
                jurisdiction=jurisdiction,
                name=f"{jurisdiction.name}第{n}局",
                liaison_supervisor=liaisons[n % len(liaisons)],
                first_level_supervisor=first_level[n % len(first_level)],
                civilized=rng.choice([Unit.Civilized.NONE] * 3 + [Unit.Civilized.CITY, Unit.Civilized.PROVINCE]),
            )
            for n in range(start, start + needed)
        ),
        province,
        "单位",
    )
    people = _bulk(
        Person,
        (
            Person(jurisdiction=jurisdiction, unit=unit, name=f"{unit.name}{label}", role=role, position=label)
            for unit in units
            for role, label in ((Person.Role.HANDLER, "科员"), (Person.Role.PRINCIPAL, "局长"))
        ),
        province,
        "人员",
    )
    staff: dict[int, list[Person]] = {}
    accountable = set(rulebooks_for(jurisdiction).latest().role_names)  # the accountable roles of its rulebook
    for person in list(Person.objects.filter(jurisdiction=jurisdiction, unit__in=existing).order_by("pk")) + people:
        if person.role in accountable:
            staff.setdefault(person.unit_id, []).append(person)
    liaison_user = get_user_model().objects.filter(username="lianluoyuan").first()
    liaison = Person.objects.filter(user=liaison_user, jurisdiction=jurisdiction).first() if liaison_user else None
    return World(
        jurisdiction=jurisdiction,
        units=[u for u in existing if u.active] + units,
        heavy=liaison.unit if liaison is not None else None,
        staff=staff,
        office=[p for p in supervisors if p.role == Person.Role.OFFICE_STAFF],
        today=clock.today(),
    )


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@cache
def _tokens(sentence: str) -> str:
    return tokenize(sentence)


def _tasks(world: World, count: int, rng: random.Random, province: Province) -> tuple[list[Task], dict[int, int]]:
    jurisdiction, units = world.jurisdiction, world.units
    documents_needed = -(-count // TASKS_PER_DOCUMENT)
    issue = GazetteIssue.objects.create(
        jurisdiction=jurisdiction,
        source_name=f"generated-{jurisdiction.code}.txt",
        content_hash=f"generated-{jurisdiction.code}".ljust(64, "0")[:64],
        title=f"{jurisdiction.name}人民政府公报（生成）",
    )
    province.add("公报", 1)
    texts: list[tuple[str, str]] = []
    documents = []
    for n in range(1, documents_needed + 1):
        topic = _TOPICS[n % len(_TOPICS)]
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 690))
        sentences = [rng.choice(_SENTENCES) for _ in range(24)]
        title = f"关于推进{topic}工作的实施方案（第{n}号）"
        doc_no = f"政〔{day.year}〕{n}号"
        texts.append((title, doc_no))
        documents.append(
            Document(
                issue=issue,
                jurisdiction=jurisdiction,
                position=n,
                doc_no=doc_no,
                title=title,
                issuer=f"{jurisdiction.name}人民政府",
                date=day,
                kind="通知",
                full_text="\n".join(sentences),
                search_tokens=" ".join([_tokens(title), _tokens(doc_no)] + [_tokens(s) for s in sentences]),
            )
        )
    documents = _bulk(Document, documents, province, "公文")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (%s, %s)", [(d.pk, d.search_tokens) for d in documents]
            )
    heavy_index = units.index(world.heavy) if world.heavy in units else None
    tasks, leads = [], {}
    plan: list[tuple[Task, Unit, list[Unit], list[dt.date]]] = []
    for n in range(count):
        document = documents[n // TASKS_PER_DOCUMENT]
        position = n % TASKS_PER_DOCUMENT + 1
        roll = rng.random()
        status = Task.Status.DRAFT if roll < 0.05 else Task.Status.REJECTED if roll < 0.07 else Task.Status.CONFIRMED
        # A few units lead many tasks (squared draw), as in a real ledger.
        lead = (
            units[heavy_index]
            if heavy_index is not None and rng.random() < 0.03
            else units[int(len(units) * rng.random() ** 2)]
        )
        others = [u for u in rng.sample(units, min(len(units), rng.randrange(0, 3))) if u != lead]
        deadlines = sorted(
            {document.date + dt.timedelta(days=rng.randrange(30, 600)) for _ in range(rng.choice((0, 1, 1, 1, 2)))}
        )
        done = status == Task.Status.CONFIRMED and deadlines and rng.random() < 0.35
        done_on = min(deadlines[-1] + dt.timedelta(days=rng.randrange(-60, 30)), world.today) if done else None
        task = Task(
            document=document,
            jurisdiction=jurisdiction,
            position=position,
            ref=f"{position}",
            title=f"{_TOPICS[(n // TASKS_PER_DOCUMENT) % len(_TOPICS)]}任务{n + 1}",
            text=rng.choice(_SENTENCES) + rng.choice(_SENTENCES),
            status=status,
            reporting_cycle=rng.choice([ReportingCycle.MONTHLY] * 3 + [ReportingCycle.BIWEEKLY]),
            assigned_at=_moment(document.date) if status == Task.Status.CONFIRMED else None,
            reviewed_at=_moment(document.date) if status != Task.Status.DRAFT else None,
            done_on=done_on,
            done_note="已完成" if done_on else "",
        )
        plan.append((task, lead, others, deadlines))
    tasks = _bulk(Task, [p[0] for p in plan], province, "任务")
    assignments, deadline_rows = [], []
    for task, (_, lead, others, deadlines) in zip(tasks, plan, strict=True):
        leads[task.pk] = lead.pk
        assignments.append(TaskUnit(task=task, role=TaskUnit.Role.LEAD, printed_name=lead.name, unit=lead, position=0))
        for k, other in enumerate(others, start=1):
            assignments.append(
                TaskUnit(task=task, role=TaskUnit.Role.RESPONSIBLE, printed_name=other.name, unit=other, position=k)
            )
        for day in deadlines:
            deadline_rows.append(
                Deadline(document=task.document, task=task, text=f"{day.month}月{day.day}日前", date=day)
            )
    _bulk(TaskUnit, assignments, province, "承办")
    _bulk(Deadline, deadline_rows, province, "时限")
    return tasks, leads


def _reports(
    world: World, tasks: list[Task], leads: dict[int, int], count: int, rng: random.Random, province: Province
) -> None:
    confirmed = [t for t in tasks if t.status == Task.Status.CONFIRMED]
    if not confirmed:
        return
    per_task = count / len(confirmed)
    rows = []
    for task in confirmed:
        wanted = int(per_task) + (1 if rng.random() < per_task % 1 else 0)
        start = task.document.date
        end = task.done_on or world.today
        periods: dict[str, dt.date] = {}
        for _ in range(wanted):
            day = start + dt.timedelta(days=rng.randrange(0, max(1, (end - start).days)))
            periods.setdefault(period_of(task.reporting_cycle, day), day)
        for k, (period, day) in enumerate(sorted(periods.items(), key=lambda item: item[1]), start=1):
            rows.append(
                ProgressReport(
                    task=task,
                    unit_id=leads[task.pk],
                    period=period,
                    reported_on=day,
                    text=rng.choice(_SENTENCES),
                    percent=min(100, 100 * k // (len(periods) + 1) if not task.done_on else 100 * k // len(periods)),
                )
            )
    _bulk(ProgressReport, rows, province, "进度")


def _orders(world: World, tasks: list[Task], leads: dict[int, int], rng: random.Random, province: Province) -> None:
    serials: dict[int, int] = {}
    rows = []
    for task in tasks:
        if task.status != Task.Status.CONFIRMED or rng.random() >= 0.02:
            continue
        day = task.document.date + dt.timedelta(days=rng.randrange(30, 300))
        serials[day.year] = serials.get(day.year, 0) + 1
        rows.append(
            SupervisionOrder(
                jurisdiction=world.jurisdiction,
                year=day.year,
                serial=serials[day.year] + 1000,  # after any the demo issued
                task=task,
                unit_id=leads[task.pk],
                reason="工作推进缓慢，请加快进度并按期回复。",
                reply_by=day + dt.timedelta(days=10),
                issued_on=day,
                status=SupervisionOrder.Status.ANSWERED if rng.random() < 0.6 else SupervisionOrder.Status.ISSUED,
            )
        )
    _bulk(SupervisionOrder, rows, province, "督办单")


def _cases(
    world: World, tasks: list[Task], leads: dict[int, int], count: int, rng: random.Random, province: Province
) -> None:
    jurisdiction = world.jurisdiction
    candidates = [t for t in tasks if t.status == Task.Status.CONFIRMED]
    units_by_pk = {u.pk: u for u in world.units}
    rulebook = rulebook_in_force(jurisdiction, world.today)
    chain = chain_of(rulebook)
    methods = [str(m["name"]) for m in rulebook.data["methods"]]
    situations = [int(s["number"]) for s in rulebook.data["situations"]]
    chosen = []
    for n in range(count):
        task = rng.choice(candidates)
        heavy = world.heavy is not None and n % round(1 / HEAVY_UNIT_CASE_SHARE) == 0
        unit = world.heavy if heavy else units_by_pk[leads[task.pk]]
        # Cases fall in the rulebook's time (it is in force from its effective date to today).
        earliest = max(rulebook.effective_from, task.document.date + dt.timedelta(days=30))
        day = earliest + dt.timedelta(days=rng.randrange(0, max(1, (world.today - earliest).days + 1)))
        day = min(day, world.today)
        chosen.append((n, task, unit, day))
    matters = _bulk(
        Matter,
        (
            Matter(jurisdiction=jurisdiction, code=f"G{day.year}-{n + 1:06d}", title=task.title, unit=unit, task=task)
            for n, task, unit, day in chosen
        ),
        province,
        "督查事项",
    )
    opener = world.office[0] if world.office else None
    opener_user = opener.user if opener is not None and opener.user_id else None
    case_rows, outcomes = [], []
    for (n, _task, unit, day), matter in zip(chosen, matters, strict=True):
        roll = rng.random()
        state = Case.State.OPEN if roll < 0.4 else Case.State.WITHDRAWN if roll < 0.5 else Case.State.DECIDED
        step_index = rng.randrange(len(chain)) if state == Case.State.OPEN else len(chain) - 1
        subject = Decision.Subject.PERSON if rng.random() < 0.2 and world.staff.get(unit.pk) else Decision.Subject.UNIT
        person = rng.choice(world.staff[unit.pk]) if subject == Decision.Subject.PERSON else None
        chosen_methods = sorted(set(rng.sample(methods[:5], rng.choice((1, 1, 2)))), key=methods.index)
        case_rows.append(
            Case(
                jurisdiction=jurisdiction,
                number=f"{day.year}-G{n + 1:06d}",
                matter=matter,
                unit=unit,
                investigation="经调查核实，该单位未按期完成交办任务。" if step_index else "",
                situation_number=rng.choice(situations),
                methods=chosen_methods,
                subject=subject,
                person=person,
                rulebook_id=rulebook.id,
                step=chain[step_index].code,
                state=state,
                decided_on=day if state == Case.State.DECIDED else None,
                opened_on=day,
                opened_by=opener_user,
            )
        )
        outcomes.append(step_index)
    cases = _bulk(Case, case_rows, province, "问责案件")
    opinions = []
    for case, step_index in zip(cases, outcomes, strict=True):
        for k, step in enumerate(chain[: step_index + (1 if case.state != Case.State.OPEN else 0)]):
            verdict = CaseOpinion.Verdict.AGREE
            if case.state == Case.State.WITHDRAWN and k == step_index:
                verdict = CaseOpinion.Verdict.WITHDRAW
            opinions.append(
                CaseOpinion(
                    case=case,
                    step=step.code,
                    step_name=step.name,
                    verdict=verdict,
                    text="同意。",
                    actor_name=step.actor,
                )
            )
        if case.state == Case.State.OPEN and step_index and rng.random() < 0.3:
            step = chain[step_index]
            opinions.append(
                CaseOpinion(
                    case=case,
                    step=step.code,
                    step_name=step.name,
                    verdict=CaseOpinion.Verdict.RETURN,
                    text="请补充材料。",
                )
            )
    _bulk(CaseOpinion, opinions, province, "审核意见")
    decided = [c for c in cases if c.state == Case.State.DECIDED]
    decisions = _bulk(
        Decision,
        (
            Decision(
                jurisdiction=jurisdiction,
                matter=case.matter,
                unit=case.unit,
                date=case.opened_on,
                subject=case.subject,
                person=case.person,
                situation_number=case.situation_number,
                methods=case.methods,
                status=rng.choice(
                    [Decision.Status.EFFECTIVE] * 17
                    + [Decision.Status.UNDER_APPEAL, Decision.Status.EXEMPTED, Decision.Status.REVOKED]
                ),
            )
            for case in decided
        ),
        province,
        "问责决定",
    )
    for chunk_cases, chunk_decisions in zip(_chunks(decided, BATCH), _chunks(decisions, BATCH), strict=True):
        for case, decision in zip(chunk_cases, chunk_decisions, strict=True):
            case.decision = decision
        Case.objects.bulk_update(chunk_cases, ["decision"])
    responsibles, appeals = [], []
    for decision in decisions:
        if decision.subject == Decision.Subject.PERSON:
            responsibles.append(
                DecisionResponsible(decision=decision, person=decision.person, role=decision.person.role)
            )
        if decision.status in (Decision.Status.UNDER_APPEAL, Decision.Status.REVOKED):
            appeals.append(
                Appeal(
                    decision=decision,
                    filed_on=decision.date + dt.timedelta(days=5),
                    reason="对认定的事实有异议。",
                    outcome=Appeal.Outcome.PENDING
                    if decision.status == Decision.Status.UNDER_APPEAL
                    else Appeal.Outcome.REVOKED,
                    decided_on=None
                    if decision.status == Decision.Status.UNDER_APPEAL
                    else decision.date + dt.timedelta(days=20),
                )
            )
    _bulk(DecisionResponsible, responsibles, province, "责任人")
    _bulk(Appeal, appeals, province, "申诉")


def _reminders(world: World, tasks: list[Task], leads: dict[int, int], province: Province) -> None:
    """The reminders the daily job would have left: each login of the jurisdiction's office one per
    overdue-looking task, the liaison of the heavy unit one per task it leads."""
    User = get_user_model()
    office_users = list(User.objects.filter(person__jurisdiction=world.jurisdiction, person__unit__isnull=True))
    liaison_users = (
        list(User.objects.filter(person__unit=world.heavy, person__role=Person.Role.LIAISON))
        if world.heavy is not None
        else []
    )
    rows = []
    for task in tasks:
        if task.status != Task.Status.CONFIRMED or task.done_on:
            continue
        recipients = list(office_users) if task.pk % 10 == 0 else []
        if leads[task.pk] == getattr(world.heavy, "pk", None):
            recipients += liaison_users
        for user in recipients:
            rows.append(
                Reminder(
                    recipient=user,
                    kind="overdue",
                    text=f"任务“{task.title}”请按期报送进展",
                    link=f"/ledger/tasks/{task.pk}/",
                    task=task,
                    key=f"generated:{task.pk}",
                )
            )
    _bulk(Reminder, rows, province, "提醒")


def _score_ledger(jurisdiction: Jurisdiction, province: Province) -> None:
    """What ledger_sync appends to an empty ledger: the engine's consequences of every decision, and
    their balances (ConsequenceTally) and the register of 公开曝光 (PublicExposure)."""
    current = ConsequenceEntry.objects.filter(jurisdiction=jurisdiction).exists()
    if current:  # the demo's decisions are already booked: let the service add the difference
        province.add("积分台账", len(scoring.ledger_sync(jurisdiction=jurisdiction, actor=None)))
        return
    desired = scoring._desired(jurisdiction)
    _bulk(
        ConsequenceEntry,
        (
            scoring._entry(jurisdiction, key, desired[key].value, desired[key])
            for key in sorted(desired, key=scoring._order)
        ),
        province,
        "积分台账",
    )
    scoring.tally_rebuild(jurisdiction=jurisdiction)  # the balances the pages read, summed from those rows
    scoring.exposures_rebuild(jurisdiction=jurisdiction)  # and the register of 公开曝光


def _history(world: World, ledger_rows: int, rng: random.Random, province: Province) -> None:
    """Decisions entered by 历史导入 (no case behind them) until the engine's score ledger reaches its
    share of the province's: the rows per decision are measured on the decisions made so far."""
    jurisdiction = world.jurisdiction
    decisions = Decision.objects.filter(jurisdiction=jurisdiction).count()
    rows = len(scoring._desired(jurisdiction)) if decisions else 0
    per_decision = rows / decisions if decisions and rows else 2.0
    wanted = int((ledger_rows - rows) / per_decision)
    if wanted <= 0:
        return
    rulebook = rulebook_in_force(jurisdiction, world.today)
    methods = [str(m["name"]) for m in rulebook.data["methods"]]
    situations = [int(s["number"]) for s in rulebook.data["situations"]]
    matters = {
        matter.unit_id: matter
        for matter in _bulk(
            Matter,
            (
                Matter(jurisdiction=jurisdiction, code=f"H-{unit.pk}", title=f"{unit.name}历年督查事项", unit=unit)
                for unit in world.units
            ),
            province,
            "督查事项",
        )
    }
    span = (world.today - rulebook.effective_from).days
    rows_out = []
    for _ in range(wanted):
        unit = rng.choice(world.units)
        person = rng.choice(world.staff[unit.pk]) if world.staff.get(unit.pk) and rng.random() < 0.2 else None
        rows_out.append(
            Decision(
                jurisdiction=jurisdiction,
                matter=matters[unit.pk],
                unit=unit,
                date=rulebook.effective_from + dt.timedelta(days=rng.randrange(0, span + 1)),
                subject=Decision.Subject.PERSON if person else Decision.Subject.UNIT,
                person=person,
                situation_number=rng.choice(situations),
                methods=sorted(set(rng.sample(methods[:5], rng.choice((1, 1, 2)))), key=methods.index),
                historical_source="历史问责决定汇编（生成）",
                historical_reason="系统启用前作出的问责决定，按原件录入",
            )
        )
    created = _bulk(Decision, rows_out, province, "问责决定（历史导入）")
    _bulk(
        DecisionResponsible,
        (DecisionResponsible(decision=d, person=d.person, role=d.person.role) for d in created if d.person is not None),
        province,
        "责任人",
    )
