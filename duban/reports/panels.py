"""The download buttons reports puts on the pages documents come from (duban.panels.DOWNLOADS): each link
shown only to whom its access helper lets download it, so the button and the download agree."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from duban.reports import access
from duban.reports.notices import notice_methods


def _link(label: str, url: str) -> dict[str, str]:
    return {"label": label, "url": url}


def _order(user, *, order, **_) -> list[dict[str, str]]:
    if not access.access_order_document(user, order):
        return []
    return [_link("下载督办单（Word）", reverse("documents:order", args=[order.pk]))]


def _letter(user, *, decision, **_) -> list[dict[str, str]]:
    links = []
    if access.access_opinion_letter_document(user, decision):
        links.append(_link("下载意见书（Word）", reverse("documents:opinion_letter", args=[decision.pk])))
    methods = notice_methods(decision)
    if methods and access.access_criticism_notice_document(user, decision):
        label = f"下载{'、'.join(methods)}通报（Word）"
        links.append(_link(label, reverse("documents:criticism_notice", args=[decision.pk])))
    return links


def _ranking(user, *, jurisdiction, month, **_) -> list[dict[str, str]]:
    if jurisdiction is None:
        return []
    query = urlencode({"j": jurisdiction.code, "month": month})
    links = []
    if access.access_ranking_notice_document(user, jurisdiction):
        links.append(_link("下载排名通报（Word）", f"{reverse('documents:ranking_notice')}?{query}"))
    if access.access_score_workbooks(user, jurisdiction):
        links.append(_link("导出 Excel（排名与扣分明细）", f"{reverse('score_exports:ranking')}?{query}"))
    return [*links, *_templates(user, jurisdiction)] if links else []


def _templates(user, jurisdiction) -> list[dict[str, str]]:
    if not access.access_templates_manage(user, jurisdiction):
        return []
    return [_link("公文模板", reverse("documents:templates"))]


def _assessment(user, *, jurisdiction, year, **_) -> list[dict[str, str]]:
    if jurisdiction is None:
        return []
    query = urlencode({"j": jurisdiction.code, "year": year})
    links = []
    if access.access_assessment_document(user, jurisdiction):
        links.append(_link("下载考核情况表（Word）", f"{reverse('documents:assessment')}?{query}"))
    if access.access_score_workbooks(user, jurisdiction):
        links.append(_link("导出 Excel（考核与扣分明细）", f"{reverse('score_exports:assessment')}?{query}"))
    return [*links, *_templates(user, jurisdiction)] if links else []


PAGES = {
    "ledger.order": _order,
    "accountability.letter": _letter,
    "web.home": _ranking,
    "scoring.assessment": _assessment,
}


def downloads_panel(request, *, page: str, **objects: Any) -> dict[str, Any] | None:
    links = PAGES.get(page, lambda user, **_: [])(request.user, **objects)
    return {"links": links} if links else None
