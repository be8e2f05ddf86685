"""The ledger's panels on pages of the site's frame (duban.panels), registered in LedgerConfig.ready()."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from duban import clock
from duban.accounts import roles
from duban.accounts.access import in_role, person_of, request_jurisdiction
from duban.ledger import access, lights, selectors
from duban.ledger import lifecycle_selectors as life
from duban.ledger.models import ClosureRequest, ExtensionRequest, SupervisionOrder, Task


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def workbench_panel(request: HttpRequest) -> dict | None:
    """The ledger's panel on the workbench: what this user has to do in the ledger today."""
    user = request.user
    person = person_of(user)
    jurisdiction = request_jurisdiction(request)
    unread = selectors.reminders_of(user, unread_only=True)
    panel: dict = {"unread_count": unread.count(), "unread": list(unread[:5]), "cards": [], "rows": []}
    if jurisdiction is None:
        return panel
    today = clock.today()
    ledger = selectors.ledger_query(access.tasks_visible(user, jurisdiction), today=today)
    counts, light_counts = lights.ledger_counts(lights.with_lights(ledger, today, jurisdiction=jurisdiction))
    panel["lights"] = _light_cards(light_counts)
    # the rows show the standing, not the light: read without the light's expressions
    pressing = selectors.for_list(ledger.filter(ledger_standing__in=("overdue", "due_soon")))
    if access.access_office_or_administrator(user, jurisdiction):
        awaiting = selectors.orders_for(jurisdiction=jurisdiction, status=SupervisionOrder.Status.ISSUED)
        drafts = Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.DRAFT).count()
        panel["cards"] = _cards(
            {"label": "待审核任务", "count": drafts, "url": _url("ledger:review")}, "已逾期任务", counts, awaiting
        )
        panel["rows"] = selectors.ledger_page_rows(pressing[:8])
        panel["rows_title"] = "逾期和即将到期的任务"
    elif person is not None and person.unit_id is not None:
        awaiting = selectors.orders_for(
            jurisdiction=jurisdiction, unit=person.unit, status=SupervisionOrder.Status.ISSUED
        )
        mine = {
            "label": f"{person.unit.display_name}的任务",
            "count": sum(counts.values()),
            "url": _url("ledger:tasks"),
        }
        panel["cards"] = _cards(mine, "已逾期", counts, awaiting)
        panel["rows"] = selectors.ledger_page_rows(pressing[:8])
        panel["rows_title"] = "本单位逾期和即将到期的任务"
        panel["orders"] = list(awaiting[:5])
    else:
        if not sum(counts.values()):
            panel["lights"] = []
        else:
            panel["cards"] = [
                {"label": "可查看的台账任务", "count": sum(counts.values()), "url": _url("ledger:tasks")},
                {"label": "已逾期", "count": counts["overdue"], "url": _url("ledger:tasks") + "?standing=overdue"},
            ]
    life_cards_, life_lists = life_cards(user, jurisdiction, today)
    panel["cards"] = panel["cards"] + life_cards_
    panel.update(life_lists)
    return panel


def _light_cards(counts: dict[str, int]) -> list[dict]:
    """亮灯 on the workbench: red and yellow (what needs attention), each linking to the 台账 filtered by it."""
    tasks = _url("ledger:tasks")
    return [
        {"code": code, "label": lights.LIGHT_LABELS[code], "count": counts[code], "url": f"{tasks}?light={code}"}
        for code in ("red", "yellow", "green")
    ]


def _cards(first: dict, overdue_label: str, counts: dict[str, int], awaiting) -> list[dict]:
    """The workbench's cards: what is the user's, then overdue, due soon, and 督办单 awaiting an answer."""
    tasks = _url("ledger:tasks")
    return [
        first,
        {"label": overdue_label, "count": counts["overdue"], "url": tasks + "?standing=overdue"},
        {"label": selectors.DUE_SOON_LABEL, "count": counts["due_soon"], "url": tasks + "?standing=due_soon"},
        {"label": "督办单待回复", "count": awaiting.count(), "url": _url("ledger:orders") + "?status=issued"},
    ]


# --- the task's life on the task page and the workbench (签收, 延期, 办结验收) ---------------------------


def _unit_of(user):
    person = person_of(user)
    return person.unit if person is not None and person.unit_id is not None else None


def task_life_actions(request: HttpRequest, *, task: Task, standing=None) -> dict | None:
    """签收, 申请延期 and 申请办结 beside the task's title (the liaison), 办结验收 (the office)."""
    user = request.user
    unit = _unit_of(user)
    pending = ClosureRequest.objects.filter(task=task, status=ClosureRequest.Status.PENDING).first()
    context = {
        "task": task,
        "can_acknowledge": access.access_task_acknowledge(user, task)
        and unit is not None
        and not life.unit_has_acknowledged(task, unit),
        "can_extend": access.access_extension_request(user, task) and task.deadlines.exists(),
        "can_close": access.access_closure_apply(user, task) and pending is None,
        "pending_closure": pending,
        "can_accept": pending is not None and access.access_closure_decide(user, pending),
    }
    shown = ("can_acknowledge", "can_extend", "can_close", "can_accept")
    return context if any(context[key] for key in shown) else None


def task_life_section(request: HttpRequest, *, task: Task, standing=None) -> dict | None:
    """Each unit's 签收, the deadline's history and the task's 延期 and 办结 requests (whoever sees the task;
    a unit's people see their own unit's requests)."""
    if task.status != Task.Status.CONFIRMED:
        return None
    user = request.user
    extensions = life.extensions_for(jurisdiction=task.jurisdiction).filter(task=task)
    closures = life.closures_for(jurisdiction=task.jurisdiction).filter(task=task)
    return {
        "task": task,
        "today": clock.today(),
        "acknowledgements": life.task_acknowledgements(task),
        "changes": life.deadline_history(task),
        "extensions": [e for e in extensions if access.access_extension_view(user, e)],
        "closures": [c for c in closures if access.access_closure_view(user, c)],
        "pending_closure": next((c for c in closures if c.status == ClosureRequest.Status.PENDING), None),
    }


def life_cards(user, jurisdiction, today) -> tuple[list[dict], dict]:
    """The workbench's cards and lists of the task's life for this user: the office's 超时未签收, 待审批延期 and
    待验收办结; a liaison's 待签收 (with a 签收 button each) and the unit's pending requests."""
    cards: list[dict] = []
    lists: dict = {}
    unit = _unit_of(user)
    extensions = life.extensions_for(jurisdiction=jurisdiction, status=ExtensionRequest.Status.PENDING)
    closures = life.closures_for(jurisdiction=jurisdiction, status=ClosureRequest.Status.PENDING)
    if access.access_acknowledgements(user, jurisdiction):
        late = life.unacknowledged(jurisdiction=jurisdiction, overdue_on=today)
        decide = life.extensions_to_decide(
            user, jurisdiction=jurisdiction, office=access.access_office_or_administrator(user, jurisdiction)
        )
        cards += [
            {
                "label": "超时未签收",
                "count": life.unacknowledged_count(jurisdiction=jurisdiction, overdue_on=today),
                "url": _url("ledger:acknowledgements") + "?overdue=1",
            },
            {"label": "待审批延期", "count": decide.count(), "url": _url("ledger:extensions")},
            {"label": "待验收办结", "count": closures.count(), "url": _url("ledger:closures")},
        ]
        lists["late_acknowledgements"] = life.pending_items(late[:5])
        lists["extensions_to_decide"] = list(decide[:5])
        lists["closures_to_accept"] = list(closures[:5])
    elif unit is not None:
        waiting = life.unacknowledged(jurisdiction=jurisdiction, unit=unit)
        cards.append({"label": "待签收", "count": waiting.count(), "url": _url("ledger:acknowledgements")})
        lists["to_acknowledge"] = life.pending_items(waiting[:8])
        lists["can_acknowledge"] = in_role(user, roles.UNIT_LIAISON)
        lists["my_extensions"] = list(extensions.filter(unit=unit)[:5])
        lists["my_closures"] = list(closures.filter(unit=unit)[:5])
    else:
        decide = life.extensions_to_decide(user, jurisdiction=jurisdiction, office=False)
        count = decide.count()
        if count:
            cards.append({"label": "待审批延期", "count": count, "url": _url("ledger:extensions")})
            lists["extensions_to_decide"] = list(decide[:5])
    return cards, lists
