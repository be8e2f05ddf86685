"""Forms of the ledger's pages. They only parse input; the services decide and write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError

from duban.accounts import fields
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.intake.workbook import FIELD_LABELS, HEADER_SEARCH_ROWS, IMPORTED_FIELDS, Column
from duban.ledger import selectors
from duban.ledger.models import ReportingCycle, Target, Task
from duban.ledger.services import OWNER_ROLES
from duban.ledger.sources import HAND_KINDS, SOURCE_KINDS, SourceField, TaskSourceInput

COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LedgerForm(forms.Form):
    """Chinese labels end with a full-width colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class UnitChoiceField(fields.ModelMultipleChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit.name if not unit.short_name or unit.short_name == unit.name else f"{unit.name}（{unit.short_name}）"


class TaskEditForm(LedgerForm):
    title = forms.CharField(label="任务名称", max_length=300, error_messages={"required": "任务名称不能为空"})
    lead_units = UnitChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    units = UnitChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    deadlines = forms.CharField(
        label="完成时限",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个日期，如 2020-12-31",
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(jurisdiction=task.jurisdiction, active=True).order_by("name")
        self.fields["lead_units"].queryset = units
        self.fields["units"].queryset = units

    def clean_deadlines(self) -> list[dt.date]:
        dates = []
        for line in self.cleaned_data["deadlines"].split():
            try:
                dates.append(dt.date.fromisoformat(line.strip()))
            except ValueError:
                raise ValidationError(f"“{line}”不是有效日期，请按 2020-12-31 的格式填写") from None
        return dates


class RejectForm(LedgerForm):
    reason = forms.CharField(label="退回理由", max_length=300, error_messages={"required": "退回须说明理由"})


class AssignForm(LedgerForm):
    reporting_cycle = forms.ChoiceField(
        label="报送周期",
        choices=ReportingCycle.choices,
        error_messages={"required": "请选择报送周期", "invalid_choice": "请选择报送周期"},
    )
    owner = fields.ModelChoiceField(
        label="督查室经办人", queryset=Person.objects.none(), required=False, empty_label="（暂不指定）"
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            jurisdiction=task.jurisdiction,
            unit__isnull=True,
            role__in=[
                Person.Role.OFFICE_STAFF,
                Person.Role.SECOND_LEVEL_SUPERVISOR,
                Person.Role.FIRST_LEVEL_SUPERVISOR,
            ],
        ).order_by("role", "name")


class DeadlineForm(LedgerForm):
    date = forms.DateField(
        label="完成时限",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写完成时限", "invalid": "请填写有效日期，如 2020-12-31"},
    )
    text = forms.CharField(
        label="依据或说明",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "依据或说明（可选）"}),
    )


class DeadlineMoveForm(LedgerForm):
    date = forms.DateField(
        label="新的完成时限",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写新的完成时限", "invalid": "请填写有效日期，如 2020-12-31"},
    )


class DoneForm(LedgerForm):
    note = forms.CharField(label="办结说明", max_length=300, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressForm(LedgerForm):
    text = forms.CharField(
        label="进展情况", widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "请填写进展情况"}
    )
    percent = forms.IntegerField(
        label="完成进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写完成进度",
            "invalid": "完成进度须是整数",
            "min_value": "完成进度不能小于 0",
            "max_value": "完成进度不能大于 100",
        },
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="可多选；PDF、Word、Excel、JPG、PNG、TXT，每个不超过 10 MB，最多 5 个，合计不超过 20 MB",
    )

    def __init__(self, *args, targets: list[Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"{target.indicator or target.text[:30]}（{target.year}年目标 {COMPARATORS.get(target.comparator, target.comparator)} "
                f"{target.value.normalize()}{target.unit_label}）",
                required=False,
                max_digits=18,
                decimal_places=4,
                error_messages={
                    "invalid": "监测值须是数字",
                    "max_digits": "监测值位数过多",
                    "max_decimal_places": "监测值最多 4 位小数",
                },
            )

    def readings(self) -> dict[Target, object]:
        return {t: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}


class OrderIssueForm(LedgerForm):
    unit = fields.ModelChoiceField(
        label="督办单位",
        queryset=Unit.objects.none(),
        error_messages={"required": "请选择督办单位", "invalid_choice": "请选择该任务的承办单位"},
    )
    reason = forms.CharField(
        label="督办事由", widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": "请填写督办事由"}
    )
    reply_by = forms.DateField(
        label="回复期限",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写回复期限", "invalid": "请填写有效日期，如 2020-12-31"},
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(task_assignments__task=task).distinct().order_by("name")


class OrderAnswerForm(LedgerForm):
    answer = forms.CharField(
        label="回复内容", widget=forms.Textarea(attrs={"rows": 8}), error_messages={"required": "请填写回复内容"}
    )


# --- 任务分解表 (Excel) -------------------------------------------------------------------------------


class WorkbookUploadForm(LedgerForm):
    file = forms.FileField(
        label="任务分解表（.xlsx）",
        error_messages={"required": "请选择要导入的任务分解表（.xlsx 文件）", "empty": "上传的文件是空的"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if name.lower().endswith(".xls"):
            raise ValidationError("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再上传")
        if not name.lower().endswith(".xlsx"):
            raise ValidationError(f"“{name[:60]}”不是 .xlsx 文件：请上传 Excel 任务分解表")
        return upload


class WorkbookMappingForm(LedgerForm):
    """Which field each column of the sheet holds, and the header row: the mapping step when duban does not
    recognise the header, and the same choices carried (hidden) to the 导入 button."""

    header_row = forms.IntegerField(
        label="表头所在行", min_value=1, max_value=HEADER_SEARCH_ROWS, error_messages={"required": "请填写表头所在行"}
    )

    def __init__(self, *args, columns: Sequence[Column] = (), hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        choices = [("", "（不导入）"), *((name, FIELD_LABELS[name]) for name in IMPORTED_FIELDS)]
        for column in self.columns:
            header = column.header.replace("\n", " ")[:20] or "（空）"
            self.fields[f"col_{column.index}"] = forms.ChoiceField(
                label=f"{column.letter}列 {header}", choices=choices, required=False
            )
        if hidden:
            for field in self.fields.values():
                field.widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, str] = {}
        for column in self.columns:
            name = cleaned.get(f"col_{column.index}")
            if not name:
                continue
            if name in chosen:
                raise ValidationError(
                    f"“{FIELD_LABELS[name]}”对应了两列（{chosen[name]}列、{column.letter}列），每项只能对应一列"
                )
            chosen[name] = column.letter
        if "title" not in chosen and "text" not in chosen:
            raise ValidationError("请至少指定“任务”或“具体内容”所在的列")
        return cleaned

    def mapping(self) -> dict[int, str]:
        return {
            column.index: self.cleaned_data[f"col_{column.index}"]
            for column in self.columns
            if self.cleaned_data.get(f"col_{column.index}")
        }


UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # a request's cap (settings.DUBAN_MAX_REQUEST_BYTES)
# What 上传公文 offers to pick (intake reads the file by its content, whatever its name).
UPLOAD_ACCEPT = ".txt,.pdf,.docx,.doc,.wps,.png,.jpg,.jpeg,.tif,.tiff,.bmp"


class UploadForm(LedgerForm):
    """上传公文: the file and the jurisdiction it is read into (those the user may upload for)."""

    jurisdiction = fields.ModelChoiceField(
        label="辖区",
        queryset=Jurisdiction.objects.none(),
        empty_label=None,
        error_messages={"required": "请选择辖区", "invalid_choice": "所选辖区无效或无权上传"},
    )
    file = forms.FileField(
        label="公文文件",
        help_text="公报或单篇公文：文本（.txt，UTF-8 或 GB18030）、PDF（含扫描件）、Word（.docx、.doc）、WPS（.wps）"
        "或图片（.png、.jpg、.tif、.bmp）；扫描件和图片经文字识别（OCR）读取，须对照原件核对",
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
        error_messages={
            "required": "请选择要上传的文件",
            "empty": "文件是空的",
            "invalid": "未收到文件，请重新选择",
            "missing": "未收到文件，请重新选择",
        },
    )

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(f"文件过大（{upload.size // 1024 // 1024} MB），最大 20 MB")
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, jurisdiction = cleaned.get("file"), cleaned.get("jurisdiction")
        if upload is not None and jurisdiction is not None:
            from duban.ledger.library import issue_with_bytes

            content = upload.read()
            upload.seek(0)
            known = issue_with_bytes(jurisdiction, content)
            if known is not None:
                self.add_error("file", f"该文件已读取过（{known}），未重复入库")
        return cleaned


# --- 立项 ----------------------------------------------------------------------------------------

UNIT_NAME_SEPARATORS = re.compile(r"[、，,；;\n\r]+")


def _source_form_field(spec: SourceField) -> forms.Field:
    """A form field for one field of a source kind: the form only parses; task_open says what is required."""
    label = spec.label + ("" if spec.required else "（可选）")
    if spec.kind == "date":
        return forms.DateField(
            label=label, required=False, widget=DATE_WIDGET, error_messages={"invalid": "请填写有效日期，如 2020-06-30"}
        )
    if spec.kind == "longtext":
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    if spec.kind == "file":
        return forms.FileField(label=label, required=False, help_text="扫描件：PDF、JPG、PNG、Word 等，不超过 10 MB")
    if spec.kind == "integer":
        return forms.IntegerField(label=label, required=False, min_value=1, error_messages={"invalid": "须是正整数"})
    return forms.CharField(label=label, required=False, max_length=spec.max_length or None)


class TaskOpenForm(LedgerForm):
    """立项: a source kind and that kind's fields, the task, its units (names from the 机构名录),
    deadlines (one a line: date, then its wording), targets, cycle and 经办人."""

    kind = forms.ChoiceField(
        label="任务来源",
        choices=[(code, SOURCE_KINDS[code].label) for code in HAND_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择任务来源", "invalid_choice": "请选择任务来源"},
    )
    title = forms.CharField(label="任务名称", max_length=300, required=False)
    text = forms.CharField(label="任务内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead_units = forms.CharField(label="牵头单位", required=False, help_text="从机构名录中选择；多个单位用顿号分隔")
    responsible_units = forms.CharField(label="责任单位", required=False)
    cooperating_units = forms.CharField(label="配合单位", required=False)
    deadlines = forms.CharField(
        label="完成时限",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个：日期，可跟原文，如 2020-12-31 年底前完成",
    )
    targets_text = forms.CharField(
        label="目标要求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如 到2021年，加装电梯不少于20部",
    )
    reporting_cycle = forms.ChoiceField(
        label="报送周期", choices=ReportingCycle.choices, initial=ReportingCycle.MONTHLY, required=False
    )
    owner = fields.ModelChoiceField(
        label="督查室经办人", queryset=Person.objects.none(), required=False, empty_label="（暂不指定）"
    )
    ref = forms.CharField(label="编号", max_length=60, required=False, help_text="可选，如 立项〔2020〕1号")

    UNIT_FIELDS = ("lead_units", "responsible_units", "cooperating_units")

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction
        self.fields["owner"].queryset = Person.objects.filter(
            jurisdiction=jurisdiction, unit__isnull=True, role__in=sorted(OWNER_ROLES)
        ).order_by("role", "name")
        for code in HAND_KINDS:
            for spec in SOURCE_KINDS[code].fields:
                self.fields[self.source_field_name(code, spec.name)] = _source_form_field(spec)
        for name in self.UNIT_FIELDS:
            self.fields[name].widget.attrs.update({"data-unit-picker": "", "list": "unit-directory"})

    @staticmethod
    def source_field_name(kind: str, name: str) -> str:
        return f"{kind}_{name}"

    def source_fieldsets(self) -> list[dict]:
        """Each hand kind with its bound fields, for the template (one fieldset a kind)."""
        return [
            {
                "kind": code,
                "label": SOURCE_KINDS[code].label,
                "fields": [self[self.source_field_name(code, spec.name)] for spec in SOURCE_KINDS[code].fields],
            }
            for code in HAND_KINDS
        ]

    def task_fields(self) -> list:
        return [self[name] for name in ("title", "text", *self.UNIT_FIELDS, "deadlines", "targets_text")]

    def assign_fields(self) -> list:
        return [self[name] for name in ("reporting_cycle", "owner", "ref")]

    def directory(self):
        return Unit.objects.filter(jurisdiction=self.jurisdiction, active=True).order_by("name")

    def _units(self, field: str) -> list[Unit]:
        from duban.ledger.ingest import UnitResolver

        names = [n.strip() for n in UNIT_NAME_SEPARATORS.split(self.cleaned_data.get(field) or "") if n.strip()]
        if not names:
            return []
        too_long = next((name for name in names if len(name) > 100), None)
        if too_long:
            raise ValidationError(f"单位名称过长：{too_long[:20]}…")
        resolver = UnitResolver(self.jurisdiction)
        units, unknown = [], []
        for name in names:
            unit = resolver.resolve(name)
            if unit is None or not unit.active:
                unknown.append(name)
            elif unit not in units:
                units.append(unit)
        if unknown:
            parts = []
            for name in unknown:
                closest = selectors.units_closest(jurisdiction=self.jurisdiction, name=name)
                hint = f"，是否为：{'、'.join(u.name for u in closest)}" if closest else "，请从机构名录中选择"
                parts.append(f"机构名录中没有“{name}”{hint}")
            raise ValidationError("；".join(parts))
        return units

    def clean_lead_units(self) -> list[Unit]:
        return self._units("lead_units")

    def clean_responsible_units(self) -> list[Unit]:
        return self._units("responsible_units")

    def clean_cooperating_units(self) -> list[Unit]:
        return self._units("cooperating_units")

    def clean_deadlines(self) -> list[tuple[dt.date, str]]:
        result = []
        for line in (self.cleaned_data.get("deadlines") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            first, _, rest = line.partition(" ")
            try:
                result.append((dt.date.fromisoformat(first), rest.strip()))
            except ValueError:
                raise ValidationError(f"“{line[:30]}”开头不是有效日期，请按 2020-12-31 的格式填写") from None
        return result

    def source_input(self) -> TaskSourceInput:
        kind = self.cleaned_data["kind"]
        values = {
            spec.name: self.cleaned_data.get(self.source_field_name(kind, spec.name))
            for spec in SOURCE_KINDS[kind].fields
        }
        values = {name: value for name, value in values.items() if value not in (None, "")}
        return TaskSourceInput(kind=kind, **values)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "jurisdiction": self.jurisdiction,
            "source": self.source_input(),
            "title": data.get("title") or "",
            "text": data.get("text") or "",
            "lead_units": data["lead_units"],
            "responsible_units": data["responsible_units"],
            "cooperating_units": data["cooperating_units"],
            "deadlines": data["deadlines"],
            "targets_text": data.get("targets_text") or "",
            "reporting_cycle": data.get("reporting_cycle") or "",
            "owner": data.get("owner"),
            "ref": data.get("ref") or "",
        }

    def service_field(self, name: str) -> str | None:
        """The form field a service's refusal on ``name`` belongs to."""
        if name in self.fields:
            return name
        kind = self.cleaned_data.get("kind") if hasattr(self, "cleaned_data") else None
        candidate = self.source_field_name(kind, name) if kind else ""
        return candidate if candidate in self.fields else None


class InstructionForm(LedgerForm):
    """A leader's 批示 on a task."""

    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
