"""The cast of 第八条 (accountability_cast.py); the world it builds on comes from tests/factories.py."""

from accountability_cast import cast  # noqa: F401
