from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    label = "ledger"
    verbose_name = "督查台账"

    def ready(self) -> None:
        from django.core import checks

        from duban import panels
        from duban.ledger import daily, facts, ladder, lifecycle, tallies  # noqa: F401 (register the ledger's daily jobs)
        from duban.ledger.panels import task_life_actions, task_life_section, workbench_panel
        from duban.ledger.supervision import check_supervision_settings

        checks.register(check_supervision_settings)
        facts.connect()  # a task's stored facts follow its deadlines, reports, units and 督办单
        tallies.connect()  # the standing counted by day follows every task write

        panels.register(panels.WORKBENCH, template="ledger/panel.html", build=workbench_panel, order=10)
        panels.register(
            panels.TASK_ACTIONS, template="ledger/_task_life_actions.html", build=task_life_actions, order=5
        )
        panels.register(panels.TASK_SECTIONS, template="ledger/_task_life.html", build=task_life_section, order=5)
