"""Where the intake tests find their inputs: the shared seed and corpus beside the repository, the fixtures."""

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED = REPO.parent / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
FIXTURES = REPO / "tests" / "fixtures" / "documents"
GOLD = HERE / "gold"
CORPUS = REPO.parent / "shared" / "corpus"
REGIONAL = REPO / "tests" / "fixtures" / "regional"


def load_module(name: str, path: Path):
    """A script that is no package module (benchmarks/corpus.py, a checker beside its data) as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_measure():
    """benchmarks/corpus.py: corpus_scores(DIR, refused) and means(scores), as `make corpus` runs them."""
    return load_module("corpus_measure", REPO / "benchmarks" / "corpus.py")
