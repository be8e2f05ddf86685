"""What backup and restore tell their caller."""

from __future__ import annotations

from duban.errors import InputError


class BackupRefused(InputError):
    """The backup or the target is not fit to go on with: nothing was touched (the CLI exits 2)."""


class BackupFailed(Exception):
    """An operation went wrong while it ran (a tool failed, a disk filled): the CLI exits 1 with the
    message; a backup is left unfinished under a hidden name and removed, a restore rolled back."""
