from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # checks registers, signals connects the audit trail, user_sessions its sign-in/out and password receivers
        from core import checks, converters, signals, user_sessions  # noqa: F401

        converters.register()
