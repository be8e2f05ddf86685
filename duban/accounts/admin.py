"""Jurisdictions, units, people, logins and the audit log in the admin.

A clerk works in their own jurisdiction only (ScopedByJurisdiction: lists, forms, choices and
objects). Only the system administrator (a superuser) adds jurisdictions, manages logins, their
role groups and permissions and their link to a person, and reads the whole audit log; every such
change goes through a service and writes an audit row (who, before, after).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from duban.accounts import services
from duban.accounts.access import is_administrator
from duban.accounts.admin_tools import (
    AdministratorOnly,
    ReadOnlyAdmin,
    ScopedByJurisdiction,
    ServiceAdmin,
    changed,
    created,
)
from duban.accounts.models import AuditLog, Jurisdiction, Person, Unit


@admin.register(Jurisdiction)
class JurisdictionAdmin(ScopedByJurisdiction, ServiceAdmin):
    """A clerk reads their own jurisdiction; which rulebook it applies is the administrator's to set."""

    jurisdiction_path = "pk"
    list_display = ("code", "name", "level", "parent", "rulebook_code")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("parent",)
    list_filter = ("level",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "rulebook_code")

    def has_add_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

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
class UnitAdmin(ScopedByJurisdiction, ServiceAdmin):
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
    # nullable keys too (the admin's own select_related() follows only the others), and a supervisor is
    # shown with their unit (Person.__str__)
    list_select_related = ("jurisdiction", "liaison_supervisor__unit", "first_level_supervisor__unit")
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


# A person's login is the administrator's to link (it decides whom the login acts for).
PERSON_FIELDS_FOR_CLERKS = tuple(f for f in services.PERSON_UPDATABLE_FIELDS if f != "user")


@admin.register(Person)
class PersonAdmin(ScopedByJurisdiction, ServiceAdmin):
    list_display = ("name", "unit", "position", "role", "cadre_level", "jurisdiction", "user")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("unit", "jurisdiction", "user")
    list_filter = ("jurisdiction", "role", "cadre_level")
    search_fields = ("name", "position", "unit__name")
    autocomplete_fields = ("unit",)

    def _editable(self, request) -> tuple[str, ...]:
        return services.PERSON_UPDATABLE_FIELDS if is_administrator(request.user) else PERSON_FIELDS_FOR_CLERKS

    def get_fields(self, request, obj=None):
        return ("jurisdiction", *self._editable(request))

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        fields = tuple(f for f in services.PERSON_UPDATABLE_FIELDS if f in form.fields)
        if change:
            return services.person_update(actor=actor, person=obj, data=changed(form, fields))
        return services.person_create(actor=actor, **created(form, ("jurisdiction", *fields)))


@admin.register(AuditLog)
class AuditLogAdmin(AdministratorOnly, ReadOnlyAdmin):
    """The whole log spans every jurisdiction: the administrator's; each page shows its own 操作记录."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "action", "object_type", "object_id")
    date_hierarchy = "at"
    fields = ("at", "actor", "actor_label", "action", "object_type", "object_id", "before", "after")

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- logins and role groups: the administrator's only, written through the services ------------------

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    """Logins. Changing a login's standing (superuser, staff, active), role groups or permissions, or
    setting its password, writes an audit row through the accounts services."""

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data.get("password1") or None,  # None: no usable password
            )
            obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db
            return
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in services.USER_UPDATABLE_FIELDS}
        services.user_update(actor=request.user, user=obj, data=data)

    def save_related(self, request, form, formsets, change):
        user = User.objects.get(pk=form.instance.pk)
        if "groups" in form.cleaned_data:
            services.user_set_groups(actor=request.user, user=user, groups=form.cleaned_data["groups"])
        if "user_permissions" in form.cleaned_data:
            services.user_set_permissions(
                actor=request.user, user=user, permissions=form.cleaned_data["user_permissions"]
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        """Django's page, with the change written through user_set_password (audited, no password kept)."""
        if request.method == "POST":
            user = self.get_object(request, id)
            form = self.change_password_form(user, request.POST)
            if user is not None and form.is_valid():
                services.user_set_password(actor=request.user, user=user, password=form.cleaned_data["password1"])
                self.message_user(request, "密码已修改。")
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)


@admin.register(Group)
class GroupAdmin(AdministratorOnly, DjangoGroupAdmin):
    """The role groups are fixed (duban.accounts.roles): read, not made or renamed."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
