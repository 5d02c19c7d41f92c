"""django-simple-history's HistoricalRecords, recording many-to-many links with one plain query."""

from __future__ import annotations

import dataclasses

from simple_history import models as simple_history
from simple_history.signals import post_create_historical_m2m_records, pre_create_historical_m2m_records
from simple_history.utils import get_m2m_field_name


@dataclasses.dataclass
class HeldState:
    """A row as a service read it under lock, before changing it: its tracked values and, for each
    many-to-many field, its link rows (the through model's columns). Given to `hold`, it spares the
    next save's history and audit from reading back what the service already holds: the links are
    copied from here while they are unchanged, and the audit diffs against these values rather than
    the previous history record (which, for a row only ever written with history, holds the same)."""

    values: dict
    links: dict[str, list[dict]]
    #: Link target ids by m2m field name, before and after the save (filled as history is written).
    before_ids: dict[str, list] = dataclasses.field(default_factory=dict)
    after_ids: dict[str, list] = dataclasses.field(default_factory=dict)


HELD = "_history_held"


def hold(instance, *, links: dict[str, list[dict]]) -> HeldState:
    """Record `instance` as it stands now (read under lock, not yet changed) with its `links`
    ({m2m field name: through rows as dicts}); its next save writes history and audit from this.
    `replace_links` changes the links held; `release` forgets the lot."""
    history = type(instance).history.model
    state = HeldState(
        values={name: getattr(instance, name) for name in (f.attname for f in history.tracked_fields)},
        links={name: list(rows) for name, rows in links.items()},
    )
    for name, rows in state.links.items():
        target = f"{instance._meta.get_field(name).m2m_reverse_field_name()}_id"
        state.before_ids[name] = sorted(row[target] for row in rows)
    setattr(instance, HELD, state)
    return state


def held_state(instance) -> HeldState | None:
    return getattr(instance, HELD, None) if instance is not None else None


def replace_links(instance, name: str, values) -> None:
    """Link `instance` to exactly `values` (objects or ids) through m2m field `name`, from the links it
    holds (`hold`): a DELETE of those that go and an INSERT of those that come, and the held links
    updated, so neither this nor the history reads them back (`.set()` reads them twice). Like the
    rest of a held save, no m2m_changed signal is sent (simple-history, the only receiver, ignores
    them while a save skips its history)."""
    state = held_state(instance)
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    columns = [through_field.attname for through_field in through._meta.fields]
    rows = state.links[name]
    current = {row[target] for row in rows}
    wanted = {getattr(value, "pk", value) for value in values}
    gone = current - wanted
    if gone:
        through._default_manager.filter(**{source: instance.pk, f"{target}__in": gone}).delete()
    added = through._default_manager.bulk_create(
        [through(**{source: instance.pk, target: pk}) for pk in sorted(wanted - current)]
    )
    instance.__dict__.get("_prefetched_objects_cache", {}).pop(field.name, None)
    if any(link.pk is None for link in added):  # a database that does not return new ids: read them
        state.links.pop(name)
        return
    kept = [row for row in rows if row[target] not in gone]
    kept += [{column: getattr(link, column) for column in columns} for link in added]
    state.links[name] = sorted(kept, key=lambda row: row[through._meta.pk.attname])


def release(instance) -> None:
    instance.__dict__.pop(HELD, None)


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's HistoricalRecords; only the recording of many-to-many links differs.

    On every save of a model with `m2m_fields`, upstream (3.13) rebuilds the object from its new
    history record just to find the through model (with `excluded_fields`, that is a query) and reads
    the links joined to both of their rows, of which it keeps the ids. Here the through model comes
    from the field and the links are read as ids: the same rows are written and the same signals sent,
    with one light query instead of two heavy ones; and none when the object carries its links as a
    service read them under lock (`hold`) and they have not changed since.
    """

    def create_historical_record_m2ms(self, history_instance, instance):
        held = held_state(instance)
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through_model = field.remote_field.through
            columns = [through_field.attname for through_field in through_model._meta.fields]
            if held is not None and field.name in held.links:
                rows = held.links[field.name]
            else:
                links = through_model._default_manager.filter(**{get_m2m_field_name(field): instance})
                rows = list(links.values(*columns))
            if held is not None:
                target = f"{field.m2m_reverse_field_name()}_id"
                held.after_ids[field.name] = sorted(row[target] for row in rows)
            insert_rows = [m2m_history_model(history=history_instance, **row) for row in rows]
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
