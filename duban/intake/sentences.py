"""Sentence splitting shared by the target and deadline readers (so both see the same sentences)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"[。！？；]")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the paragraph


def sentences(paragraph: str) -> list[Sentence]:
    """Sentences of a paragraph, ending punctuation included, brackets respected."""
    result: list[Sentence] = []
    depth = 0
    opened = 0
    start = 0
    for index, ch in enumerate(paragraph):
        if ch in "（(《“":
            if depth == 0:
                opened = index
            depth += 1
        elif ch in "）)》”" and depth:
            depth -= 1
        elif depth and index - opened > 150:
            depth = 0  # an unbalanced bracket or quote (PDF damage) must not swallow the paragraph
        if depth == 0 and _END.match(ch):
            result.append(Sentence(paragraph[start : index + 1], start))
            start = index + 1
    if start < len(paragraph) and paragraph[start:].strip():
        result.append(Sentence(paragraph[start:], start))
    return result
