"""Who may download which Word document. A document shows no more than the page it comes from: each helper
starts from that page's own check (ledger, accountability, scoring), one condition per line. A document
that takes a 发文字号 (the notices of the ranking, the assessment, a decision's 通报批评 / 公开曝光) is the
office's to issue, so only the 督查室 of the jurisdiction (or the system administrator) downloads it.

督查通报 (every reporting cycle): the figures of the whole ledger with the 督办单 and the decisions of 通报批评
and 公开曝光, so those who read the whole jurisdiction's tasks and cases — its 督查室, 副总督查, 总督查 and
督查落实委员会 (ledger.access.WHOLE_JURISDICTION_READERS, accountability's JURISDICTION_READERS) — and the
system administrator read its pages and Excel; its Word file takes a 发文字号, so it is the office's."""

from __future__ import annotations

from duban.accountability.access import access_letter_read
from duban.accountability.models import Decision
from duban.accounts import roles
from duban.accounts.access import access_office_or_administrator, access_role_in
from duban.accounts.models import Jurisdiction
from duban.ledger.access import WHOLE_JURISDICTION_READERS, access_order_view
from duban.ledger.models import SupervisionOrder
from duban.scoring.access import access_all_unit_scores, access_assessment, access_personnel_consequences


def access_order_document(user, order: SupervisionOrder) -> bool:
    """督办单 (.docx): whoever reads the order's page."""
    return access_order_view(user, order)


def access_opinion_letter_document(user, decision: Decision) -> bool:
    """督查问责意见书 (.docx): whoever reads the letter's page (the party, the case's readers)."""
    return access_letter_read(user, decision)


def access_criticism_notice_document(user, decision: Decision) -> bool:
    """通报批评 / 公开曝光 notice: the office, which reads the decision's letter page."""
    if not access_office_or_administrator(user, decision.jurisdiction):
        return False
    return access_letter_read(user, decision)


def access_ranking_notice_document(user, jurisdiction: Jurisdiction) -> bool:
    """督查事项月排名 notice: the ranking is public; its notice is the office's to issue."""
    return access_office_or_administrator(user, jurisdiction)


def access_assessment_document(user, jurisdiction: Jurisdiction) -> bool:
    """年度综合目标考核 table: the office, among the readers of the assessment page."""
    if not access_office_or_administrator(user, jurisdiction):
        return False
    return access_assessment(user, jurisdiction)


def access_templates_manage(user, jurisdiction: Jurisdiction) -> bool:
    """The jurisdiction's Word templates: its 督查室 (or the system administrator) downloads and replaces them."""
    return access_office_or_administrator(user, jurisdiction)


# Who is offered the 督查通报 in the header (access_tongbao decides, per jurisdiction).
TONGBAO_READERS = (roles.OFFICE, *WHOLE_JURISDICTION_READERS)


def access_tongbao(user, jurisdiction: Jurisdiction) -> bool:
    """The 督查通报 pages of ``jurisdiction``, its periods and their Excel files."""
    if access_office_or_administrator(user, jurisdiction):
        return True
    return any(access_role_in(user, role, jurisdiction) for role in WHOLE_JURISDICTION_READERS)


def access_tongbao_document(user, jurisdiction: Jurisdiction) -> bool:
    """A period's Word 督查通报, numbered at its first download: the office's to issue."""
    return access_office_or_administrator(user, jurisdiction)


def access_score_workbooks(user, jurisdiction: Jurisdiction) -> bool:
    """The ranking's and the assessment's workbooks (every unit's deductions with their decisions): those who
    read every unit's score page — the office and the chain's top (the public ranking shows points only)."""
    return access_all_unit_scores(user, jurisdiction)


def access_hr_workbook(user, jurisdiction: Jurisdiction) -> bool:
    """The HR office's workbook of personal consequences: the readers of the assessment's personnel section."""
    return access_personnel_consequences(user, jurisdiction)
