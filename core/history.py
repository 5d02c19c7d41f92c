"""django-simple-history's HistoricalRecords, recording many-to-many links with one plain query."""

from __future__ import annotations

from simple_history import models as simple_history
from simple_history.signals import post_create_historical_m2m_records, pre_create_historical_m2m_records
from simple_history.utils import get_m2m_field_name


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's HistoricalRecords; only the recording of many-to-many links differs.

    On every save of a model with `m2m_fields`, upstream (3.13) rebuilds the object from its new
    history record just to find the through model (with `excluded_fields`, that is a query) and reads
    the links joined to both of their rows, of which it keeps the ids. Here the through model comes
    from the field and the links are read as ids: the same rows are written and the same signals sent,
    with one light query instead of two heavy ones (a response save is about 20 queries in all).
    """

    def create_historical_record_m2ms(self, history_instance, instance):
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through_model = field.remote_field.through
            columns = [through_field.attname for through_field in through_model._meta.fields]
            links = through_model._default_manager.filter(**{get_m2m_field_name(field): instance})
            insert_rows = [m2m_history_model(history=history_instance, **row) for row in links.values(*columns)]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model,
                rows=insert_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created_rows = m2m_history_model.objects.bulk_create(insert_rows)
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=created_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
