"""Template filters of the ledger's pages: audit rows in words."""

from __future__ import annotations

from django import template

register = template.Library()

ACTIONS = {
    "ingest": "读取公报",
    "task_confirm": "确认入台账",
    "task_reject": "退回",
    "task_update": "审核修改",
    "task_assign": "交办",
    "deadline_add": "设置时限",
    "deadline_update": "调整时限",
    "task_mark_done": "办结",
    "progress_report_create": "报送进度",
    "order_issue": "签发督办单",
    "order_answer": "回复督办单",
}

FIELDS = {
    "title": "任务名称",
    "status": "状态",
    "lead_units": "牵头单位",
    "units": "责任单位",
    "deadlines": "完成时限",
    "review_note": "审核意见",
    "reporting_cycle": "报送周期",
    "owner": "经办人",
    "done_on": "办结日期",
    "done_note": "办结说明",
    "percent": "进度",
    "period": "周期",
    "text": "内容",
    "reason": "事由",
    "reply_by": "回复期限",
    "answer": "回复",
    "number": "编号",
}
VALUES = {
    "draft": "待审核",
    "confirmed": "已入台账",
    "rejected": "已退回",
    "monthly": "每月",
    "biweekly": "每半月",
    "weekly": "每周",
    "issued": "待回复",
    "answered": "已回复",
}
SHOWN_ON_CREATE = ("number", "period", "percent", "reply_by")


def _show(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    text = VALUES.get(value, str(value)) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:60] + "…"


@register.filter
def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


@register.filter
def audit_change(row) -> str:
    """'字段：旧 → 新' for each field that changed; the key facts of a row that was created."""
    before, after = row.before or {}, row.after or {}
    if not before:
        parts = [f"{FIELDS[k]}：{_show(after[k])}" for k in SHOWN_ON_CREATE if k in after]
        return "；".join(parts)
    parts = []
    for key, label in FIELDS.items():
        if key in after and before.get(key) != after.get(key):
            parts.append(f"{label}：{_show(before.get(key))} → {_show(after.get(key))}")
    return "；".join(parts)


@register.filter
def comparator(value: str) -> str:
    """>= as ≥, the way documents print a target."""
    return {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "="}.get(value, value)
