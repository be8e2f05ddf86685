"""Errors that reach a user. The CLI prints their message on one line of stderr and exits 2."""


class InputError(Exception):
    """Bad input: a file, a field, an argument. The message names the problem."""


def setup_django() -> None:
    """Configure Django for CLI commands that read or write the database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    django.setup()
