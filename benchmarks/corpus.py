"""How well `duban extract` reads documents it was not written for: the labelled corpus of real documents
of other places (../shared/corpus: texts, hand-made gold, and its scorer score.py, used as it is).

    .venv/bin/python benchmarks/corpus.py          # `make corpus`: F1 per field, per document and the means
    .venv/bin/python benchmarks/corpus.py --json   # the same as JSON

A document duban refuses (exit 2 on the command line) scores as an empty reading. The means are held
above floors by tests/intake/test_corpus_floors.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("doc_fields", "tasks", "units", "lead_units", "targets", "deadlines")

sys.path.insert(0, str(ROOT))

from duban.errors import InputError  # noqa: E402
from duban.intake.extract import extract_file  # noqa: E402


def scorer(corpus: Path = CORPUS):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def _value(figure) -> float:
    return figure[0] if isinstance(figure, tuple | list) else figure


def corpus_scores(corpus: Path = CORPUS) -> dict[str, dict[str, float]]:
    """{document name: {field: F1}} for every labelled text of the corpus."""
    score = scorer(corpus)
    scores = {}
    for text in sorted((corpus / "docs").glob("*.txt")):
        gold = json.loads((corpus / "gold" / f"{text.stem}.json").read_text(encoding="utf-8"))
        try:
            pred = extract_file(text)
        except InputError:
            pred = {"documents": []}
        scores[text.stem] = {field: round(_value(value), 4) for field, value in score(pred, gold).items()}
    return scores


def means(scores: dict[str, dict[str, float]]) -> dict[str, float]:
    return {field: round(sum(s[field] for s in scores.values()) / len(scores), 4) for field in FIELDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if not (CORPUS / "score.py").is_file():
        print(f"corpus: {CORPUS} not found (the shared folder beside the repository)", file=sys.stderr)
        return 2
    scores = corpus_scores()
    mean = means(scores)
    if args.json:
        print(json.dumps({"documents": scores, "mean": mean}, ensure_ascii=False, indent=2))
        return 0
    width = max(len(name) for name in scores)
    print(f"{'document':<{width}}  " + "  ".join(f"{f:>10}" for f in FIELDS))
    for name, row in scores.items():
        print(f"{name:<{width}}  " + "  ".join(f"{row[f]:>10.2f}" for f in FIELDS))
    print(f"{'mean':<{width}}  " + "  ".join(f"{mean[f]:>10.2f}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
