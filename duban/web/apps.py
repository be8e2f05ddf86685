from django.apps import AppConfig, apps


class WebConfig(AppConfig):
    name = "duban.web"
    label = "web"
    verbose_name = "门户"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from duban.web.planner import after_migrate

        # post_migrate is sent once for each app with models, in order: the last one's comes after every table
        last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(after_migrate, sender=last, dispatch_uid="planner-statistics-after-migrate")
