from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    label = "ledger"
    verbose_name = "督查台账"

    def ready(self) -> None:
        from django.core import checks

        from duban import panels
        from duban.ledger import daily, ladder  # noqa: F401 (register the ledger's daily jobs)
        from duban.ledger.supervision import check_supervision_settings

        checks.register(check_supervision_settings)
        from duban.ledger.panels import workbench_panel

        panels.register(panels.WORKBENCH, template="ledger/panel.html", build=workbench_panel, order=10)
