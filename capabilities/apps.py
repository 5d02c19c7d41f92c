from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CapabilitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "capabilities"
    verbose_name = "Capabilities"

    def ready(self) -> None:
        from capabilities.models import Area, Requirement
        from capabilities.structure import forget_structures
        from threats.models import Edition, JudgementLevel, Threat

        # The cached edition structures (capabilities.structure) are read again after any change to one.
        for model in (Edition, Threat, Area, Requirement, JudgementLevel):
            name = model.__name__
            post_save.connect(forget_structures, sender=model, dispatch_uid=f"spr-forget-structure-{name}")
            post_delete.connect(forget_structures, sender=model, dispatch_uid=f"spr-forget-structure-del-{name}")
        for through in (Requirement.threats.through, Requirement.areas.through):
            name = through.__name__
            m2m_changed.connect(forget_structures, sender=through, dispatch_uid=f"spr-forget-structure-m2m-{name}")
            post_save.connect(forget_structures, sender=through, dispatch_uid=f"spr-forget-structure-row-{name}")
            post_delete.connect(forget_structures, sender=through, dispatch_uid=f"spr-forget-structure-rdel-{name}")
