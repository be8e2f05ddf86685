from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "duban.reports"
    label = "reports"
    verbose_name = "公文与报表"
    default_auto_field = "django.db.models.BigAutoField"
