"""Load a jurisdiction's rulebook versions from YAML and check them before anything uses them.

Layout: ``<root>/<jurisdiction>/<version>/`` holds one version as a set of YAML files
(their top-level keys are merged; a key may be defined in one file only), or
``<root>/<jurisdiction>/<version>.yaml`` holds it in one file; a version is named by its effective date
(then the two must agree) or, where the regulation states none (``effective_from: {value: null}``), by a
name of its own. A version may start from
another with ``extends: <jurisdiction>/<effective-date>`` (a county adopting the city's 办法 with
changes, 第八条): mappings merge key by key, anything else is replaced; ``remove:`` lists what of the
inherited version it drops (a section, a key, a list's entry by its name, number or code).

Every problem is reported as ``RulebookError(file, key, problem)``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, overload

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

T = TypeVar("T")


@dataclass(frozen=True)
class Param:
    """A rulebook value with the article it rests on and where it sits in the rulebook."""

    value: Any
    reference: str
    path: str
    text: str = ""  # the article's own words, where the rulebook quotes them (`text:`)


# The start of a version whose regulation states no date of its own (effective_from: {value: null}): it
# applies to every day before the next version; only a jurisdiction's first version may have one.
UNKNOWN_START = dt.date.min


@dataclass(frozen=True)
class Rulebook:
    id: str  # "<jurisdiction>/<version>": the version's folder or file name, its date or a name of its own
    jurisdiction: str
    effective_from: dt.date  # UNKNOWN_START where the regulation states none (start_stated false)
    effective_until: dt.date | None
    data: dict[str, Any]
    sources: dict[str, str]  # top-level key -> file it came from
    location: str = ""  # the version's own folder or file
    rules: tuple[dict[str, Any], ...] = ()
    method_names: tuple[str, ...] = ()
    role_names: tuple[str, ...] = ()
    start_stated: bool = True
    # What callers derive from this version, built once per loaded version (see derived()).
    _derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def derived(self, key: str, build: Callable[[Rulebook], T]) -> T:
        """What a caller derives from this version (its chain of steps, its texts by number), built on
        first use and kept with the version: a cached version answers every later call without working
        it out again, and a rulebook read again is a new object that derives afresh. ``key`` names what
        is derived and must be the caller's own (its module's name in it)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return cast("T", self._derived[key])

    def source_of(self, path: str) -> str:
        return self.sources.get(path.split(".")[0].split("[")[0], self.id)

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

    @property
    def effects(self) -> dict[str, dict[str, Any]]:
        """The version's effects (effects[]): code → its declaration (label, subject, period, carries, reference)."""
        return self.derived("loader.effects", lambda book: {str(e["code"]): e for e in book.data.get("effects") or []})

    def effect_label(self, code: str) -> str:
        """An effect in words, as the version declares it (its code where it declares none)."""
        declared = self.effects.get(code)
        return str(declared["label"]) if declared else code

    def role_label(self, name: str) -> str:
        """An accountable role as the version states it: its name with its responsibility, 承办人员（直接责任）."""
        role = next((r for r in self.roles if r.get("name") == name), None)
        responsibility = role.get("responsibility") if role else None
        return f"{name}（{responsibility}）" if responsibility else name

    @property
    def has_appeal(self) -> bool:
        """Whether the version provides a 申诉复核 (``appeal: none`` where its regulation provides none)."""
        return isinstance(self.data.get("appeal"), dict)

    @property
    def appeal_window_days(self) -> int | None:
        """The days a party has to appeal (appeal.window_days); None where the version provides no appeal."""
        return int(self.value("appeal.window_days")) if self.has_appeal else None

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


# A path's (modification time in ns, size, inode), None when there is nothing there: a file edited in
# place changes the first two, one saved by renaming a new file over it the third, a folder gains or
# loses an entry and its modification time changes.
Stamp = tuple[int, int, int] | None


def stamp(path: Path) -> Stamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def load_rulebooks(
    jurisdiction: str,
    root: Path | str | None = None,
    *,
    search: tuple[Path, ...] = (),
    read: dict[Path, Stamp] | None = None,
) -> RulebookSet:
    """Load and validate every version of ``jurisdiction`` found under ``root``.

    ``search`` lists further roots where an ``extends`` may be found (tests keep broken
    rulebooks in their own folder and extend the real one). ``read``, when given, collects every
    file the load read and every folder or path whose listing or existence it looked at, each with
    its stamp taken just before (so a change made while it loads differs from it), also when the
    load fails (up to the problem): what a change to the rulebook must touch (RulebookCache).
    """
    from duban.rules.validation import validate_rulebook, validate_versions

    read = read if read is not None else {}
    root = Path(root) if root is not None else default_root()
    folder = root / jurisdiction
    read[folder] = stamp(folder)
    if not folder.is_dir():
        raise RulebookError(folder, "", f"no rulebook for jurisdiction '{jurisdiction}'")
    roots = (root, *search, default_root())
    versions = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix in (".yaml", ".yml"):
            rulebook = load_version(entry, roots=roots, read=read)
            validate_rulebook(rulebook)
            versions.append(rulebook)
    if not versions:
        raise RulebookError(folder, "", "no versions")
    return validate_versions(jurisdiction, folder, versions)


def load_version(location: Path, *, roots: tuple[Path, ...], read: dict[Path, Stamp] | None = None) -> Rulebook:
    data, sources = _read_resolved(location, roots, chain=(), read=read if read is not None else {})
    jurisdiction = location.parent.name
    version_name = location.stem if location.is_file() else location.name
    if "effective_from" not in data:
        raise RulebookError(sources.get("effective_from") or location, "effective_from", "missing value")
    effective_from = _date(data, sources, "effective_from", required=False)
    effective_until = _date(data, sources, "effective_until", required=False)
    return Rulebook(
        id=f"{jurisdiction}/{version_name}",
        jurisdiction=jurisdiction,
        effective_from=effective_from or UNKNOWN_START,
        effective_until=effective_until,
        start_stated=effective_from is not None,
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
    location: Path, roots: tuple[Path, ...], chain: tuple[Path, ...], read: dict[Path, Stamp]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A version's data with everything it ``extends`` underneath, following the chain to its root
    (a county's second version extends its first, which extends the city's)."""
    data, sources = _read_version(location, read)
    parent = data.pop("extends", None)
    removed = data.pop("remove", None)
    if parent is None:
        if removed is not None:
            raise RulebookError(sources["remove"], "remove", "nothing to remove: the version extends none")
        return data, sources
    base_location = _find_version(str(parent), roots, location, read)
    if base_location.resolve() in chain or base_location.resolve() == location.resolve():
        raise RulebookError(sources.get("extends", location), "extends", f"'{parent}' extends back to itself")
    base, base_sources = _read_resolved(base_location, roots, (*chain, location.resolve()), read)
    if removed is not None:
        _remove(base, base_sources, removed, file=sources["remove"], parent=str(parent))
    return _merge(base, data), {**base_sources, **sources}


# The keys by which a path of ``remove:`` names an entry of a list: a method or role by its name, a situation
# or exemption by its number, a step by its code.
ENTRY_KEYS = ("name", "number", "code")


def _remove(base: dict[str, Any], sources: dict[str, str], paths: Any, *, file: str, parent: str) -> None:
    """Take out of the inherited ``base`` what ``remove:`` names, a dotted path each: a section
    (``referral``), a key of a mapping (``consequences.unit_points.monthly.通报批评``) or an entry of a list
    by its name, number or code (``exemptions.3``, ``methods.公开道歉``). What the version then states of its
    own is merged after, so it can remove an entry and give another; what it leaves wrong (a rule still naming
    a removed method) the checks of the whole version refuse."""
    if not isinstance(paths, list) or not paths:
        raise RulebookError(file, "remove", "must be a list of paths (exemptions.3, methods.公开道歉)")
    for index, path in enumerate(paths):
        key = f"remove[{index}]"
        if not isinstance(path, str | int) or isinstance(path, bool) or not str(path).strip():
            raise RulebookError(file, key, f"must be a dotted path, not '{path}'")
        parts = str(path).strip().split(".")
        node: Any = base
        for depth, part in enumerate(parts):
            position = _position(node, part)
            if position is None:
                where = ".".join(parts[: depth + 1])
                raise RulebookError(file, key, f"'{where}' is not in {parent}: nothing to remove")
            if depth < len(parts) - 1:
                node = node[position]
        del node[position]
        if len(parts) == 1:
            sources.pop(parts[0], None)


def _position(node: Any, part: str) -> Any:
    """Where ``part`` is in ``node``: the key of a mapping, or the index of the list entry it names."""
    if isinstance(node, dict):
        return part if part in node else None
    if isinstance(node, list):
        for index, entry in enumerate(node):
            if isinstance(entry, dict) and any(key in entry and str(entry[key]) == part for key in ENTRY_KEYS):
                return index
    return None


def _read_version(location: Path, read: dict[Path, Stamp]) -> tuple[dict[str, Any], dict[str, str]]:
    read[location] = stamp(location)  # a folder: its listing (a file added or removed); a file: itself
    files = sorted(location.glob("*.y*ml")) if location.is_dir() else [location]
    data: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for path in files:
        read[path] = stamp(path)
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


def _find_version(name: str, roots: tuple[Path, ...], child: Path, read: dict[Path, Stamp]) -> Path:
    for root in roots:
        for candidate in (root / name, root / f"{name}.yaml"):
            read[candidate] = stamp(candidate)  # one appearing earlier in the search would be found instead
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


# --- a long-running process's rulebooks -------------------------------------------------------------


@dataclass
class _Entry:
    loaded: RulebookSet | RulebookError
    read: dict[Path, Stamp]  # every path the load looked at, with its stamp
    checked: float  # when the stamps were last found unchanged (the cache's clock)


class RulebookCache:
    """Each jurisdiction's rulebook set, read and validated once, kept until one of its files changes.

    An entry remembers every path its load looked at (load_rulebooks' ``read``: each version's files,
    the folders it listed — a file added to or removed from a folder changes the folder's stamp — and
    the places where an ``extends`` was searched), each with its stamp. A call within ``check_every``
    seconds of the entry's last check answers from memory and touches no file; the first call after
    that stats those paths again (a dozen ``stat`` calls: no directory walk, no YAML) and reads the
    rulebook again only when a stamp differs. So a page that asks the rulebook once per row costs
    nothing per row, a busy process stats each jurisdiction's files at most once a second, and an
    edited, added or removed file is seen within ``check_every`` seconds by every process that reads
    through its cache (the site's workers, the upload worker, a command), with no restart and no
    signal between them. A rulebook that fails to load is kept the same way: its error is raised again,
    without reading it again, until one of the paths its load looked at changes.

    Thread-safe: checks and loads run under one lock, answers from memory take none. ``clock`` is
    ``time.monotonic`` unless a test gives its own; ``size`` bounds the entries (least recently used
    go first).
    """

    def __init__(
        self, *, check_every: float = 1.0, clock: Callable[[], float] = time.monotonic, size: int = 64
    ) -> None:
        self.check_every = check_every
        self.clock = clock
        self.size = size
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, jurisdiction: str, root: Path | str) -> RulebookSet:
        """load_rulebooks(jurisdiction, root), from memory while its files are unchanged."""
        key = (jurisdiction, str(root))
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry.checked >= self.check_every:
            entry = self._checked(key)
        if isinstance(entry.loaded, RulebookError):
            error = entry.loaded
            raise RulebookError(error.file, error.key, error.problem)
        return entry.loaded

    def expire(self) -> None:
        """Make the next call of each entry check its files at once (for a caller that has just written
        a rulebook and must read it back within the same second)."""
        with self._lock:
            for entry in self._entries.values():
                entry.checked = -float("inf")

    def _checked(self, key: tuple[str, str]) -> _Entry:
        with self._lock:
            now = self.clock()
            entry = self._entries.get(key)
            if entry is not None and now - entry.checked < self.check_every:
                return entry  # another thread checked it meanwhile
            if entry is not None and all(stamp(path) == known for path, known in entry.read.items()):
                entry.checked = now
            else:
                entry = self._read(key, now)
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return entry

    @staticmethod
    def _read(key: tuple[str, str], now: float) -> _Entry:
        read: dict[Path, Stamp] = {}
        loaded: RulebookSet | RulebookError
        try:
            loaded = load_rulebooks(key[0], Path(key[1]), read=read)
        except RulebookError as error:
            loaded = error
        return _Entry(loaded, read, now)
