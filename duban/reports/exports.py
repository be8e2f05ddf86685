"""The exports duban writes, stated once: each KIND, what it is for, which argument names its subject
and the writer of each file type. The pages' download buttons and `duban export` both go through
`export_bytes`, so a document downloaded from a page and one written by a scheduled job are the same.

A writer is a function ``writer(request: ExportRequest) -> bytes`` named here by its dotted path (the
table is read before Django is set up, so that the command line can refuse a bad argument at once).
A writer raises ``ExportError`` (a message in Chinese naming the problem) for what it cannot write:
a broken template, a decision that does not exist, a month with nothing to rank.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from duban.errors import InputError

DOCX = ".docx"
XLSX = ".xlsx"

# What names an export's subject: a month (YYYY-MM), a year, a decision, a 督办单, a reporting
# period (周 YYYY-Www, 月 YYYY-MM, 季 YYYY-Qn, 半年 YYYY-Hn, 年 YYYY), or nothing (the whole ledger).
MONTH, YEAR, DECISION, ORDER, PERIOD, NOTHING = "month", "year", "decision", "order", "period", "nothing"


class ExportError(InputError):
    """An export that cannot be written; the message (Chinese) names why."""


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    subject: str
    writers: dict[str, str]  # suffix → "module:function"


KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "ranking-notice",
            "督查事项月排名通报",
            MONTH,
            {DOCX: "duban.reports.notices:ranking_notice_docx", XLSX: "duban.reports.scores:ranking_xlsx"},
        ),
        ExportKind(
            "assessment",
            "年度综合目标考核（加减分事项）",
            YEAR,
            {DOCX: "duban.reports.notices:assessment_docx", XLSX: "duban.reports.scores:assessment_xlsx"},
        ),
        ExportKind(
            "tongbao",
            "督查通报",
            PERIOD,
            {DOCX: "duban.reports.tongbao:tongbao_docx", XLSX: "duban.reports.tongbao:tongbao_xlsx"},
        ),
        ExportKind(
            "criticism-notice",
            "通报批评／公开曝光",
            DECISION,
            {DOCX: "duban.reports.notices:criticism_notice_docx"},
        ),
        ExportKind("order", "督办单", ORDER, {DOCX: "duban.reports.notices:order_docx"}),
        ExportKind("opinion-letter", "督查问责意见书", DECISION, {DOCX: "duban.reports.notices:opinion_letter_docx"}),
        ExportKind("hr-consequences", "个人问责结果运用（人事）", YEAR, {XLSX: "duban.reports.scores:hr_xlsx"}),
        ExportKind("ledger", "督查台账", NOTHING, {XLSX: "duban.reports.ledger:ledger_xlsx"}),
        ExportKind("statistics", "统计图表数据", YEAR, {XLSX: "duban.dashboards.exports:statistics_xlsx"}),
    )
}


@dataclass(frozen=True)
class ExportRequest:
    """One export: of which jurisdiction, for what subject, by whom (None: the command line)."""

    kind: ExportKind
    jurisdiction: Any  # duban.accounts.models.Jurisdiction
    month: str | None = None
    year: int | None = None
    decision_id: int | None = None
    order_id: int | None = None
    period: str | None = None
    actor: Any = None  # the signed-in user; None from `duban export`
    as_of: dt.datetime | None = None


def kind_named(name: str) -> ExportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise ExportError(f"未知的导出类型：{name}（可用：{'、'.join(KINDS)}）")
    return kind


def writer_path(kind: ExportKind, suffix: str) -> str:
    """The dotted path of `kind`'s writer for `suffix`; ExportError naming the suffixes it offers."""
    path = kind.writers.get(suffix)
    if path is None:
        offered = "、".join(kind.writers)
        raise ExportError(f"{kind.label}（{kind.name}）不能导出为 {suffix or '无扩展名的文件'}，可用：{offered}")
    return path


def writer_of(kind: ExportKind, suffix: str):
    module_name, function_name = writer_path(kind, suffix).split(":")
    return getattr(importlib.import_module(module_name), function_name)


def export_bytes(request: ExportRequest, suffix: str) -> bytes:
    """The file of `request` as `suffix` (.docx or .xlsx)."""
    return writer_of(request.kind, suffix)(request)
