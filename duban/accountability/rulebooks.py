"""The rulebook a jurisdiction applies, as the Django side sees it.

Each jurisdiction names its rulebook folder (rulebook_code); a county may adopt the city's 办法
(第八条: 各县区政府负责本级政府系统的督查问责). Missing rulebooks become ValidationErrors in Chinese,
because services report bad input that way.

The rulebooks are read once per process and kept in memory (duban.rules.loader.RulebookCache): a call
answers from memory, and at most once a second (CHECK_EVERY) a call stats the files and folders the
jurisdiction's versions were read from — no walk of the rulebooks folder, no YAML — and reads them
again only if one changed. An edited, added or removed rulebook file is therefore in force within a
second in every process, without a restart, while a page that asks the rulebook for each of its rows
pays for none of it. Pages still ask once per rulebook version, not per row (selectors.RulebookFacts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from duban.accounts.models import Jurisdiction
from duban.rules.loader import Rulebook, RulebookCache, RulebookError, RulebookSet, default_root, load_rulebooks

CHECK_EVERY = 1.0  # seconds between two looks at a jurisdiction's rulebook files, per process

CACHE = RulebookCache(check_every=CHECK_EVERY)


def rulebooks_root() -> Path | None:
    configured = getattr(settings, "DUBAN_RULEBOOKS_DIR", None)
    return Path(configured) if configured else None


def rulebooks_for(jurisdiction: Jurisdiction) -> RulebookSet:
    """The jurisdiction's rulebook versions, loaded and validated once and read again within a second of
    a change to one of their files (the module's docstring)."""
    root = rulebooks_root() or default_root()
    try:
        return CACHE.load(jurisdiction.rulebook_code or jurisdiction.code, root)
    except RulebookError as exc:
        raise ValidationError(f"{jurisdiction.name}的问责规则无法读取：{exc}") from exc


def rulebooks_recheck() -> None:
    """Have the next read of every rulebook look at its files at once, not up to a second later: for one
    that has just written a rulebook file and reads it back (a test, a command)."""
    CACHE.expire()


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
