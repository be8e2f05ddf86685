from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "duban.reports"
    label = "reports"
    verbose_name = "公文与报表"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from duban import panels
        from duban.reports import tallies
        from duban.reports.panels import downloads_panel

        tallies.connect()  # the 督查通报's counts of reports by period follow every report write
        panels.register(panels.DOWNLOADS, template="reports/_downloads.html", build=downloads_panel, order=10)
