"""Fixtures shared by the Django apps' suites (see duban.scoring.testing), and the cast of 第八条."""

from accountability_cast import cast  # noqa: F401

from duban.scoring.testing import *  # noqa: F403
