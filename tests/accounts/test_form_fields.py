"""duban.accounts.fields: a choice of rows refuses a key that is no database integer, before any query."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from duban.accounts.fields import ModelChoiceField, ModelMultipleChoiceField
from duban.accounts.models import Unit
from duban.accounts.services import unit_create

pytestmark = pytest.mark.django_db

BAD = ["99999999999999999999999", "²", "١", "-1", "1.0", "abc"]


@pytest.mark.parametrize("value", BAD)
def test_one_choice_refuses_a_key_that_is_no_integer_the_database_holds(city, value):
    with pytest.raises(ValidationError):
        ModelChoiceField(queryset=Unit.objects.all()).clean(value)


@pytest.mark.parametrize("value", BAD)
def test_many_choices_refuse_a_key_that_is_no_integer_the_database_holds(city, value):
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    with pytest.raises(ValidationError):
        ModelMultipleChoiceField(queryset=Unit.objects.all()).clean([str(unit.pk), value])


def test_a_real_key_is_chosen(city):
    unit = unit_create(actor=None, jurisdiction=city, name="市教育局")
    assert ModelChoiceField(queryset=Unit.objects.all()).clean(str(unit.pk)) == unit
    assert list(ModelMultipleChoiceField(queryset=Unit.objects.all()).clean([str(unit.pk)])) == [unit]
