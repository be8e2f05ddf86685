"""The settings the suite runs on (pytest's --ds, pyproject.toml): the site's own defaults — debug off, as
in production — with a secret key that is only for tests. The key goes into the environment before the
site's settings are read (they refuse to start without one), and so also reaches the commands a test
runs in a subprocess (manage.py check)."""

import os

os.environ.setdefault("DUBAN_SECRET_KEY", "tests-only-not-secret-" + "k" * 40)

from duban.web.settings import *  # noqa: F403

# The upload worker's jobs run at once, in the test's own process and transaction (huey's immediate mode);
# tests/ledger/test_upload_worker.py starts a real worker.
# That worker runs on these settings too, with DUBAN_TEST_QUEUE_WORKER=1: not immediate, its queue the test's file.
HUEY = {**HUEY, "immediate": os.environ.get("DUBAN_TEST_QUEUE_WORKER") != "1"}  # noqa: F405
