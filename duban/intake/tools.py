"""The external programs intake calls (tesseract, pdftoppm, LibreOffice): found on PATH, run with a timeout
in a process group of their own, a timeout reported as InputError naming what took too long."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Sequence

from duban.errors import InputError


def find_tool(name: str) -> str | None:
    """The path of a program (tests replace this to pretend one is missing)."""
    return shutil.which(name)


def run_tool(command: Sequence[str], timeout: float, what: str, name: str) -> subprocess.CompletedProcess[bytes]:
    """Run a program in its own process group; on timeout the whole group is ended."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}
    with subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InputError(f"{name}: {what} took longer than {int(timeout)} seconds; stopped") from None
        return subprocess.CompletedProcess(process.args, process.returncode or 0, out, err)
