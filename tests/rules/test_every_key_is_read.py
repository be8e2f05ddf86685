"""Every key of the real rulebooks is read by code: each is named by the engine, the validator or a page
that shows it. A key no code names is a parameter nobody applies — remove it, or read it. The format's
vocabulary (duban/rules/vocabulary.yaml, what the loader accepts) holds the same: each key it lists is named by
the code, and each key of the real rulebooks is in it."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from duban import PACKAGE_DIR, RULEBOOKS_DIR
from duban.rules.loader import load_rulebooks
from duban.rules.validation import folded_keys, unknown_keys, vocabulary

WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def rulebook_keys(node) -> set[tuple[str, str]]:
    """(key, where) for every mapping key, list items folded into [], the keys of data-keyed maps left out
    (the loader's own folding: validation.folded_keys)."""
    return {(where.rpartition(".")[2], where) for where, _ in folded_keys(node) if not where.endswith("*")}


def words_named_by_code() -> set[str]:
    """Words inside Python string literals and template expressions under duban/ (the code that reads)."""
    words: set[str] = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        previous = None
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if token.type == tokenize.STRING:  # "appeal.window_days", f"…{kind}.{m}", item["text"]
                words |= set(WORD.findall(token.string))
            elif token.type == tokenize.NAME and previous is not None and previous.string == ".":
                words.add(token.string)  # attribute access: rulebook.rules, step.text …
            previous = token
    for path in PACKAGE_DIR.rglob("*.html"):
        for expression in re.findall(r"{[{%](.*?)[}%]}", path.read_text(encoding="utf-8"), flags=re.S):
            words |= set(WORD.findall(expression))
    return words


@pytest.mark.parametrize("jurisdiction", sorted(p.name for p in Path(RULEBOOKS_DIR).iterdir() if p.is_dir()))
def test_every_key_of_the_rulebook_is_named_by_code_that_reads_it(jurisdiction):
    named = words_named_by_code()
    for version in load_rulebooks(jurisdiction).versions:
        unread = sorted(where for key, where in rulebook_keys(version.data) if key not in named)
        assert not unread, f"{version.id}: keys no code reads: {unread}"


def test_the_check_notices_a_key_nobody_reads():
    assert ("monthly_bonus_points", "scoring.monthly_bonus_points") in rulebook_keys(
        {"scoring": {"monthly_bonus_points": {"value": 5, "reference": "第九条"}}}
    )
    assert "monthly_bonus_points" not in words_named_by_code()


@pytest.mark.parametrize("jurisdiction", sorted(p.name for p in Path(RULEBOOKS_DIR).iterdir() if p.is_dir()))
def test_every_key_of_the_real_rulebooks_is_in_the_formats_vocabulary(jurisdiction):
    for version in load_rulebooks(jurisdiction).versions:
        assert unknown_keys(version) == [], version.id


def test_every_key_of_the_vocabulary_is_named_by_code_that_reads_it():
    named = words_named_by_code()
    data, params, keys = vocabulary()
    listed = {part for path in (*params, *keys, *data) for part in re.split(r"[.\[\]*]+", path) if part}
    assert sorted(listed - named) == []
