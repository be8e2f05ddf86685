"""Forms of the accountability pages. Choices come from the rulebook of the case (第五条 methods,
第六条 situations, 第七条 grounds) and from the case's unit; the services validate again."""

from __future__ import annotations

from django import forms

from duban.accountability.models import Appeal, Case, Decision, Matter, Referral
from duban.accountability.procedure import case_rulebook, situation_choices
from duban.accounts import fields
from duban.accounts.models import Person, Unit
from duban.rules.loader import Rulebook

DATE = forms.DateInput(attrs={"type": "date"})


class PersonChoice(fields.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.position or obj.role}）"


class PeopleChoice(fields.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.position or obj.role}）"


class NewCaseForm(forms.Form):
    """立案 by hand: the matter (an existing one, or a new one), the unit, the first findings."""

    matter = fields.ModelChoiceField(
        label="督查事项", queryset=Matter.objects.none(), required=False, empty_label="（新登记督查事项）"
    )
    matter_code = forms.CharField(label="新事项编号", max_length=40, required=False)
    matter_title = forms.CharField(label="新事项名称", max_length=200, required=False)
    matter_source = forms.CharField(label="交办依据", max_length=200, required=False)
    unit = fields.ModelChoiceField(
        label="被问责单位", queryset=Unit.objects.none(), required=False, empty_label="（与督查事项的责任单位相同）"
    )
    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(jurisdiction=jurisdiction).order_by("-created", "code")
        self.fields["unit"].queryset = Unit.objects.filter(jurisdiction=jurisdiction, active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("matter") and not (data.get("matter_code") and data.get("matter_title")):
            raise forms.ValidationError("请选择督查事项，或填写新事项的编号和名称")
        if not data.get("unit") and not (data.get("matter") and data["matter"].unit_id):
            self.add_error("unit", "请选择被问责单位")
        return data


class InvestigationForm(forms.Form):
    """调查核实 (第八条第（一）项): findings, the 第六条 situation, the 第五条 methods, who is accountable."""

    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    situation_number = forms.TypedChoiceField(label="问责情形（第六条）", coerce=int, required=False, empty_value=None)
    methods = forms.MultipleChoiceField(
        label="拟问责方式（第五条）", widget=forms.CheckboxSelectMultiple, required=False
    )
    subject = forms.ChoiceField(label="问责对象", choices=Decision.Subject.choices)
    person = PersonChoice(
        label="被问责人", queryset=Person.objects.none(), required=False, empty_label="（问责对象为单位）"
    )
    rectification_due = forms.DateField(
        label="整改期限", required=False, widget=DATE, help_text="拟问题通报时必填（第九条第（一）项）"
    )

    def __init__(self, *args, case: Case, rulebook: Rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation_number"].choices = [("", "（请选择）"), *situation_choices(rulebook)]
        self.fields["methods"].choices = [(name, name) for name in rulebook.method_names]
        people = Person.objects.filter(unit=case.unit).order_by("role", "name")
        self.fields["person"].queryset = people
        self.roles = rulebook.role_names  # the accountable roles of the rulebook the case follows (驻马店's 第三条)
        for index, role in enumerate(self.roles):
            self.fields[f"responsible_{index}"] = PeopleChoice(
                label=f"{role}", queryset=people, required=False, widget=forms.CheckboxSelectMultiple
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "investigation": data["investigation"],
            "situation_number": data["situation_number"],
            "methods": list(data["methods"]),
            "subject": data["subject"],
            "person": data["person"],
            "rectification_due": data["rectification_due"],
            "responsible": {role: list(data[f"responsible_{index}"]) for index, role in enumerate(self.roles)},
        }

    @staticmethod
    def initial_for(case: Case) -> dict:
        initial = {
            "investigation": case.investigation,
            "situation_number": case.situation_number,
            "methods": case.methods,
            "subject": case.subject,
            "person": case.person,
            "rectification_due": case.rectification_due,
        }
        for index, role in enumerate(case_rulebook(case).role_names):
            initial[f"responsible_{index}"] = [r.person for r in case.responsibles.all() if r.role == role]
        return initial

    def responsible_fields(self):
        return [self[f"responsible_{index}"] for index in range(len(self.roles))]


class ExemptionInvestigationForm(forms.Form):
    investigation = forms.CharField(
        label="申请理由及核实情况", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    exemption_ground = forms.TypedChoiceField(
        label="容错免责情形（第七条）", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, rulebook: Rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exemption_ground"].choices = [("", "（请选择）")] + [
            (int(item["number"]), f"第（{item['number']}）项 {item['text']}") for item in rulebook.exemptions
        ]

    def service_data(self) -> dict:
        return {
            "investigation": self.cleaned_data["investigation"],
            "exemption_ground": self.cleaned_data["exemption_ground"],
        }


class ExemptionCaseForm(ExemptionInvestigationForm):
    decision = fields.ModelChoiceField(label="申请免责的问责决定", queryset=Decision.objects.none())

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.filter(jurisdiction=jurisdiction, status=Decision.Status.EFFECTIVE)
            .select_related("unit")
            .order_by("-date", "-id")
        )
        self.order_fields(["decision", "exemption_ground", "investigation"])


class OpinionForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LetterIssueForm(forms.Form):
    letter_number = forms.CharField(label="意见书文号", max_length=60)
    issued_on = forms.DateField(label="送达日期", widget=DATE)


class LetterReceivedForm(forms.Form):
    received_on = forms.DateField(label="被问责人收到日期", widget=DATE)


class AppealForm(forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(label="复核结果", choices=[c for c in Appeal.Outcome.choices if c[0] != "pending"])
    reason = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    situation_number = forms.TypedChoiceField(label="变更后的问责情形", coerce=int, required=False, empty_value=None)
    methods = forms.MultipleChoiceField(label="变更后的问责方式", widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, rulebook: Rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation_number"].choices = [("", "（不变）"), *situation_choices(rulebook)]
        self.fields["methods"].choices = [(name, name) for name in rulebook.method_names]

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {}
        if data.get("situation_number"):
            changes["situation_number"] = data["situation_number"]
        if data.get("methods"):
            changes["methods"] = list(data["methods"])
        return changes


class ReferralForm(forms.Form):
    person = PersonChoice(label="涉及干部", queryset=Person.objects.none(), required=False, empty_label="（单位）")
    route = forms.ChoiceField(
        label="移送方式", choices=[("", "（按规定自动确定）"), *Referral.Route.choices], required=False
    )
    target_body = forms.CharField(label="接收机关", max_length=100)
    sent_on = forms.DateField(label="移送（发函）日期", widget=DATE)
    due_on = forms.DateField(
        label="上报处理结果期限",
        widget=DATE,
        required=False,
        help_text="责令县区政府或市直部门处理的，默认为规则规定的天数",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in people])  # what a POST may name
        # The choices shown are the people given (a list of such forms then reads no Person again).
        field.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in people)]


class ReferralResultForm(forms.Form):
    result = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    result_on = forms.DateField(label="上报日期", widget=DATE)
    sanctioned = forms.TypedChoiceField(
        label="是否受到党政纪处分或组织处理", coerce=lambda v: v == "yes", choices=[("no", "否"), ("yes", "是")]
    )


class RectificationNewForm(forms.Form):
    requirement = forms.CharField(label="整改要求", max_length=500)
    due_on = forms.DateField(label="整改期限", widget=DATE)


class RectificationReportForm(forms.Form):
    report = forms.CharField(label="整改结果", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class RectificationReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审核", coerce=lambda v: v == "yes", choices=[("yes", "通过"), ("no", "退回")]
    )
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HistoricalDecisionForm(forms.Form):
    """历史导入: a decision made before duban, with the document it was issued in and why it is entered."""

    matter = forms.ModelChoiceField(label="督查事项", queryset=Matter.objects.none())
    unit = forms.ModelChoiceField(label="被问责单位", queryset=Unit.objects.none())
    date = forms.DateField(label="决定日期", widget=DATE)
    situation_number = forms.TypedChoiceField(label="问责情形（第六条）", coerce=int)
    methods = forms.MultipleChoiceField(label="问责方式（第五条）", widget=forms.CheckboxSelectMultiple)
    subject = forms.ChoiceField(label="问责对象", choices=Decision.Subject.choices)
    person = PersonChoice(
        label="被问责人", queryset=Person.objects.none(), required=False, empty_label="（问责对象为单位）"
    )
    opinion_letter_received = forms.DateField(label="收到督查问责意见书日期", widget=DATE, required=False)
    sanctioned_after_referral = forms.BooleanField(label="移送后已受处分（第九条第（六）项）", required=False)
    source_document = forms.CharField(label="依据文件（原决定书文号或标题）", max_length=200)
    reason = forms.CharField(label="历史导入理由", widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, jurisdiction, rulebook: Rulebook, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(jurisdiction=jurisdiction).order_by("code")
        self.fields["unit"].queryset = Unit.objects.filter(jurisdiction=jurisdiction).order_by("name")
        self.fields["situation_number"].choices = [("", "（请选择）"), *situation_choices(rulebook)]
        self.fields["methods"].choices = [(name, name) for name in rulebook.method_names]
        people = Person.objects.filter(jurisdiction=jurisdiction, unit__isnull=False).select_related("unit")
        self.fields["person"].queryset = people.order_by("unit__name", "name")
        self.roles = rulebook.role_names
        for index, role in enumerate(self.roles):
            self.fields[f"responsible_{index}"] = PeopleChoice(
                label=f"责任人：{role}", queryset=people.order_by("unit__name", "name"), required=False
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "matter": data["matter"],
            "unit": data["unit"],
            "date": data["date"],
            "situation_number": data["situation_number"],
            "methods": list(data["methods"]),
            "subject": data["subject"],
            "person": data["person"],
            "opinion_letter_received": data["opinion_letter_received"],
            "sanctioned_after_referral": data["sanctioned_after_referral"],
            "source_document": data["source_document"],
            "reason": data["reason"],
            "note": data["note"],
            "responsible": {role: list(data[f"responsible_{index}"]) for index, role in enumerate(self.roles)},
        }

    def responsible_fields(self):
        return [self[f"responsible_{index}"] for index in range(len(self.roles))]
