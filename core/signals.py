"""Audit every record django-simple-history tracks, whoever changed it and however (pages, API,
admin, management commands). This is the one cross-cutting signal handler; domain work never
happens in signals."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from core.audit import audit_from_history


@receiver(post_create_historical_record, dispatch_uid="spr-audit-trail")
def _audit(sender, history_instance, instance=None, **kwargs):
    # The saved object itself, relations already loaded, spares rebuilding it from the record.
    audit_from_history(history_instance, instance=instance)
