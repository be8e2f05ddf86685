"""RulebookCache: a jurisdiction's rulebook is read once, answered from memory, and read again only when
one of the files or folders it was read from changes — an edit, an added or removed file, an added
version, a change to the version it extends, a file saved by renaming a new one over it — and its files
are looked at no more than once per ``check_every`` seconds (a clock the test moves by hand)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from duban import RULEBOOKS_DIR
from duban.rules import loader
from duban.rules.loader import RulebookCache, RulebookError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Counted:
    """How many YAML documents were parsed and how many paths stamped since the last reset."""

    def __init__(self, monkeypatch) -> None:
        self.parses = self.stamps = 0
        parse, stamp = loader.yaml.load, loader.stamp

        def counted_parse(*args, **kwargs):
            self.parses += 1
            return parse(*args, **kwargs)

        def counted_stamp(path):
            self.stamps += 1
            return stamp(path)

        monkeypatch.setattr(loader.yaml, "load", counted_parse)
        monkeypatch.setattr(loader, "stamp", counted_stamp)

    def reset(self) -> None:
        self.parses = self.stamps = 0


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the real rulebooks (the city's folder version, the county's extending it)."""
    copy = tmp_path / "rulebooks"
    shutil.copytree(RULEBOOKS_DIR, copy)
    return copy


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock) -> RulebookCache:
    return RulebookCache(check_every=1.0, clock=clock)


@pytest.fixture
def counted(monkeypatch) -> Counted:
    return Counted(monkeypatch)


def window(cache: RulebookCache, root: Path, jurisdiction: str = "zhumadian") -> int:
    return int(cache.load(jurisdiction, root).latest().value("appeal.window_days"))


def edit(path: Path, old: str, new: str) -> None:
    """Change a file in place and give it a later modification time, as a save a moment later does (a
    change within the file system's timestamp granularity is told apart by its size, below)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    before = path.stat()
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))


def later(clock: Clock, seconds: float = 1.0) -> None:
    clock.now += seconds


def test_it_reads_once_and_answers_from_memory_within_the_second(cache, root, clock, counted):
    first = cache.load("zhumadian", root)
    assert counted.parses == len(
        list((root / "zhumadian" / "2020-04-22").glob("*.yaml"))
    )  # each of the city's files once
    counted.reset()
    for _ in range(500):  # a page asking the rulebook for each of its rows
        assert cache.load("zhumadian", root) is first
    assert (counted.parses, counted.stamps) == (0, 0)


def test_after_the_second_it_stats_the_files_it_was_read_from_and_no_more(cache, root, clock, counted):
    first = cache.load("zhumadian", root)
    read = {}
    loader.load_rulebooks("zhumadian", root, read=read)
    counted.reset()
    later(clock)
    for _ in range(100):
        assert cache.load("zhumadian", root) is first
    assert counted.parses == 0
    assert counted.stamps == len(read)  # one look at each path, once, for the 100 calls
    assert root / "zhumadian" in read and root / "zhumadian" / "2020-04-22" in read  # the folders it listed
    assert len(read) < 15  # the version's files and folders, not a walk of the rulebooks folder


def test_an_edited_file_is_read_again(cache, root, clock):
    assert window(cache, root) == 15
    edit(
        root / "zhumadian" / "2020-04-22" / "procedure.yaml",
        "window_days:\n    value: 15",
        "window_days:\n    value: 30",
    )
    assert window(cache, root) == 15  # within the second: from memory
    later(clock)
    assert window(cache, root) == 30


def test_an_edit_of_another_size_is_seen_within_the_same_timestamp(cache, root, clock):
    assert window(cache, root) == 15
    path = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("value: 15\n", "value: 150\n"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same modification time
    later(clock)
    assert window(cache, root) == 150


def test_a_file_saved_by_renaming_a_new_one_over_it_is_read_again(cache, root, clock):
    assert window(cache, root) == 15
    path = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    saved = path.with_name(".procedure.yaml.swp")
    saved.write_text(path.read_text("utf-8").replace("value: 15\n", "value: 20\n"), "utf-8")
    os.utime(saved, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))  # even with the old time
    saved.replace(path)
    later(clock)
    assert window(cache, root) == 20


def test_an_added_and_a_removed_file_are_read_again(cache, root, clock):
    folder = root / "zhumadian" / "2020-04-22"
    assert "contacts" not in cache.load("zhumadian", root).latest().data
    (folder / "contacts.yaml").write_text("contacts:\n  office: {value: 督查室, reference: 第十条}\n", "utf-8")
    later(clock)
    with pytest.raises(RulebookError) as refused:  # read: a section the format has not
        cache.load("zhumadian", root)
    assert refused.value.file.endswith("contacts.yaml") and refused.value.key == "contacts"
    (folder / "contacts.yaml").unlink()
    later(clock)
    assert "contacts" not in cache.load("zhumadian", root).latest().data


def test_an_added_version_is_read_again(cache, root, clock):
    assert [v.id for v in cache.load("zhumadian", root).versions] == ["zhumadian/2020-04-22"]
    edit(
        root / "zhumadian" / "2020-04-22" / "rulebook.yaml",
        "effective_until:\n  value: null",
        "effective_until:\n  value: 2020-12-31",
    )
    (root / "zhumadian" / "2021-01-01.yaml").write_text(
        "extends: zhumadian/2020-04-22\n"
        "effective_from: {value: 2021-01-01, reference: 第十一条}\n"
        "effective_until: {value: null, reference: 第十一条}\n",
        "utf-8",
    )
    later(clock)
    assert [v.id for v in cache.load("zhumadian", root).versions] == ["zhumadian/2020-04-22", "zhumadian/2021-01-01"]


def test_a_change_to_the_version_a_county_extends_reaches_the_county(cache, root, clock):
    assert window(cache, root, "yicheng") == 15
    edit(
        root / "zhumadian" / "2020-04-22" / "procedure.yaml",
        "window_days:\n    value: 15",
        "window_days:\n    value: 10",
    )
    later(clock)
    assert window(cache, root, "yicheng") == 10


def test_a_removed_file_of_the_county_falls_back_to_what_it_extends(cache, root, clock):
    steps = len(cache.load("yicheng", root).latest().data["procedure"]["steps"])
    (root / "yicheng" / "2020-05-01" / "procedure.yaml").unlink()  # the county's own chain
    later(clock)
    city_steps = cache.load("zhumadian", root).latest().data["procedure"]["steps"]
    assert len(cache.load("yicheng", root).latest().data["procedure"]["steps"]) == len(city_steps) != steps


def test_a_broken_rulebook_is_refused_without_being_read_again_until_it_changes(cache, root, clock, counted):
    path = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    text = path.read_text("utf-8")
    edit(path, "window_days:\n    value: 15", "window_days:\n    value: [15")
    for _ in range(3):
        with pytest.raises(RulebookError, match=r"procedure\.yaml: not valid YAML"):
            cache.load("zhumadian", root)
    counted.reset()
    later(clock)
    with pytest.raises(RulebookError, match="not valid YAML"):
        cache.load("zhumadian", root)
    assert counted.parses == 0
    path.write_text(text, "utf-8")
    later(clock)
    assert window(cache, root) == 15


def test_a_jurisdiction_without_a_folder_is_seen_once_its_folder_appears(cache, root, clock):
    with pytest.raises(RulebookError, match="no rulebook for jurisdiction 'xiping'"):
        cache.load("xiping", root)
    shutil.copytree(Path(__file__).parent / "fixtures" / "xiping", root / "xiping")
    later(clock)
    assert len(cache.load("xiping", root).versions) == 2


def test_the_entries_are_bounded(root, clock):
    cache = RulebookCache(clock=clock, size=2)
    for jurisdiction in ("zhumadian", "yicheng", "zhumadian", "yicheng"):
        cache.load(jurisdiction, root)
    shutil.copytree(root, root.parent / "other")
    cache.load("zhumadian", root.parent / "other")
    assert len(cache._entries) == 2


def test_expire_makes_the_next_call_look_at_once(cache, root, clock):
    assert window(cache, root) == 15
    edit(
        root / "zhumadian" / "2020-04-22" / "procedure.yaml",
        "window_days:\n    value: 15",
        "window_days:\n    value: 30",
    )
    cache.expire()
    assert window(cache, root) == 30
