"""Who may download which document or workbook: a file shows no more than the page it comes from, so each
helper is the access helper of that page (duban.scoring.access, duban.ledger.access, …)."""

from __future__ import annotations

from duban.accounts.models import Jurisdiction
from duban.scoring.access import access_all_unit_scores, access_personnel_consequences


def access_score_workbooks(user, jurisdiction: Jurisdiction) -> bool:
    """The ranking's and the assessment's workbooks (every unit's deductions with their decisions): those who
    read every unit's score page — the office and the chain's top (the public ranking shows points only)."""
    return access_all_unit_scores(user, jurisdiction)


def access_hr_workbook(user, jurisdiction: Jurisdiction) -> bool:
    """The HR office's workbook of personal consequences: the readers of the assessment's personnel section."""
    return access_personnel_consequences(user, jurisdiction)
