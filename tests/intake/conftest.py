from pathlib import Path

import pytest
from intake_paths import SEED


@pytest.fixture(scope="session")
def seed_path() -> Path:
    # The seed is the system's first real input: its absence is a broken checkout, not a skip.
    assert SEED.exists(), f"the shared seed gazette is missing: {SEED} (../shared beside the repository)"
    return SEED


@pytest.fixture(scope="session")
def seed_extraction(seed_path):
    from duban.intake.extract import extract_file

    return extract_file(seed_path)
