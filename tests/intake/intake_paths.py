"""Where the intake tests find their inputs: the shared seed beside the repository, the fixtures."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED = REPO.parent / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
FIXTURES = REPO / "tests" / "fixtures" / "documents"
GOLD = HERE / "gold"
