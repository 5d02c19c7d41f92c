from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ForcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forces"
    verbose_name = "Forces"

    def ready(self) -> None:
        from forces.catalogue import forget_forces
        from forces.models import Force, Region

        # The cached forces and regions (forces.catalogue) are read again after any change to one.
        for model in (Force, Region):
            name = model.__name__
            post_save.connect(forget_forces, sender=model, dispatch_uid=f"spr-forget-forces-{name}")
            post_delete.connect(forget_forces, sender=model, dispatch_uid=f"spr-forget-forces-del-{name}")
