from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "duban.accountability"
    label = "accountability"
    verbose_name = "督查问责"
    default_auto_field = "django.db.models.BigAutoField"
