"""Who may read and download the reports of duban.reports, one condition per line.

督查通报 (every reporting cycle): the figures of the whole ledger with the 督办单 and the decisions of
通报批评 and 公开曝光, so those who read the whole jurisdiction's tasks and cases — its 督查室, 副总督查,
总督查 and 督查落实委员会 (ledger.access.WHOLE_JURISDICTION_READERS, accountability's JURISDICTION_READERS)
— and the system administrator. A document shows no more than the page it comes from.
"""

from __future__ import annotations

from duban.accounts.access import access_office_or_administrator, access_role_in
from duban.accounts.models import Jurisdiction
from duban.ledger.access import WHOLE_JURISDICTION_READERS


def access_tongbao(user, jurisdiction: Jurisdiction) -> bool:
    """The 督查通报 page of ``jurisdiction``, its periods and their Word and Excel files."""
    if access_office_or_administrator(user, jurisdiction):
        return True
    return any(access_role_in(user, role, jurisdiction) for role in WHOLE_JURISDICTION_READERS)
