from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "duban.scoring"
    label = "scoring"
    verbose_name = "考核积分"
    default_auto_field = "django.db.models.BigAutoField"
