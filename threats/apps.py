from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ThreatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "threats"
    verbose_name = "Threats and editions"

    def ready(self) -> None:
        from threats.models import Edition, JudgementLevel
        from threats.scales import forget_scales

        # The cached scales (threats.scales) are read again after any change to one.
        for model in (Edition, JudgementLevel):
            post_save.connect(forget_scales, sender=model, dispatch_uid=f"spr-forget-scales-{model.__name__}")
            post_delete.connect(forget_scales, sender=model, dispatch_uid=f"spr-forget-scales-del-{model.__name__}")
