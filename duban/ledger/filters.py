"""The 台账's filters as a request states them (``?unit=&standing=&light=&source=&q=``): read once, here, for
the list on screen and for its Excel export, so the export is always what the screen shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest

from duban import clock
from duban.accounts.models import Jurisdiction, Unit
from duban.inputs import parse_int
from duban.ledger import access, lights, selectors
from duban.ledger.models import Task
from duban.ledger.sources import SOURCE_KINDS

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class LedgerFilters:
    unit: Unit | None = None
    standing: str = ""
    light: str = ""  # 亮灯 (lights.LIGHT_LABELS)
    source: str = ""
    search: str = ""
    refused: list[str] = field(default_factory=list)  # a Chinese line per filter that was not understood

    @property
    def active(self) -> bool:
        return bool(self.unit or self.standing or self.light or self.source or self.search)

    def described(self) -> str:
        """The filters in words, for the export's title row."""
        parts = [
            f"单位：{self.unit.name}" if self.unit is not None else "",
            f"状态：{selectors.STANDING_LABELS[self.standing]}" if self.standing else "",
            f"亮灯：{lights.LIGHT_LABELS[self.light]}" if self.light else "",
            f"来源：{SOURCE_KINDS[self.source].label}" if self.source else "",
            f"搜索：{self.search}" if self.search else "",
        ]
        return "；".join(part for part in parts if part)

    def tasks(
        self, visible: QuerySet[Task], *, with_standing: bool = True, jurisdiction: Jurisdiction | None = None
    ) -> QuerySet[Task]:
        """``visible`` filtered, in the 台账's order, each task with its light (lights.with_lights; the
        thresholds of ``jurisdiction`` when given). ``with_standing=False``: every standing and every light,
        for the cards."""
        if self.source:
            visible = visible.filter(source_kind=self.source)
        today = clock.today()
        tasks = selectors.ledger_query(
            visible,
            unit=self.unit,
            search=self.search,
            standing=self.standing if with_standing else "",
            today=today,
        )
        tasks = lights.with_lights(tasks, today, jurisdiction=jurisdiction)
        return self.narrowed(tasks) if with_standing else tasks

    def count_in(self, grid: dict[tuple[str, str], int]) -> int:
        """How many tasks ``narrowed`` keeps, read from a lights.ledger_grid of the tasks it narrows."""
        return sum(
            n
            for (standing, light), n in grid.items()
            if (not self.standing or standing == self.standing) and (not self.light or light == self.light)
        )

    def narrowed(self, tasks: QuerySet[Task]) -> QuerySet[Task]:
        """``tasks`` (from ``tasks(with_standing=False)``, every standing and light) narrowed to the chosen
        standing and light: the page's rows from the query its cards were counted on, built once."""
        if self.standing:
            tasks = tasks.filter(ledger_standing=self.standing)
        if self.light:
            tasks = tasks.filter(light=self.light)
        return tasks


def ledger_filters(request: HttpRequest, jurisdiction: Jurisdiction) -> LedgerFilters:
    """The filters of ``request`` that the user may apply in ``jurisdiction``; what is not understood is
    dropped with a line in ``refused``."""
    refused: list[str] = []
    requested = request.GET.get("unit", "")
    unit_id = parse_int(requested)
    units = access.units_for_filter(request.user, jurisdiction)
    unit = units.filter(pk=unit_id).first() if unit_id is not None else None
    if requested and unit is None:
        refused.append(f"单位筛选条件无效（“{requested[:20]}”不是可选的单位），显示全部单位的任务。")
    standing = request.GET.get("standing", "")
    if standing and standing not in selectors.STANDING_LABELS:
        refused.append(f"状态筛选条件无效（“{standing[:20]}”），显示全部状态的任务。")
        standing = ""
    light = request.GET.get("light", "")
    if light and light not in lights.LIGHT_LABELS:
        refused.append(f"亮灯筛选条件无效（“{light[:20]}”），显示全部任务。")
        light = ""
    source = request.GET.get("source", "")
    if source and source not in SOURCE_KINDS:
        refused.append(f"来源筛选条件无效（“{source[:20]}”），显示全部来源的任务。")
        source = ""
    search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    return LedgerFilters(unit=unit, standing=standing, light=light, source=source, search=search, refused=refused)
