from django.apps import AppConfig


def _sync_on_decisions_changed(sender, *, jurisdiction, actor, units=None, moved_years=None, **kwargs) -> None:
    from duban.scoring.services import ledger_sync, ledger_sync_units

    if units is None:  # a sender that does not say which units: the whole jurisdiction
        ledger_sync(jurisdiction=jurisdiction, actor=actor)
    else:
        ledger_sync_units(jurisdiction=jurisdiction, units=units, actor=actor, moved_years=moved_years)


class ScoringConfig(AppConfig):
    name = "duban.scoring"
    label = "scoring"
    verbose_name = "考核积分"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from duban import panels
        from duban.accountability.signals import decisions_changed
        from duban.scoring import panels as mine
        from duban.scoring import tallies

        tallies.connect()  # the register of 公开曝光 counted by day follows its deletes

        # Every decision write books its difference in the score ledger (its unit's), in the same transaction.
        decisions_changed.connect(_sync_on_decisions_changed, dispatch_uid="scoring.ledger_sync")
        panels.register(panels.WORKBENCH, template="scoring/panel.html", build=mine.workbench_panel, order=30)
        panels.register(panels.TASK_SECTIONS, template="scoring/_task_points.html", build=mine.task_section, order=30)
