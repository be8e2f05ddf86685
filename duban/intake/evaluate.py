"""Score an extraction against hand-made gold labels: precision, recall and F1 per field.

    python -m duban.intake.evaluate GOLD.json PRED.json
    python -m duban.intake.evaluate GOLD.json DOCUMENT.txt   (extracts the document first)

Documents are matched by 发文字号, else by title (normalised, then by containment). Each field is
then a set (a multiset for targets and deadlines) of facts keyed by the gold document they belong
to, so a fact found in the wrong document or task counts as both a false positive and a miss:
- documents: one fact per document;
- doc_no, title, issuer, date, kind, attachment_of: per document, non-empty values;
- tasks: (document, ref); lead_units / units: (document, ref, unit as printed);
- targets: (document, task ref or "", year, comparator, value, unit);
- deadlines: (document, task ref or "", date);
- targets_anywhere / deadlines_anywhere: the same without the task ref (found, maybe misplaced).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIELDS = (
    "documents",
    "doc_no",
    "title",
    "issuer",
    "date",
    "kind",
    "attachment_of",
    "tasks",
    "lead_units",
    "units",
    "targets",
    "deadlines",
    "targets_anywhere",
    "deadlines_anywhere",
)

# Gold labels and predictions are JSON read from files (or an extraction): objects whose keys
# follow the extraction contract, but nothing checks them before they are scored.
Document = Mapping[str, Any]
# One fact: the gold document it belongs to, then what identifies it (see the module docstring).
Fact = tuple[object, ...]


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(text: object) -> str:
    return re.sub(r"[\s　]", "", str(text)) if text is not None else ""


def _title_key(title: object) -> str:
    return re.sub(r"[\s《》“”\"'‘’（）()、，,。：:—\-]", "", str(title or ""))


def match_documents(gold: Sequence[Document], pred: Sequence[Document]) -> dict[int, int]:
    """gold index → pred index."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    passes: tuple[Callable[[Document, Document], bool], ...] = (
        lambda g, p: bool(g.get("doc_no")) and _norm(g.get("doc_no")) == _norm(p.get("doc_no")),
        lambda g, p: _title_key(g.get("title")) == _title_key(p.get("title")) and bool(_title_key(g.get("title"))),
        lambda g, p: _contains(_title_key(g.get("title")), _title_key(p.get("title"))),
    )
    for same in passes:
        for gi, g in enumerate(gold):
            if gi in matched:
                continue
            for pi, p in enumerate(pred):
                if pi not in used and same(g, p):
                    matched[gi] = pi
                    used.add(pi)
                    break
    return matched


def _contains(a: str, b: str) -> bool:
    if len(a) < 6 or len(b) < 6:
        return False
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_)


def _value(value: object) -> str:
    try:
        # Any JSON value may stand here; float() of one that is not a number raises, caught below.
        return f"{float(value):.6g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _norm(value)


def _facts(documents: Sequence[Document], ids: list[str]) -> dict[str, Counter[Fact]]:
    facts: dict[str, Counter[Fact]] = {name: Counter() for name in FIELDS}
    for doc_id, document in zip(ids, documents, strict=False):
        facts["documents"][(doc_id,)] += 1
        for name in ("doc_no", "title", "issuer", "date", "kind", "attachment_of"):
            value = document.get(name)
            if value:
                facts[name][(doc_id, _norm(value))] += 1
        owners = [("", document)] + [(task.get("ref", ""), task) for task in document.get("tasks") or []]
        for task in document.get("tasks") or []:
            ref = _norm(task.get("ref"))
            facts["tasks"][(doc_id, ref)] += 1
            for name in ("lead_units", "units"):
                for unit in dict.fromkeys(_norm(u) for u in task.get(name) or []):
                    facts[name][(doc_id, ref, unit)] += 1
        for ref, owner in owners:
            ref = _norm(ref)
            for target in owner.get("targets") or []:
                key = (
                    target.get("year"),
                    target.get("comparator"),
                    _value(target.get("value")),
                    _norm(target.get("unit")),
                )
                facts["targets"][(doc_id, ref, *key)] += 1
                facts["targets_anywhere"][(doc_id, *key)] += 1
            for deadline in owner.get("deadlines") or []:
                facts["deadlines"][(doc_id, ref, deadline.get("date"))] += 1
                facts["deadlines_anywhere"][(doc_id, deadline.get("date"))] += 1
    return facts


def evaluate(gold: Document, pred: Document) -> dict[str, Score]:
    gold_docs = gold.get("documents") or []
    pred_docs = pred.get("documents") or []
    matched = match_documents(gold_docs, pred_docs)
    gold_ids = [f"g{i}" for i in range(len(gold_docs))]
    by_pred = {pi: gi for gi, pi in matched.items()}
    pred_ids = [f"g{by_pred[pi]}" if pi in by_pred else f"p{pi}" for pi in range(len(pred_docs))]
    gold_facts = _facts(gold_docs, gold_ids)
    pred_facts = _facts(pred_docs, pred_ids)
    scores: dict[str, Score] = {}
    for name in FIELDS:
        g, p = gold_facts[name], pred_facts[name]
        tp = sum((g & p).values())
        scores[name] = Score(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)
    return scores


def differences(gold: Document, pred: Document, field: str) -> tuple[list[Fact], list[Fact]]:
    """(missed facts, spurious facts) of one field, for reading what went wrong."""
    gold_docs = gold.get("documents") or []
    pred_docs = pred.get("documents") or []
    matched = match_documents(gold_docs, pred_docs)
    by_pred = {pi: gi for gi, pi in matched.items()}
    g = _facts(gold_docs, [f"g{i}" for i in range(len(gold_docs))])[field]
    p = _facts(pred_docs, [f"g{by_pred[i]}" if i in by_pred else f"p{i}" for i in range(len(pred_docs))])[field]
    return sorted((g - p).elements(), key=str), sorted((p - g).elements(), key=str)


def format_scores(scores: dict[str, Score]) -> str:
    lines = [f"{'field':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for name, score in scores.items():
        lines.append(
            f"{name:<20}{score.precision:>7.3f}{score.recall:>7.3f}{score.f1:>7.3f}{score.tp:>6}{score.fp:>5}{score.fn:>5}"
        )
    return "\n".join(lines)


def _load_prediction(path: Path) -> Document:
    if path.suffix.lower() == ".json":
        prediction: Document = json.loads(path.read_text(encoding="utf-8"))
        return prediction
    from duban.intake.extract import extract_file

    return extract_file(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m duban.intake.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred", type=Path, help="extraction JSON, or a document to extract")
    parser.add_argument("--show", action="append", default=[], help="print missed/spurious facts of a field")
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    pred = _load_prediction(args.pred)
    print(format_scores(evaluate(gold, pred)))
    for field in args.show:
        missed, spurious = differences(gold, pred, field)
        print(f"\n{field}: missed {missed}\n{field}: spurious {spurious}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
