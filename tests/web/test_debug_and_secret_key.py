"""Debug is off and no fixed secret key is used unless DUBAN_DEBUG=1 says the site runs in development."""

import os
import subprocess
import sys

import pytest

from duban import PROJECT_DIR

READ = "import duban.web.settings as s; print(s.DEBUG, s.SECRET_KEY)"


def _settings(**environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DUBAN_DEBUG", "DUBAN_SECRET_KEY")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_key_the_site_does_not_start_and_names_the_variable():
    run = _settings()
    assert run.returncode != 0 and run.stdout == ""
    assert "ImproperlyConfigured: DUBAN_SECRET_KEY is not set" in run.stderr


@pytest.mark.parametrize("debug", ["0", "", "true", "yes"])
def test_only_duban_debug_1_turns_debug_on(debug):
    run = _settings(DUBAN_DEBUG=debug, DUBAN_SECRET_KEY="k" * 50)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "k" * 50]


def test_a_key_of_its_own_runs_with_debug_off():
    run = _settings(DUBAN_SECRET_KEY="a-key-of-its-own-" + "x" * 40)
    assert run.stdout.split() == ["False", "a-key-of-its-own-" + "x" * 40]


def test_development_mode_may_use_the_development_key():
    run = _settings(DUBAN_DEBUG="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "dev-only-not-secret-duban"]


def test_the_suite_itself_runs_with_debug_off(settings):
    assert settings.DEBUG is False
    assert settings.SECRET_KEY != "dev-only-not-secret-duban"


def test_the_command_line_says_so_in_one_line_too():
    env = {
        k: v for k, v in os.environ.items() if k not in ("DUBAN_DEBUG", "DUBAN_SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    run = subprocess.run(
        [sys.executable, "-m", "duban.cli", "rank", "--month", "2020-07"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("duban: DUBAN_SECRET_KEY is not set") and run.stderr.count("\n") == 1
