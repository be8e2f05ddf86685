from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "duban.accountability"
    label = "accountability"
    verbose_name = "督查问责"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from duban import panels
        from duban.accountability import panels as mine
        from duban.accountability import tallies
        from duban.accountability.rulebooks import check_rulebook_actors
        from duban.accountability.services import rectification_reminders
        from duban.ledger import daily

        checks.register(check_rulebook_actors)
        tallies.connect()
        daily.register("accountability.rectification_due", rectification_reminders)

        from django.urls import reverse

        from duban.ledger import ladder

        # the ladder's 建议立案问责 leads to 立案 from the task (the office decides there)
        ladder.register_link("propose_case", lambda task: reverse("accountability:case_open_from_task", args=[task.pk]))

        panels.register(panels.WORKBENCH, template="accountability/panel.html", build=mine.workbench_panel, order=20)
        panels.register(
            panels.TASK_ACTIONS, template="accountability/_task_actions.html", build=mine.task_actions, order=20
        )
        panels.register(
            panels.TASK_SECTIONS, template="accountability/_task_cases.html", build=mine.task_cases, order=20
        )
