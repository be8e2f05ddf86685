"""The unit directory (机构名录) of a jurisdiction: canonical unit names and their aliases.

Data, not code: directories/<jurisdiction>/units.yaml, edited by the jurisdiction. Extraction keeps
names as printed; the directory adds, per task, the canonical names and the names it could not
resolve (reported, never dropped).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from duban.errors import InputError

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "directories"


def directories_root() -> Path:
    return Path(os.environ.get("DUBAN_DIRECTORIES", DEFAULT_ROOT))


def _key(name: str) -> str:
    return re.sub(r"[\s（）()]", "", name)


@dataclass
class UnitDirectory:
    jurisdiction: str
    names: list[str] = field(default_factory=list)  # how the jurisdiction is written: 驻马店市, 驻马店
    aliases: dict[str, str] = field(default_factory=dict)  # alias key → canonical name

    def resolve(self, printed: str) -> str | None:
        key = _key(printed)
        if key in self.aliases:
            return self.aliases[key]
        # "驻马店市卫健委" and "市卫健委" are the same unit; so are "各县区" and "县区".
        for name in sorted(self.names, key=len, reverse=True):
            if key.startswith(name):
                shortened = "市" + key[len(name) :] if not key[len(name) :].startswith("市") else key[len(name) :]
                for candidate in (shortened, key[len(name) :]):
                    if candidate in self.aliases:
                        return self.aliases[candidate]
        if key.startswith("各") and key[1:] in self.aliases:
            return self.aliases[key[1:]]
        if "各" + key in self.aliases:
            return self.aliases["各" + key]
        return None

    def applies_to(self, text: str) -> bool:
        return any(name and name in text for name in self.names)


def load_directory(path: Path) -> UnitDirectory:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError:
        raise InputError(f"unit directory {path} is not UTF-8 text (a binary file?)") from None
    except RecursionError:
        raise InputError(f"unit directory {path} is nested too deeply to be a directory") from None
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"unit directory {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise InputError(f"unit directory {path} has no 'units' list")
    directory = UnitDirectory(
        jurisdiction=str(data.get("jurisdiction", path.parent.name)),
        names=[str(name) for name in data.get("names", [])],
    )
    for entry in data["units"]:
        if not isinstance(entry, dict) or "name" not in entry:
            raise InputError(f"unit directory {path}: every unit needs a name ({entry!r})")
        canonical = str(entry["name"])
        for alias in [canonical, *[str(a) for a in entry.get("aliases", []) or []]]:
            directory.aliases.setdefault(_key(alias), canonical)
    return directory


def available_directories(root: Path | None = None) -> list[UnitDirectory]:
    root = root or directories_root()
    if not root.is_dir():
        return []
    return [load_directory(path) for path in sorted(root.glob("*/units.yaml"))]


def directory_for(text: str, root: Path | None = None) -> UnitDirectory | None:
    """The directory whose jurisdiction the text names most often (issuers, titles), if any."""
    best: tuple[int, UnitDirectory] | None = None
    for directory in available_directories(root):
        count = sum(text.count(name) for name in directory.names if name)
        if count and (best is None or count > best[0]):
            best = (count, directory)
    return best[1] if best else None


def resolve_units(directory: UnitDirectory, printed: list[str]) -> tuple[list[str], list[str]]:
    """(canonical names in order without duplicates, printed names that did not resolve)."""
    canonical: list[str] = []
    unresolved: list[str] = []
    for name in printed:
        resolved = directory.resolve(name)
        if resolved is None:
            if name not in unresolved:
                unresolved.append(name)
        elif resolved not in canonical:
            canonical.append(resolved)
    return canonical, unresolved
