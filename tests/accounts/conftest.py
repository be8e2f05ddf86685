"""Fixtures shared by the Django apps' suites (see duban.scoring.testing)."""

from duban.scoring.testing import *  # noqa: F401,F403
