"""scripts/deploy-check, the production set-up tried on this machine (docs/deploy.md): two gunicorn servers and
the worker on one PostgreSQL database, with the production settings. It starts a PostgreSQL server of its own
(scripts/with-postgres), so it runs in the PostgreSQL run of `make test`, beside the other tests of a real
server. Whatever way it ends, nothing it started is left running and its directories are gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "deploy-check"
STEPS = (
    "collectstatic",
    "check --deploy",
    "create_huey_tables",
    "migrate",
    "gunicorn × 2",
    "nginx -t with deploy/nginx/duban.conf",
    "through nginx: HTTPS to both servers",
    "web-1: the login page",
    "web-2: the login page",
    "plain HTTP is redirected to HTTPS, but a monitor",
    "a stylesheet through whitenoise",
    "a login on web-1 is a session web-2 accepts",
    "an upload on web-2 is read by the worker and followed on web-1",
    "the worker's scheduler",
    "the daily run by hand",
    "everything stops on its signal",
)


def processes_marked(mark: str) -> list[str]:
    """The processes still running whose environment carries ``mark`` (every one the script started does)."""
    found = []
    needle = mark.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{entry.name}: {command}")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def run_check(tmp_path: Path, **env: str) -> tuple[int, str, str, list[str]]:
    """Run the script (its temporary directories under ``tmp_path`` where it may choose) and return its exit
    code, output, errors and what it left running."""
    mark = f"DEPLOY_CHECK_TEST_MARK={uuid.uuid4().hex}"
    name, value = mark.split("=", 1)
    environment = {**os.environ, "TMPDIR": str(tmp_path), "DUBAN_PYTHON": sys.executable, name: value, **env}
    environment.pop("DATABASE_URL", None)  # the script's own server, not this run's
    process = subprocess.Popen(
        [str(SCRIPT)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # the script stops what it started, with-postgres its server
        out, err = process.communicate(timeout=60)
        pytest.fail(f"deploy-check ran over 300 s:\n{out}\n{err}")
    return process.returncode, out, err, processes_marked(mark)


def test_the_deploy_check_passes_and_leaves_nothing_behind(tmp_path):
    code, out, err, left = run_check(tmp_path)
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert lines[-1].startswith(f"deploy-check: all {len(lines) - 1} steps passed")
    for step in STEPS:
        assert any(line.startswith(f"deploy-check: ok  {step}") for line in lines), step
    assert not left
    assert not list(tmp_path.iterdir())


def test_a_failure_is_one_line_naming_it_and_leaves_nothing_behind(tmp_path):
    code, out, err, left = run_check(tmp_path, DUBAN_PYTHON=str(tmp_path / "no-python"))
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        f"deploy-check: FAILED cannot run {tmp_path / 'no-python'} "
        "(No such file or directory; DUBAN_PYTHON names the project's Python)"
    )
    assert "deploy-check: ok" not in out
    assert not left
    assert not list(tmp_path.iterdir())
