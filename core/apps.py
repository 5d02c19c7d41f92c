from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import checks, converters, security_events, signals  # noqa: F401 — checks registers, signals connects the audit trail

        converters.register()
        security_events.connect()
