from django.apps import AppConfig


class CycleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cycle"
    verbose_name = "The annual cycle: deadlines and reminders"
