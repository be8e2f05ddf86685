"""Fixtures shared by every suite: the worlds of tests/factories.py, built per test."""

from __future__ import annotations

import pytest

from tests.factories import World, build_world, city_create


@pytest.fixture
def world(db) -> World:
    """The world of the spec's examples (tests.factories.build_world)."""
    return build_world()


@pytest.fixture
def city(db):
    """驻马店市 alone, created without an actor."""
    return city_create()
