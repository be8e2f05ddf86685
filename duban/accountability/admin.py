"""督查问责 in the admin: read, never decided here.

Decisions come into being only through the last step of the 第八条 chain (the case pages) or through
历史导入 (its own page and permission); appeals, exemptions and revocations only through their own
procedures. So decisions, cases, appeals, referrals and rectification are read-only here for
everyone, and every list is the clerk's own jurisdiction's. Matters (督查事项) are written through
their services.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Subquery

from duban.accountability import services
from duban.accountability.models import Appeal, Case, CaseOpinion, Decision, Matter, RectificationItem, Referral
from duban.accounts.admin_tools import ReadOnlyAdmin, ScopedByJurisdiction, ServiceAdmin, changed, created


@admin.register(Matter)
class MatterAdmin(ScopedByJurisdiction, ServiceAdmin):
    list_display = ("code", "title", "unit", "jurisdiction", "created")
    list_select_related = ("unit", "jurisdiction")  # the unit is a nullable key: named, or each row reads its own
    search_fields = ("code", "title", "unit__name", "source")
    autocomplete_fields = ("unit",)
    fields = ("jurisdiction", *services.MATTER_UPDATABLE_FIELDS)

    list_filter = ("jurisdiction",)

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            return services.matter_update(actor=actor, matter=obj, data=changed(form, services.MATTER_UPDATABLE_FIELDS))
        return services.matter_create(actor=actor, **created(form, ("jurisdiction", *services.MATTER_UPDATABLE_FIELDS)))


@admin.register(Decision)
class DecisionAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = (
        "date",
        "unit",
        "matter",
        "methods_text",
        "situation_number",
        "subject",
        "status",
        "sanctioned_after_referral",
        "origin",
    )
    list_filter = ("jurisdiction", "status", "subject", "sanctioned_after_referral")
    search_fields = ("unit__name", "matter__code", "matter__title", "person__name", "note", "historical_source")
    date_hierarchy = "date"
    fields = (
        "jurisdiction",
        "matter",
        "unit",
        "date",
        "situation_number",
        "methods_text",
        "subject",
        "person",
        "responsible_text",
        "status",
        "exemption_ground",
        "sanctioned_after_referral",
        "opinion_letter_received",
        "note",
        "origin",
        "historical_source",
        "historical_reason",
    )
    readonly_fields = ("methods_text", "responsible_text", "origin")

    @admin.display(description="问责方式")
    def methods_text(self, obj: Decision) -> str:
        return "、".join(obj.methods)

    @admin.display(description="责任人")
    def responsible_text(self, obj: Decision) -> str:
        rows = obj.responsibles.select_related("person").order_by("pk")
        return "；".join(f"{row.role}：{row.person.name}" for row in rows) or "—"

    def get_queryset(self, request):
        # 来源 names the decision's first case: read with the rows, not one query a row
        first_case = Case.objects.filter(decision=OuterRef("pk")).order_by("pk").values("number")[:1]
        return super().get_queryset(request).annotate(first_case_number=Subquery(first_case))

    @admin.display(description="来源")
    def origin(self, obj: Decision) -> str:
        if obj.is_historical:
            return f"历史导入（{obj.historical_source}）"
        number = getattr(obj, "first_case_number", None)
        return f"督查问责案件 {number}" if number else "—"


# --- cases and what follows a decision: read here, written on the case pages ---------------------------
# (/cases/…: each write goes through a service at the right step by the right actor, 第八条).


class CaseOpinionInline(admin.TabularInline):
    model = CaseOpinion
    fields = ("step_name", "verdict", "text", "actor_name", "at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("number", "kind", "unit", "matter", "step", "state", "opened_on", "decision")
    list_filter = ("jurisdiction", "state", "kind")
    search_fields = ("number", "unit__name", "matter__code", "matter__title", "investigation")
    inlines = [CaseOpinionInline]


@admin.register(Appeal)
class AppealAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "decision__jurisdiction"
    list_display = ("decision", "filed_on", "filer_name", "outcome", "decided_on")
    list_filter = ("outcome",)


@admin.register(Referral)
class ReferralAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "decision__jurisdiction"
    list_display = ("decision", "route", "person", "target_body", "sent_on", "due_on", "result_on", "sanctioned")
    list_filter = ("route", "sanctioned")


@admin.register(RectificationItem)
class RectificationItemAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "decision__jurisdiction"
    list_display = ("unit", "decision", "due_on", "state", "reported_on")
    list_filter = ("state",)
