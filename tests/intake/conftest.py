from pathlib import Path

import pytest

SEED = Path("/work/shared/seeds/zhumadian-gazette-2020-04.txt")
HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "documents"
GOLD = HERE / "gold"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the shared seed gazette is not available")
    return SEED


@pytest.fixture(scope="session")
def seed_extraction(seed_path):
    from duban.intake.extract import extract_file

    return extract_file(seed_path)
