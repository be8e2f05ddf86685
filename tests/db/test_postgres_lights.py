"""亮灯 on a real PostgreSQL server (days between dates, the local date of the day a task was given, the
reasons as CASE): the generated ledger of tests/ledger/test_lights_property.py, the database's light equal to
the Python light and to the plain reading of the thresholds, and the per-period missed reports too."""

from __future__ import annotations

import pytest

from duban.ledger import lights
from tests.ledger.test_lights_property import _agree, _generate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_lights_on_postgresql():
    seen_lights, seen_reasons = _agree(_generate(seed=11))
    assert seen_lights == set(lights.LIGHT_LABELS) and seen_reasons == set(lights.REASON_LABELS)
