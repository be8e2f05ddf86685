"""督查问责 in the admin. Decisions are created and moved through their 第八条 life cycle by the
services: the change page edits nothing directly, it offers the allowed transition instead."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django_fsm import can_proceed

from duban.accountability import services
from duban.accountability.models import Appeal, Case, CaseOpinion, Decision, Matter, RectificationItem, Referral
from duban.accountability.rulebooks import rulebooks_for
from duban.accounts.admin_tools import ReadOnlyAdmin, ServiceAdmin, changed, created
from duban.accounts.models import Jurisdiction, Person
from duban.rules.model import ACCOUNTABLE_ROLES

RESPONSIBLE_FIELDS = {f"responsible_{i}": role for i, role in enumerate(ACCOUNTABLE_ROLES)}
TRANSITIONS = (
    ("appeal", "申诉（第八条第（三）项）"),
    ("uphold", "申诉复核：维持"),
    ("revoke", "申诉复核：撤销"),
    ("exempt", "容错免责（第七条）"),
)


@admin.register(Matter)
class MatterAdmin(ServiceAdmin):
    list_display = ("code", "title", "unit", "jurisdiction", "created")
    list_filter = ("jurisdiction",)
    search_fields = ("code", "title", "unit__name", "source")
    autocomplete_fields = ("unit",)
    fields = ("jurisdiction", *services.MATTER_UPDATABLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            return services.matter_update(actor=actor, matter=obj, data=changed(form, services.MATTER_UPDATABLE_FIELDS))
        return services.matter_create(actor=actor, **created(form, ("jurisdiction", *services.MATTER_UPDATABLE_FIELDS)))


def method_choices() -> list[tuple[str, str]]:
    """The 第五条 methods of every rulebook in use (the service checks the one in force)."""
    names: list[str] = []
    for code in Jurisdiction.objects.values_list("rulebook_code", flat=True).distinct():
        try:
            rulebooks = rulebooks_for(Jurisdiction(code=code, rulebook_code=code, name=code))
        except Exception:  # a broken rulebook shows up when a decision is saved
            continue
        for version in rulebooks.versions:
            names += [name for name in version.method_names if name not in names]
    return [(name, name) for name in names]


def responsible_field(index: int) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=f"责任人：{ACCOUNTABLE_ROLES[index]}", queryset=Person.objects.select_related("unit"), required=False
    )


class DecisionAddForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(label="问责方式", widget=forms.CheckboxSelectMultiple, choices=())
    # 第三条: the four accountable roles (RESPONSIBLE_FIELDS maps these names to the roles).
    responsible_0 = responsible_field(0)
    responsible_1 = responsible_field(1)
    responsible_2 = responsible_field(2)
    responsible_3 = responsible_field(3)

    class Meta:
        model = Decision
        fields = (
            "jurisdiction",
            "matter",
            "unit",
            "date",
            "situation_number",
            "methods",
            "subject",
            "person",
            "sanctioned_after_referral",
            "opinion_letter_received",
            "note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methods"].choices = method_choices()


class DecisionChangeForm(forms.ModelForm):
    transition = forms.ChoiceField(label="状态操作", choices=[("", "（不变）"), *TRANSITIONS], required=False)
    filed_on = forms.DateField(label="申诉日期", required=False, help_text="申诉时填写")
    exemption_ground_number = forms.IntegerField(label="容错免责情形（第七条第几项）", required=False, min_value=1)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Decision
        fields = ("sanctioned_after_referral",)

    def clean(self):
        data = super().clean()
        if data.get("transition") == "appeal" and not data.get("filed_on"):
            self.add_error("filed_on", "申诉时请填写申诉日期")
        if data.get("transition") == "exempt" and not data.get("exemption_ground_number"):
            self.add_error("exemption_ground_number", "容错免责时请选择第七条的情形")
        return data


@admin.register(Decision)
class DecisionAdmin(ServiceAdmin):
    list_display = (
        "date",
        "unit",
        "matter",
        "methods_text",
        "situation_number",
        "subject",
        "status",
        "sanctioned_after_referral",
    )
    list_filter = ("status", "jurisdiction", "subject", "sanctioned_after_referral")
    search_fields = ("unit__name", "matter__code", "matter__title", "person__name", "note")
    date_hierarchy = "date"
    autocomplete_fields = ("matter", "unit", "person")
    readonly_fields_on_change = (
        "jurisdiction",
        "matter",
        "unit",
        "date",
        "situation_number",
        "methods_text",
        "subject",
        "person",
        "status",
        "exemption_ground",
        "opinion_letter_received",
        "note",
        "responsible_text",
        "allowed_transitions",
    )

    @admin.display(description="问责方式")
    def methods_text(self, obj: Decision) -> str:
        return "、".join(obj.methods)

    @admin.display(description="责任人")
    def responsible_text(self, obj: Decision) -> str:
        rows = obj.responsibles.select_related("person").order_by("pk")
        return "；".join(f"{row.role}：{row.person.name}" for row in rows) or "—"

    @admin.display(description="可进行的操作")
    def allowed_transitions(self, obj: Decision) -> str:
        allowed = [label for name, label in TRANSITIONS if can_proceed(getattr(obj, name))]
        return "；".join(allowed) or "无（已结案）"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DecisionChangeForm if obj else DecisionAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*DecisionAddForm.Meta.fields, *RESPONSIBLE_FIELDS]
        return [
            *self.readonly_fields_on_change,
            "sanctioned_after_referral",
            "transition",
            "filed_on",
            "exemption_ground_number",
            "reason",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields_on_change if obj else ()

    def call_service(self, *, actor, form, obj, change):
        data = form.cleaned_data
        if not change:
            return services.decision_create(
                actor=actor,
                **{name: data[name] for name in DecisionAddForm.Meta.fields},
                responsible={role: list(data[name]) for name, role in RESPONSIBLE_FIELDS.items()},
            )
        decision = Decision.objects.get(pk=obj.pk)
        if "sanctioned_after_referral" in form.changed_data:
            decision = services.decision_set_sanction(
                actor=actor, decision=decision, sanctioned=data["sanctioned_after_referral"]
            )
        transition = data.get("transition")
        reason = data.get("reason", "")
        if transition == "appeal":
            decision = services.decision_appeal(
                actor=actor, decision=decision, filed_on=data["filed_on"], reason=reason
            )
        elif transition == "uphold":
            decision = services.decision_uphold(actor=actor, decision=decision, reason=reason)
        elif transition == "revoke":
            decision = services.decision_revoke(actor=actor, decision=decision, reason=reason)
        elif transition == "exempt":
            decision = services.decision_exempt(
                actor=actor, decision=decision, ground=data["exemption_ground_number"], reason=reason
            )
        return decision


# --- cases and what follows a decision: read in the admin, written on the case pages ---------------
# (/cases/…: each write goes through a service at the right step by the right actor, 第八条).


class CaseOpinionInline(admin.TabularInline):
    model = CaseOpinion
    fields = ("step_name", "verdict", "text", "actor_name", "at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "unit", "matter", "step", "state", "opened_on", "decision")
    list_filter = ("state", "kind", "jurisdiction")
    search_fields = ("number", "unit__name", "matter__code", "matter__title", "investigation")
    inlines = [CaseOpinionInline]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("decision", "filed_on", "filer_name", "outcome", "decided_on")
    list_filter = ("outcome",)


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("decision", "route", "person", "target_body", "sent_on", "due_on", "result_on", "sanctioned")
    list_filter = ("route", "sanctioned")


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyAdmin):
    list_display = ("unit", "decision", "due_on", "state", "reported_on")
    list_filter = ("state",)
