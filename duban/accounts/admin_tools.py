"""Admin that writes through the services, and admin that only reads.

The admin is a user interface like any other: its saves go through the same service functions
(validation, audit row, ledger sync), never straight to the model. A service's ValidationError
must show on the form rather than crash the page, so the form first runs the service in a
savepoint that is always rolled back ("dry run"); the real call happens in save_model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction


class _RollBack(Exception):
    pass


def dry_run(call: Callable[[], Any]) -> None:
    """Run `call` and undo everything it wrote; its ValidationError propagates."""
    try:
        with transaction.atomic():
            call()
            raise _RollBack
    except _RollBack:
        pass


class ServiceAdmin(admin.ModelAdmin):
    """Subclasses implement call_service(actor, form, obj, change) -> the saved instance."""

    def call_service(self, *, actor, form, obj: models.Model | None, change: bool) -> models.Model:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    dry_run(lambda: model_admin.call_service(actor=None, form=self, obj=obj, change=change))
                except ValidationError as exc:
                    self._add_service_errors(exc)

            def _add_service_errors(self, exc: ValidationError) -> None:
                if not hasattr(exc, "error_dict"):
                    self.add_error(None, exc)
                    return
                for field, errors in exc.error_dict.items():
                    target = field if field in self.fields else None
                    if target is None and field != NON_FIELD_ERRORS:
                        errors = [ValidationError(f"{field}：{message}") for e in errors for message in e.messages]
                    self.add_error(target, errors)

        return ServiceForm

    def save_model(self, request, obj, form, change):
        saved = self.call_service(actor=request.user, form=form, obj=obj, change=change)
        # The admin goes on with `obj` (messages, redirect, its own LogEntry): make it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    # Rows others point at (decisions, ledger, audit) are deactivated or corrected, not deleted.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def changed(form, fields: tuple[str, ...]) -> dict[str, Any]:
    """The edited fields of a change form that the service accepts."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


def created(form, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only tables: list, search, view; never add, change or delete."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- jurisdiction: city staff work in the city, a county's staff in their county (第八条) ------------------


def scope_queryset(queryset: models.QuerySet, jurisdiction: Any) -> models.QuerySet:
    """``queryset`` narrowed to ``jurisdiction``, for the models that belong to one (others unchanged)."""
    from duban.accounts.models import Jurisdiction

    model = queryset.model
    if jurisdiction is None:
        return queryset.none()
    if model is Jurisdiction:
        return queryset.filter(pk=jurisdiction.pk)
    if any(field.name == "jurisdiction" for field in model._meta.concrete_fields):
        return queryset.filter(jurisdiction=jurisdiction)
    return queryset


class ScopedByJurisdiction(admin.ModelAdmin):
    """Every list, form, choice and object of a non-administrator is their own jurisdiction's.

    ``jurisdiction_path`` is the lookup from the model to its Jurisdiction. The system administrator (a
    superuser) sees every jurisdiction; a login with no person sees nothing."""

    jurisdiction_path = "jurisdiction"

    def _jurisdiction(self, request):
        from duban.accounts.access import jurisdiction_of

        return jurisdiction_of(request.user)

    def _administrator(self, request) -> bool:
        from duban.accounts.access import is_administrator

        return is_administrator(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._administrator(request):
            return queryset
        jurisdiction = self._jurisdiction(request)
        if jurisdiction is None:
            return queryset.none()
        return queryset.filter(**{self.jurisdiction_path: jurisdiction.pk})

    def get_list_filter(self, request):
        """A clerk filters within their jurisdiction: no filter by jurisdiction (it would list the others)."""
        filters = super().get_list_filter(request)
        if self._administrator(request):
            return filters
        return tuple(f for f in filters if not (isinstance(f, str) and f.split("__")[-1] == "jurisdiction"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and not self._administrator(request):
            field.queryset = scope_queryset(field.queryset, self._jurisdiction(request))
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and not self._administrator(request):
            field.queryset = scope_queryset(field.queryset, self._jurisdiction(request))
        return field

    def _in_scope(self, request, obj) -> bool:
        if obj is None or self._administrator(request):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class AdministratorOnly(admin.ModelAdmin):
    """Pages only the system administrator opens (logins, role groups, the whole audit log)."""

    def _administrator(self, request) -> bool:
        from duban.accounts.access import is_administrator

        return is_administrator(request.user)

    def has_module_permission(self, request) -> bool:
        return self._administrator(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._administrator(request)

    def has_add_permission(self, request, *args) -> bool:
        return self._administrator(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._administrator(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
