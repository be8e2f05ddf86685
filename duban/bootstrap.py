"""Configure Django for the command-line stages that read or write the database (ledger, scoring).

The pure cores (duban.intake, duban.rules) never call this: they import no Django."""


def setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    django.setup()
