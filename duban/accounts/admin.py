from django.contrib import admin

from duban.accounts import services
from duban.accounts.admin_tools import ReadOnlyAdmin, ServiceAdmin, changed, created
from duban.accounts.models import AuditLog, Jurisdiction, Person, Unit


@admin.register(Jurisdiction)
class JurisdictionAdmin(ServiceAdmin):
    list_display = ("code", "name", "level", "parent", "rulebook_code")
    list_filter = ("level",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "rulebook_code")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            return services.jurisdiction_update(
                actor=actor, jurisdiction=obj, data=changed(form, services.JURISDICTION_UPDATABLE_FIELDS)
            )
        return services.jurisdiction_create(
            actor=actor, **created(form, ("code", "name", "level", "parent", "rulebook_code"))
        )


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = (
        "name",
        "short_name",
        "jurisdiction",
        "civilized",
        "vertically_managed",
        "liaison_supervisor",
        "first_level_supervisor",
        "active",
    )
    list_filter = ("jurisdiction", "civilized", "vertically_managed", "active")
    search_fields = ("name", "short_name", "aliases")
    autocomplete_fields = ("liaison_supervisor", "first_level_supervisor")
    fields = ("jurisdiction", *services.UNIT_UPDATABLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            return services.unit_update(actor=actor, unit=obj, data=changed(form, services.UNIT_UPDATABLE_FIELDS))
        return services.unit_create(actor=actor, **created(form, ("jurisdiction", *services.UNIT_UPDATABLE_FIELDS)))


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ("name", "unit", "position", "role", "cadre_level", "jurisdiction", "user")
    list_filter = ("jurisdiction", "role", "cadre_level")
    search_fields = ("name", "position", "unit__name")
    autocomplete_fields = ("unit",)
    fields = ("jurisdiction", *services.PERSON_UPDATABLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            return services.person_update(actor=actor, person=obj, data=changed(form, services.PERSON_UPDATABLE_FIELDS))
        return services.person_create(actor=actor, **created(form, ("jurisdiction", *services.PERSON_UPDATABLE_FIELDS)))


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "action", "object_type", "object_id")
    date_hierarchy = "at"
    fields = ("at", "actor", "actor_label", "action", "object_type", "object_id", "before", "after")
