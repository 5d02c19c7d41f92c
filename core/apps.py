from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import checks, converters, signals, signin  # noqa: F401 — checks registers; signals, signin connect

        converters.register()
