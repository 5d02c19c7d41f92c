from django.apps import AppConfig


class ThreatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "threats"
    verbose_name = "Threats and editions"
