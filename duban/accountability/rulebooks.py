"""The rulebook a jurisdiction applies, as the Django side sees it.

Each jurisdiction names its rulebook folder (rulebook_code); a county may adopt the city's 办法
(第八条: 各县区政府负责本级政府系统的督查问责). Missing rulebooks become ValidationErrors in Chinese,
because services report bad input that way.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from duban.accounts.models import Jurisdiction
from duban.rules.loader import Rulebook, RulebookError, RulebookSet, default_root, load_rulebooks


def rulebooks_root() -> Path | None:
    configured = getattr(settings, "DUBAN_RULEBOOKS_DIR", None)
    return Path(configured) if configured else None


def rulebooks_for(jurisdiction: Jurisdiction) -> RulebookSet:
    """The jurisdiction's rulebook versions, loaded and validated once for as long as no file under the
    rulebooks folder changes (an edited rulebook is picked up without a restart)."""
    root = rulebooks_root() or default_root()
    try:
        return _loaded(jurisdiction.rulebook_code or jurisdiction.code, str(root), _newest(Path(root)))
    except RulebookError as exc:
        raise ValidationError(f"{jurisdiction.name}的问责规则无法读取：{exc}") from exc


@lru_cache(maxsize=64)
def _loaded(code: str, root: str, stamp: float) -> RulebookSet:
    """Keyed by the folder's newest modification time (a county's version may extend the city's)."""
    return load_rulebooks(code, Path(root))


def _newest(folder: Path) -> float:
    newest = 0.0
    if folder.is_dir():
        for path in folder.rglob("*"):
            newest = max(newest, path.stat().st_mtime)
    return newest


def rulebook_in_force(jurisdiction: Jurisdiction, day: dt.date, *, field: str = "date") -> Rulebook:
    rulebooks = rulebooks_for(jurisdiction)
    try:
        return rulebooks.in_force(day)
    except RulebookError as exc:
        raise ValidationError({field: f"{day.isoformat()}时{jurisdiction.name}没有生效的问责办法"}) from exc


def rulebook_in_force_or_none(jurisdiction: Jurisdiction, day: dt.date) -> Rulebook | None:
    try:
        return rulebook_in_force(jurisdiction, day)
    except ValidationError:
        return None


def check_rulebook_actors(app_configs=None, **kwargs) -> list:
    """System check (manage.py check, and every start): each role a rulebook's procedure names as an
    actor (procedure.actors) is a role group a login can hold (duban.accounts.roles.ROLES), so no step
    waits for an actor nobody can be."""
    from django.core import checks

    from duban.accounts.roles import ROLES

    root = rulebooks_root() or default_root()
    problems = []
    for folder in sorted(p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            versions = load_rulebooks(folder.name, root).versions
        except RulebookError as exc:
            problems.append(checks.Error(str(exc), id="duban.E001"))
            continue
        for version in versions:
            for actor in version.data.get("procedure", {}).get("actors", []):
                if actor["name"] not in ROLES:
                    problems.append(
                        checks.Error(
                            f"问责规则 {version.id} 的 procedure.actors 中“{actor['name']}”不是任何账号可以担任的角色",
                            hint=f"角色：{'、'.join(ROLES)}（duban/accounts/roles.py）",
                            id="duban.E002",
                        )
                    )
    return problems
