from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # checks registers; security_events, signals, signin and user_sessions connect their receivers
        from core import checks, converters, security_events, signals, signin, user_sessions  # noqa: F401

        converters.register()
        security_events.connect()
