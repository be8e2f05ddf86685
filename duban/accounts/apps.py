from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "duban.accounts"
    label = "accounts"
    verbose_name = "机构与人员"
    default_auto_field = "django.db.models.BigAutoField"
