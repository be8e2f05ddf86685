"""Load a jurisdiction's rulebook versions from YAML and check them before anything uses them.

Layout: ``<root>/<jurisdiction>/<effective-date>/`` holds one version as a set of YAML files
(their top-level keys are merged; a key may be defined in one file only), or
``<root>/<jurisdiction>/<effective-date>.yaml`` holds it in one file. A version may start from
another with ``extends: <jurisdiction>/<effective-date>`` (a county adopting the city's 办法 with
changes, 第八条): mappings merge key by key, anything else is replaced.

Every problem is reported as ``RulebookError(file, key, problem)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, overload

import yaml

from duban.errors import InputError


class RulebookError(InputError):
    def __init__(self, file: str | Path, key: str, problem: str):
        self.file = str(file)
        self.key = key
        self.problem = problem
        where = f"{self.file}: {key}" if key else self.file
        super().__init__(f"rulebook {where}: {problem}")


class _StringDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a bad date is reported with its key."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# One entry of a rulebook's consequences.rules, as the YAML gives it: its keys depend on its rule
# (validation.RULE_CHECKS checks them before the engine reads them).
RuleEntry = Mapping[str, Any]


@dataclass(frozen=True)
class Param:
    """A rulebook value with the article it rests on and where it sits in the rulebook."""

    value: Any
    reference: str
    path: str
    text: str = ""  # the article's own words, where the rulebook quotes them (`text:`)


@dataclass(frozen=True)
class Rulebook:
    id: str  # "<jurisdiction>/<effective-date>"
    jurisdiction: str
    effective_from: dt.date
    effective_until: dt.date | None
    data: dict[str, Any]
    sources: dict[str, str]  # top-level key -> file it came from
    location: str = ""  # the version's own folder or file
    rules: tuple[dict[str, Any], ...] = ()
    method_names: tuple[str, ...] = ()
    role_names: tuple[str, ...] = ()

    def source_of(self, path: str) -> str:
        return self.sources.get(path.split(".")[0], self.id)

    def node(self, path: str) -> Any:
        current: Any = self.data
        for part in path.split("."):
            if not isinstance(current, dict) or part not in current:
                raise RulebookError(self.source_of(path), path, "missing")
            current = current[part]
        return current

    def param(self, path: str) -> Param:
        """The value at ``path`` ("consequences.unit_points.monthly.通报批评") with its article."""
        node = self.node(path)
        if not isinstance(node, dict) or "value" not in node:
            raise RulebookError(self.source_of(path), path, "not a value with a reference")
        return Param(node["value"], node.get("reference", ""), path, str(node.get("text", "")))

    def value(self, path: str) -> Any:
        return self.param(path).value

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    @property
    def situations(self) -> list[dict[str, Any]]:
        return list(self.data["situations"])

    @property
    def methods(self) -> list[dict[str, Any]]:
        return list(self.data["methods"])

    @property
    def exemptions(self) -> list[dict[str, Any]]:
        return list(self.data["exemptions"])

    @property
    def roles(self) -> list[dict[str, Any]]:
        return list(self.data["roles"])

    def method_with_code(self, code: str) -> str | None:
        """The local name of the method the rulebook gives ``code`` (methods[].code), if any."""
        return next((str(m["name"]) for m in self.methods if m.get("code") == code), None)

    def methods_with_effect(self, effect: str) -> tuple[str, ...]:
        """The methods whose consequence rules produce ``effect`` (问题通报 → rectification, 第九条第（一）项)."""
        names: list[str] = []
        for rule in self.rules:
            if effect in (rule.get("effects") or []):
                names.extend(str(m) for m in rule["methods"] if m not in names)
        return tuple(names)

    def referral_routes(self) -> dict[str, dict[str, Any]]:
        """referral.routes: route → {methods, body, reference, text} (第八条第（二）项第2目)."""
        return dict((self.data.get("referral") or {}).get("routes") or {})

    def referral_methods(self) -> tuple[str, ...]:
        """The methods that hand a decision on to another body (建议组织部门处理, 建议纪检监察机关处理)."""
        return tuple(m for route in self.referral_routes().values() for m in route.get("methods", []))


@dataclass(frozen=True)
class RulebookSet:
    """All versions of one jurisdiction's rulebook, ordered by effective date."""

    jurisdiction: str
    versions: tuple[Rulebook, ...] = field(default_factory=tuple)

    def in_force(self, day: dt.date) -> Rulebook:
        for version in self.versions:
            if version.covers(day):
                return version
        raise RulebookError(self.jurisdiction, "effective_from", f"no version in force on {day.isoformat()}")

    def latest(self) -> Rulebook:
        return self.versions[-1]


def default_root() -> Path:
    import os

    from duban import RULEBOOKS_DIR

    return Path(os.environ.get("DUBAN_RULEBOOKS_DIR", RULEBOOKS_DIR))


def load_rulebooks(jurisdiction: str, root: Path | str | None = None, *, search: tuple[Path, ...] = ()) -> RulebookSet:
    """Load and validate every version of ``jurisdiction`` found under ``root``.

    ``search`` lists further roots where an ``extends`` may be found (tests keep broken
    rulebooks in their own folder and extend the real one).
    """
    from duban.rules.validation import validate_rulebook, validate_versions

    root = Path(root) if root is not None else default_root()
    folder = root / jurisdiction
    if not folder.is_dir():
        raise RulebookError(folder, "", f"no rulebook for jurisdiction '{jurisdiction}'")
    roots = (root, *search, default_root())
    versions = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix in (".yaml", ".yml"):
            rulebook = load_version(entry, roots=roots)
            validate_rulebook(rulebook)
            versions.append(rulebook)
    if not versions:
        raise RulebookError(folder, "", "no versions")
    return validate_versions(jurisdiction, folder, versions)


def load_version(location: Path, *, roots: tuple[Path, ...]) -> Rulebook:
    data, sources = _read_resolved(location, roots, chain=())
    jurisdiction = location.parent.name
    version_name = location.stem if location.is_file() else location.name
    effective_from = _date(data, sources, "effective_from", required=True)
    effective_until = _date(data, sources, "effective_until", required=False)
    return Rulebook(
        id=f"{jurisdiction}/{version_name}",
        jurisdiction=jurisdiction,
        effective_from=effective_from,
        effective_until=effective_until,
        data=data,
        sources=sources,
        location=str(location),
        rules=tuple(data.get("consequences", {}).get("rules", []) or ()),
        method_names=_names(data.get("methods", [])),
        role_names=_names(data.get("roles", [])),
    )


def _names(listing: Any) -> tuple[str, ...]:
    """The ``name`` of each entry of a listing (methods, roles) as the YAML gives it, before any check:
    check_methods and check_roles then reject an entry whose name is missing."""
    return cast("tuple[str, ...]", tuple(item.get("name") for item in listing if isinstance(item, dict)))


def _read_resolved(
    location: Path, roots: tuple[Path, ...], chain: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A version's data with everything it ``extends`` underneath, following the chain to its root
    (a county's second version extends its first, which extends the city's)."""
    data, sources = _read_version(location)
    parent = data.pop("extends", None)
    if parent is None:
        return data, sources
    base_location = _find_version(str(parent), roots, location)
    if base_location.resolve() in chain or base_location.resolve() == location.resolve():
        raise RulebookError(sources.get("extends", location), "extends", f"'{parent}' extends back to itself")
    base, base_sources = _read_resolved(base_location, roots, (*chain, location.resolve()))
    return _merge(base, data), {**base_sources, **sources}


def _read_version(location: Path) -> tuple[dict[str, Any], dict[str, str]]:
    files = sorted(location.glob("*.y*ml")) if location.is_dir() else [location]
    data: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for path in files:
        try:
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDatesLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problem = " ".join(str(exc).split())
            raise RulebookError(path, "", f"not valid YAML ({problem})") from None
        except RecursionError:
            raise RulebookError(path, "", "YAML nested too deeply to be a rulebook") from None
        if content is None:
            continue
        if not isinstance(content, dict):
            raise RulebookError(path, "", "must be a mapping of keys")
        for key, value in content.items():
            if key in data:
                raise RulebookError(path, str(key), f"already defined in {sources[key]}")
            data[str(key)] = value
            sources[str(key)] = str(path)
    if not data:
        raise RulebookError(location, "", "empty rulebook")
    return data, sources


def _find_version(name: str, roots: tuple[Path, ...], child: Path) -> Path:
    for root in roots:
        for candidate in (root / name, root / f"{name}.yaml"):
            if candidate.exists() and candidate.resolve() != child.resolve():
                return candidate
    raise RulebookError(child, "extends", f"unknown rulebook '{name}'")


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return override


@overload
def _date(data: dict[str, Any], sources: dict[str, str], key: str, *, required: Literal[True]) -> dt.date: ...


@overload
def _date(data: dict[str, Any], sources: dict[str, str], key: str, *, required: Literal[False]) -> dt.date | None: ...


def _date(data: dict[str, Any], sources: dict[str, str], key: str, *, required: bool) -> dt.date | None:
    node = data.get(key)
    file = sources.get(key, "")
    if node is None:
        if required:
            raise RulebookError(file or "?", key, "missing value")
        return None
    if not isinstance(node, dict) or "value" not in node:
        raise RulebookError(file, key, "must be {value: YYYY-MM-DD, reference: 第…条}")
    raw = node["value"]
    if raw is None:
        if required:
            raise RulebookError(file, f"{key}.value", "missing value")
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise RulebookError(file, f"{key}.value", f"bad date '{raw}' (expected YYYY-MM-DD)") from None
