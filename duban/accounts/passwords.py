"""The site's password rules (settings.AUTH_PASSWORD_VALIDATORS) where Django's own need a correction."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, refusing in the site's language: Django 5.2 words the refusal "… at least %d characters.",
    while its catalogues translate "… at least %(min_length)d characters.", so the page said it in English.
    This asks the catalogue for the wording it translates."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
