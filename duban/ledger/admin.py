"""The ledger in the admin: read, scoped to the clerk's jurisdiction; written only through the ledger's
pages and services (drafts are confirmed with the task_confirm action)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from duban.accounts.admin_tools import ReadOnlyAdmin, ScopedByJurisdiction
from duban.ledger import admin_channels, services  # noqa: F401 (admin_channels registers 通知渠道 and deliveries)
from duban.ledger.models import (
    ClosureAttachment,
    ClosureRequest,
    Deadline,
    DeadlineChange,
    Document,
    ExtensionRequest,
    GazetteIssue,
    ProgressReport,
    Reminder,
    SupervisionOrder,
    Target,
    Task,
    TaskSource,
    TaskUnit,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("position", "doc_no", "title", "kind", "date")


class TaskUnitInline(ReadOnlyInline):
    model = TaskUnit
    fields = ("role", "printed_name", "unit")


class TaskSourceInline(admin.StackedInline):
    model = TaskSource
    extra = 0
    can_delete = False
    fields = ("person", "origin", "number", "date", "words", "attachment_name", "file_name", "sheet", "row")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TargetInline(ReadOnlyInline):
    model = Target
    fields = ("year", "indicator", "comparator", "value", "unit_label")


class DeadlineInline(ReadOnlyInline):
    model = Deadline
    fields = ("date", "text")


@admin.register(GazetteIssue)
class GazetteIssueAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("__str__", "jurisdiction", "source_name", "ingested_at")
    list_filter = ("jurisdiction",)
    readonly_fields = [f.name for f in GazetteIssue._meta.fields]
    inlines = [DocumentInline]  # files are read by `duban ingest` or the intake page, never typed in


@admin.register(Document)
class DocumentAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("title", "doc_no", "kind", "issuer", "date", "issue")
    list_filter = ("jurisdiction", "kind")
    search_fields = ("title", "doc_no", "issuer")
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "search_tokens"]
    exclude = ("search_tokens",)


@admin.register(Task)
class TaskAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("ref", "title", "source_kind", "document", "status", "reviewed_by")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("document", "reviewed_by")
    list_filter = ("jurisdiction", "status", "source_kind", "document__kind")
    search_fields = ("title", "ref", "assignments__printed_name")
    readonly_fields = [f.name for f in Task._meta.fields]
    inlines = [TaskSourceInline, TaskUnitInline, TargetInline, DeadlineInline]
    actions = ["confirm_tasks"]

    @admin.action(description="确认入台账（所选待审核任务）")
    def confirm_tasks(self, request, queryset):
        confirmed, refused = 0, []
        for task in queryset:
            try:
                services.task_confirm(actor=request.user, task=task)
                confirmed += 1
            except ValidationError as error:
                refused.append(f"{task.ref} {task.title}：{'；'.join(error.messages)}")
        if confirmed:
            self.message_user(request, f"已确认入台账 {confirmed} 项。", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    def get_actions(self, request):
        """Confirming drafts is the review's (the 督查室 of the jurisdiction; access.access_review)."""
        from duban.ledger.access import access_review

        actions = super().get_actions(request)
        jurisdiction = self._jurisdiction(request)
        if not self._administrator(request) and (jurisdiction is None or not access_review(request.user, jurisdiction)):
            actions.pop("confirm_tasks", None)
        return actions


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "task__jurisdiction"
    list_display = ("task", "unit", "period", "percent", "reported_on", "reporter")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("task", "unit", "reporter")
    list_filter = ("task__jurisdiction", "period")
    search_fields = ("task__title", "unit__name")


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("number", "task", "unit", "issued_on", "reply_by", "status")
    list_filter = ("jurisdiction", "status", "year")


@admin.register(Reminder)
class ReminderAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "task__jurisdiction"
    list_display = ("recipient", "kind", "text", "due", "created", "read_at")
    list_filter = ("kind",)


# --- the task's life: written only through duban.ledger.lifecycle (the ledger's pages) ----------------


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "task__jurisdiction"
    list_display = ("task", "unit", "current_date", "requested_date", "status", "requested_at", "decided_by")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("task", "unit", "decided_by")
    list_filter = ("task__jurisdiction", "status")
    search_fields = ("task__title", "unit__name", "reason")
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]


class ClosureAttachmentInline(ReadOnlyInline):
    model = ClosureAttachment
    fields = ("name", "size", "content_type")
    readonly_fields = fields


@admin.register(ClosureRequest)
class ClosureRequestAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "task__jurisdiction"
    list_display = ("task", "unit", "status", "requested_at", "decided_by", "decided_at")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("task", "unit", "decided_by")
    list_filter = ("task__jurisdiction", "status")
    search_fields = ("task__title", "unit__name", "summary")
    readonly_fields = [f.name for f in ClosureRequest._meta.fields]
    inlines = [ClosureAttachmentInline]  # the files are served by the ledger's page, through its access check


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    jurisdiction_path = "deadline__task__jurisdiction"
    list_display = ("deadline", "from_date", "to_date", "extension", "changed_by", "changed_at")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("deadline", "extension__unit", "changed_by")
    list_filter = ("deadline__task__jurisdiction",)
    readonly_fields = [f.name for f in DeadlineChange._meta.fields]
