"""Errors that reach a user. The CLI prints their message on one line of stderr and exits 2."""


class InputError(Exception):
    """Bad input: a file, a field, an argument. The message names the problem."""
