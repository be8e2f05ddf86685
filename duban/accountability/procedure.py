"""The 第八条 chain as the rulebook states it: steps, their actors, and the texts a case page shows.

Nothing here names a step: the city's 办法 has six (调查核实 → 二级督查 → 一级督查 → 副总督查 → 总督查 →
督查落实委员会), a county states its own in its rulebook's ``procedure.steps``. A case keeps the id
of the rulebook version in force when it was opened, so a later version does not move it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError

from duban.accountability.rulebooks import rulebook_in_force, rulebooks_for, rulebooks_root
from duban.accounts.models import Jurisdiction
from duban.rules.loader import Rulebook, default_root


@dataclass(frozen=True)
class Step:
    order: int
    code: str
    name: str
    actor: str  # as the rulebook prints it (督查室, 二级督查, 区政府督查室 …)
    reference: str


def chain_of(rulebook: Rulebook) -> tuple[Step, ...]:
    steps = rulebook.data.get("procedure", {}).get("steps") or []
    chain = tuple(
        Step(int(s["order"]), str(s["code"]), str(s["name"]), str(s.get("actor", "")), str(s.get("reference", "")))
        for s in sorted(steps, key=lambda s: int(s["order"]))
    )
    if len(chain) < 2:
        raise ValidationError(f"问责规则 {rulebook.id} 的 procedure.steps 至少应有调查核实和批准两个环节")
    return chain


_STAMPS: dict[str, tuple[float, float]] = {}  # folder -> (checked at, newest mtime)
STAMP_SECONDS = 5.0


def _stamp(code: str) -> float:
    """The newest modification time under the rulebooks folder (the cache key; a county's version may
    extend the city's), looked at no more than every few seconds: an edited rulebook is picked up
    without a restart."""
    root = rulebooks_root() or default_root()
    key = str(root)
    now = time.monotonic()
    checked = _STAMPS.get(key)
    if checked is not None and now - checked[0] < STAMP_SECONDS:
        return checked[1]
    newest = _newest(Path(root))
    _STAMPS[key] = (now, newest)
    return newest


def _newest(folder: Path) -> float:
    newest = 0.0
    if folder.is_dir():
        for path in folder.rglob("*"):
            newest = max(newest, path.stat().st_mtime)
    return newest


@lru_cache(maxsize=64)
def _versions(code: str, root: str, stamp: float) -> dict[str, Rulebook]:
    jurisdiction = Jurisdiction(code=code, rulebook_code=code, name=code)
    return {version.id: version for version in rulebooks_for(jurisdiction).versions}


def rulebook_version(jurisdiction: Jurisdiction, rulebook_id: str) -> Rulebook:
    code = jurisdiction.rulebook_code or jurisdiction.code
    versions = _versions(code, str(rulebooks_root() or default_root()), _stamp(code))
    if rulebook_id not in versions:
        raise ValidationError(f"{jurisdiction.name}的问责规则中没有版本 {rulebook_id}")
    return versions[rulebook_id]


def rulebook_for_new_case(jurisdiction: Jurisdiction, day: dt.date) -> Rulebook:
    return rulebook_in_force(jurisdiction, day, field="opened")


def case_rulebook(case) -> Rulebook:
    return rulebook_version(case.jurisdiction, case.rulebook_id)


def case_chain(case) -> tuple[Step, ...]:
    return chain_of(case_rulebook(case))


def case_current_step(case) -> Step | None:
    return next((step for step in case_chain(case) if step.code == case.step), None)


def situation_text(rulebook: Rulebook, number: int | None) -> str:
    for item in rulebook.situations:
        if int(item["number"]) == number:
            return str(item["text"])
    return ""


def situation_choices(rulebook: Rulebook) -> list[tuple[str, list[tuple[int, str]]]]:
    """第六条 grouped as the 办法 prints it: (group name, [(number, "8. text"), …])."""
    groups = {int(g["number"]): str(g["name"]) for g in rulebook.data.get("groups", [])}
    grouped: dict[str, list[tuple[int, str]]] = {}
    for item in rulebook.situations:
        name = groups.get(int(item.get("group", 0)), "其他")
        grouped.setdefault(name, []).append((int(item["number"]), f"{item['number']}. {item['text']}"))
    return list(grouped.items())


def exemption_text(rulebook: Rulebook, number: int | None) -> str:
    for item in rulebook.exemptions:
        if int(item["number"]) == number:
            return str(item["text"])
    return ""
