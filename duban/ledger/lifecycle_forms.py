"""Forms of the task's life (签收, 延期, 办结验收). They only parse input; duban.ledger.lifecycle decides."""

from __future__ import annotations

from django import forms

from duban.accounts import fields
from duban.ledger.forms import DATE_WIDGET, LedgerForm, MultipleFileField
from duban.ledger.models import Deadline, Task


class DeadlineChoiceField(fields.ModelChoiceField):
    def label_from_instance(self, deadline: Deadline) -> str:
        return f"{deadline.date:%Y-%m-%d}（{deadline.text}）"


class ExtensionForm(LedgerForm):
    deadline = DeadlineChoiceField(
        label="要延期的完成时限",
        queryset=Deadline.objects.none(),
        empty_label=None,
        error_messages={"required": "请选择要延期的完成时限", "invalid_choice": "请选择该任务的完成时限"},
    )
    requested_date = forms.DateField(
        label="申请延至",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写申请延至的日期", "invalid": "请填写有效日期，如 2020-12-31"},
    )
    reason = forms.CharField(
        label="延期理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写延期理由", "max_length": "延期理由过长（最多 2000 字）"},
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].queryset = Deadline.objects.filter(task=task).order_by("date", "id")


class DecisionForm(LedgerForm):
    """Approve or refuse a 延期; accept or return a 办结申请: the decision and its note."""

    decision = forms.ChoiceField(
        label="审批结果",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审批结果", "invalid_choice": "请选择审批结果"},
    )
    note = forms.CharField(
        label="意见",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "意见过长（最多 300 字）"},
    )

    def __init__(self, *args, choices, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        self.fields["decision"].label = label


EXTENSION_DECISIONS = (("approve", "同意延期"), ("refuse", "不同意（须说明理由）"))
CLOSURE_DECISIONS = (("accept", "验收通过，任务办结"), ("return", "退回继续办理（须说明理由）"))


class ClosureForm(LedgerForm):
    summary = forms.CharField(
        label="办结情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写办结情况", "max_length": "办结情况过长（最多 2000 字）"},
    )
    attachments = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text="至少 1 个；可多选；PDF、Word、Excel、JPG、PNG、TXT，每个不超过 10 MB，最多 5 个",
    )
