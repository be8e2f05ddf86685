"""duban (督办): gazette intake, task ledger, and 驻政〔2020〕24号 applied as code."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
RULEBOOKS_DIR = PROJECT_DIR / "rulebooks"
DIRECTORIES_DIR = PROJECT_DIR / "directories"
