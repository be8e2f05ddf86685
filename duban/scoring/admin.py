from django.contrib import admin

from duban.accounts.admin_tools import ReadOnlyAdmin, ScopedByJurisdiction
from duban.scoring.models import ConsequenceEntry
from duban.scoring.selectors import effect_words


@admin.register(ConsequenceEntry)
class ConsequenceEntryAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    list_display = ("recorded_at", "who", "effect_words", "period", "value", "label", "basis", "decision", "reverses")
    list_filter = ("jurisdiction", "effect", "who_kind", "period")
    search_fields = ("unit__name", "person__name", "basis", "note", "period")
    date_hierarchy = "recorded_at"
    list_select_related = ("jurisdiction", "unit", "person__unit", "decision__unit", "reverses")

    @admin.display(description="后果", ordering="effect")
    def effect_words(self, entry: ConsequenceEntry) -> str:
        return effect_words(entry.jurisdiction, entry)

    @admin.display(description="对象")
    def who(self, entry: ConsequenceEntry):
        return entry.unit or entry.person
