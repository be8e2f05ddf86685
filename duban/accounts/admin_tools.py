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
