"""The only writes of accountability, one module per entity; each write is keyword-only, in a
transaction, with an audit row in the same transaction.

- matters: 督查事项
- decisions: 问责决定 and their status (第八条第（三）项, 第七条)
- cases: the 第八条 chain, from 立案 to the committee's decision
- letters: 督查问责意见书
- appeals: 申诉复核
- referrals: 移送处理
- rectification: 整改 (第九条第（一）项)
- reminders: who is told when a case reaches them, a letter is served, an appeal is filed or decided,
  a rectification is due (a daily job)

Reads (appeal deadlines, referral routes, …) are in duban.accountability.selectors.
Callers import from the package: ``from duban.accountability import services``.
"""

from duban.accountability.services.appeals import APPEAL_CHANGEABLE_FIELDS, appeal_decide, appeal_file
from duban.accountability.services.cases import (
    CASE_EDITABLE_FIELDS,
    case_agree,
    case_open,
    case_open_from_task,
    case_return,
    case_update_investigation,
    case_withdraw,
)
from duban.accountability.services.decisions import (
    DECISION_CORRECTABLE_FIELDS,
    decision_appeal,
    decision_correct,
    decision_create,
    decision_exempt,
    decision_import_historical,
    decision_revoke,
    decision_set_sanction,
    decision_uphold,
)
from duban.accountability.services.letters import case_letter_issue, decision_letter_received
from duban.accountability.services.matters import MATTER_UPDATABLE_FIELDS, matter_create, matter_update
from duban.accountability.services.rectification import rectification_create, rectification_report, rectification_review
from duban.accountability.services.referrals import referral_create, referral_record_result
from duban.accountability.services.reminders import rectification_reminders

__all__ = [
    "APPEAL_CHANGEABLE_FIELDS",
    "CASE_EDITABLE_FIELDS",
    "DECISION_CORRECTABLE_FIELDS",
    "MATTER_UPDATABLE_FIELDS",
    "appeal_decide",
    "appeal_file",
    "case_agree",
    "case_letter_issue",
    "case_open",
    "case_open_from_task",
    "case_return",
    "case_update_investigation",
    "case_withdraw",
    "decision_appeal",
    "decision_correct",
    "decision_create",
    "decision_exempt",
    "decision_import_historical",
    "decision_letter_received",
    "decision_revoke",
    "decision_set_sanction",
    "decision_uphold",
    "matter_create",
    "matter_update",
    "rectification_create",
    "rectification_reminders",
    "rectification_report",
    "rectification_review",
    "referral_create",
    "referral_record_result",
]
