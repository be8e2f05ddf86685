"""Configure Django for the command-line stages that read or write the database (ledger, scoring).

The pure cores (duban.intake, duban.rules) never call this: they import no Django."""


def setup_django() -> None:
    import os

    import django
    from django.core.exceptions import ImproperlyConfigured

    from duban.errors import InputError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    try:
        django.setup()
    except ImproperlyConfigured as exc:  # a setting the site refuses (no DUBAN_SECRET_KEY, a bad DUBAN_TODAY)
        raise InputError(str(exc)) from None
