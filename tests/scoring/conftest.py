"""Fixtures shared by the Django apps' suites (see duban.scoring.testing)."""

from duban.scoring.testing import *  # noqa: F403
