from django.apps import AppConfig


class CapabilitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "capabilities"
    verbose_name = "Capabilities"
