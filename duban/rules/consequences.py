"""第九条, one small function per rule.

Each function takes the decision being applied (an ``Application``), the rulebook entry that
names it (its parameters and article), and the running ``Tally`` of earlier decisions, and
yields the consequences. The rulebook decides which functions run for which methods; nothing
here knows a point value or a threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from duban.rules.loader import Rulebook, RuleEntry
from duban.rules.model import (
    CIVILIZED_TITLE,
    PUBLIC_EXPOSURE,
    SUBJECT_PERSON,
    Consequence,
    Decision,
    Unit,
)


@dataclass(slots=True)
class Application:
    """One decision as the rulebook in force on its date applies it."""

    decision: Decision
    unit: Unit
    rulebook: Rulebook
    methods: list[str]  # the decision's methods, plus any an escalation added (in order)
    month: str = ""  # "YYYY-MM" of the decision: 当月
    year: str = ""  # "YYYY" of the decision: 年度

    def __post_init__(self) -> None:
        self.month = f"{self.decision.date.year:04d}-{self.decision.date.month:02d}"
        self.year = f"{self.decision.date.year:04d}"

    def period_of(self, effect: str) -> str:
        """The period the rulebook books ``effect`` in (effects[].period): the decision's month (当月: 平时考核奖,
        整改, 约谈) or year (年度: the 优秀 bar, 评先)."""
        return self.year if self.rulebook.effects[effect]["period"] == "year" else self.month

    def label(self, effect: str) -> str:
        return self.rulebook.effect_label(effect)

    def members(self, role: str) -> tuple[str, ...]:
        """People of the decision in ``role``; the subject person counts as 承办人员 (interpretation 1)."""
        listed = tuple(self.decision.responsible.get(role, ()))
        person = self.decision.person
        if self.decision.subject != SUBJECT_PERSON or not person:
            return listed
        if role != self.rulebook.value("consequences.person_subject_role"):
            return listed
        if self.rulebook.value("consequences.person_subject_unless_listed") == "any_role":
            already = any(person in ids for ids in self.decision.responsible.values())
        else:
            already = person in listed
        return listed if already else (*listed, person)

    def consequence(
        self,
        entry: RuleEntry,
        who: str,
        effect: str,
        *,
        value: int | str | None = None,
        period: str | None = None,
        note: str = "",
        key: str = "effects",
    ) -> Consequence:
        return Consequence(
            decision=self.decision.id,
            who=who,
            effect=effect,
            period=period if period is not None else self.period_of(effect),
            value=value,
            basis=entry["reference"],
            parameter=f"consequences.rules.{entry['id']}.{key}",
            rulebook=self.rulebook.id,
            note=note or self.label(effect),
        )


@dataclass(slots=True)
class Tally:
    """What earlier decisions did: the counts and totals later decisions depend on."""

    # (rule id, unit, window, matter or year) -> times
    repetitions: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    # (unit, matter, kind) -> Counter(method -> points)
    method_points: dict[tuple[str, str, str], Counter[str]] = field(default_factory=dict)
    # (unit, matter, kind) -> points booked
    matter_totals: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def repeat(self, app: Application, entry: RuleEntry) -> int:
        """Count this decision under ``entry``'s window and return how many times it has now happened."""
        window = entry["window"]["value"]
        scope = app.decision.matter if window == "matter" else app.year
        key = (entry["id"], app.decision.unit, window, scope)
        self.repetitions[key] += 1
        return self.repetitions[key]


def triggered(app: Application, entry: RuleEntry) -> bool:
    if not any(method in app.methods for method in entry["methods"]):
        return False
    return all(getattr(app.decision, key) == expected for key, expected in (entry.get("when") or {}).items())


# --- the rules ---------------------------------------------------------------------------------


def unit_effects(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """第九条第（一）项 整改; 第九条第（六）项 评先资格: effects on the unit itself."""
    for effect in entry["effects"]:
        value = app.decision.id if app.rulebook.effects[effect]["carries"] == "decision" else None
        yield app.consequence(entry, app.unit.id, effect, value=value)


def subject_person_effects(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """ "工作人员被…的…扣除本人…": effects on the person who is the decision's subject."""
    if app.decision.subject == SUBJECT_PERSON and app.decision.person:
        for effect in entry["effects"]:
            yield app.consequence(entry, app.decision.person, effect, note=f"本人：{app.label(effect)}")


def role_effects(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """Effects on the people of the unit by their role (第三条), e.g. 第九条第（四）、（五）项."""
    yield from _role_consequences(app, entry)


def repeated_role_effects(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """ "同一事项被通报批评两次以上的（含两次）": role effects from the threshold-th time on."""
    times = tally.repeat(app, entry)
    threshold = entry["threshold"]["value"]
    if times >= threshold:
        yield from _role_consequences(app, entry, note=f"第{times}次（{threshold}次以上，含{threshold}次）")


def repeated_escalation(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """ "被责令作出书面检查两次以上的，给予公开曝光": the decision also counts as ``escalate_to``."""
    times = tally.repeat(app, entry)
    threshold = entry["threshold"]["value"]
    if times >= threshold:
        if entry["escalate_to"] not in app.methods:
            app.methods.append(entry["escalate_to"])
        window = "同一事项" if entry["window"]["value"] == "matter" else f"{app.year}年内"
        yield app.consequence(
            entry,
            app.unit.id,
            PUBLIC_EXPOSURE,
            value=app.decision.id,
            key="escalate_to",
            note=f"{window}第{times}次{'、'.join(entry['methods'])}（{threshold}次以上），给予{entry['escalate_to']}",
        )


def supervisor_effects(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """The supervisor in charge of the unit answers too: 第九条第（五）项 约谈, 第（六）项 书面说明."""
    supervisor = getattr(app.unit, entry["supervisor"])
    if supervisor:
        for effect in entry["effects"]:
            yield app.consequence(entry, supervisor, effect)


def civilized_title(app: Application, entry: RuleEntry, tally: Tally) -> Iterator[Consequence]:
    """第九条第（六）项: a 文明单位 is to rectify or lose the title, or is referred upwards."""
    action = entry["levels"].get(app.unit.civilized) if app.unit.civilized else None
    if action:
        yield app.consequence(
            entry,
            app.unit.id,
            CIVILIZED_TITLE,
            value=action,
            key=f"levels.{app.unit.civilized}",
            note=f"文明单位（{app.unit.civilized}）：{action}",
        )


def _role_consequences(app: Application, entry: RuleEntry, note: str = "") -> Iterator[Consequence]:
    for role, effects in entry["roles"].items():
        for person in app.members(role):
            for effect in effects:
                text = f"{role}：{app.label(effect)}"
                yield app.consequence(
                    entry, person, effect, note=f"{note}{text}" if note else text, key=f"roles.{role}"
                )


Rule = Callable[[Application, RuleEntry, Tally], Iterable[Consequence]]

RULES: dict[str, Rule] = {
    "unit_effects": unit_effects,
    "subject_person_effects": subject_person_effects,
    "role_effects": role_effects,
    "repeated_role_effects": repeated_role_effects,
    "repeated_escalation": repeated_escalation,
    "supervisor_effects": supervisor_effects,
    "civilized_title": civilized_title,
}

# Escalations change which methods a decision counts as, so they run before the other rules.
FIRST = ("repeated_escalation",)
