from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    label = "ledger"
    verbose_name = "督查台账"

    def ready(self) -> None:
        from duban import panels
        from duban.ledger import daily  # noqa: F401 (registers the ledger's daily jobs)
        from duban.ledger.panels import workbench_panel

        panels.register(panels.WORKBENCH, template="ledger/panel.html", build=workbench_panel, order=10)
