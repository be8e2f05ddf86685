"""How well `duban extract` reads documents it was not written for: the labelled corpus of real documents
of other places (../shared/corpus: texts, hand-made gold, and its scorer score.py, used as it is), or any
folder laid out the same way (docs/*.txt and gold/*.json), such as the regional fixtures of
tests/fixtures/regional; the scorer is always the shared corpus's score.py.

    .venv/bin/python benchmarks/corpus.py                                   # F1 per field, per document, means
    .venv/bin/python benchmarks/corpus.py --corpus tests/fixtures/regional  # the regional fixtures
    .venv/bin/python benchmarks/corpus.py --json                            # the same as JSON

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
REGIONAL = ROOT / "tests" / "fixtures" / "regional"
FIELDS = ("doc_fields", "tasks", "units", "lead_units", "targets", "deadlines")

sys.path.insert(0, str(ROOT))

from duban.errors import InputError  # noqa: E402
from duban.intake.extract import extract_file  # noqa: E402


def scorer(corpus: Path = CORPUS):
    """The score function of the shared corpus's score.py (whichever texts are scored)."""
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def _value(figure) -> float:
    return figure[0] if isinstance(figure, tuple | list) else figure


def corpus_scores(corpus: Path = CORPUS, refused: list[str] | None = None) -> dict[str, dict[str, float]]:
    """{document name: {field: F1}} for every labelled text of the corpus (a folder with docs/ and gold/); the
    names of the texts duban refused are added to `refused` when given."""
    corpus = Path(corpus)
    score = scorer()
    scores = {}
    for text in sorted((corpus / "docs").glob("*.txt")):
        gold = json.loads((corpus / "gold" / f"{text.stem}.json").read_text(encoding="utf-8"))
        try:
            pred = extract_file(text)
        except InputError:
            pred = {"documents": []}
            if refused is not None:
                refused.append(text.stem)
        scores[text.stem] = {field: round(_value(value), 4) for field, value in score(pred, gold).items()}
    return scores


def means(scores: dict[str, dict[str, float]]) -> dict[str, float]:
    return {field: round(sum(s[field] for s in scores.values()) / len(scores), 4) for field in FIELDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        metavar="DIR",
        help="a folder with docs/ and gold/ (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if not (CORPUS / "score.py").is_file():
        print(f"corpus: {CORPUS} not found (the shared folder beside the repository)", file=sys.stderr)
        return 2
    if not (args.corpus / "docs").is_dir() or not (args.corpus / "gold").is_dir():
        print(f"corpus: {args.corpus} has no docs/ and gold/ folders", file=sys.stderr)
        return 2
    scores = corpus_scores(args.corpus)
    if not scores:
        print(f"corpus: {args.corpus / 'docs'} holds no .txt file", file=sys.stderr)
        return 2
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
