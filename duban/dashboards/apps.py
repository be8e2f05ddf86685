from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "duban.dashboards"
    label = "dashboards"
    verbose_name = "统计图表"
    default_auto_field = "django.db.models.BigAutoField"
