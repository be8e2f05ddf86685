"""Form fields every app's forms share: a choice of rows by primary key, refusing a key that is no
integer the database holds before any query (``'99999999999999999999999'`` overflowed SQLite's
INTEGER: a 500; ``'²'`` passed ``str.isdigit()``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from duban.inputs import parse_int


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if parse_int(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, (list, tuple, set, frozenset)) else []:
            if not isinstance(pk, self.queryset.model) and parse_int(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
