"""The audit trail: every change to an audited record becomes an AuditEntry in one hash chain.

Entries come from django-simple-history's records (so saves from pages, the API, the admin and
management commands are all caught) and from explicit calls such as workflow transitions.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.bulk import insert_rows
from core.models import AuditEntry, force_id_of

GENESIS = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises writers of the chain.
CHAIN_LOCK_KEY = 7_214_302_001
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}
ACTIONS = {"+": AuditEntry.Action.CREATED, "~": AuditEntry.Action.CHANGED, "-": AuditEntry.Action.DELETED}


#: Values JSON takes as they are: most of an audit entry's, checked before the slower cases below.
_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return value


#: json.dumps with these options, built once (json.dumps builds an encoder on every call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(payload: dict) -> bytes:
    """The bytes a hash is taken over: sorted keys, no whitespace, UTF-8."""
    return _CANONICAL.encode(payload).encode()


class EntryContent(NamedTuple):
    """What an entry's hash covers besides the previous hash: the fields of an AuditEntry (which has
    them all, so either can be hashed), as a light tuple for rows written in bulk."""

    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    model: str
    object_id: str
    force_id: int | None
    changes: dict


def entry_hash(entry: AuditEntry | EntryContent, *, prev_hash: str) -> str:
    """The hash of one entry in the chain: its content and the previous entry's hash, canonical JSON,
    SHA-256. The one place the chain's hash is defined (writing and verifying both call it)."""
    payload = {
        "prev": prev_hash,
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "model": entry.model,
        "object": entry.object_id,
        "force": entry.force_id,
        "changes": entry.changes,
    }
    return hashlib.sha256(canonical(payload)).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: the settings open every transaction IMMEDIATE, so writers are already serialised.


def _describe(
    *,
    actor,
    action: str,
    instance=None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    force_id: int | None = None,
    changes: dict | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """An unsaved entry without its place in the chain."""
    if instance is not None:
        model = model or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
        force_id = force_id if force_id is not None else force_id_of(instance)
    return AuditEntry(
        at=(at or timezone.now()).astimezone(dt.UTC),
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:200],
        force_id=force_id,
        changes=_jsonable(changes or {}),
    )


def _chain_end() -> str:
    """Take the chain's lock (to the end of the transaction) and answer the hash of its last entry.
    Two statements: the last hash must be read after the lock is held, never in the same snapshot."""
    _lock_chain()
    return AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS


def _chain(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Link and store entries at the end of the chain, holding the chain's lock (to the end of the
    caller's transaction). No savepoint: an entry that cannot be written fails the whole change."""
    with transaction.atomic(savepoint=False):
        prev = _chain_end()
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(entry, prev_hash=prev)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
            return entries
        return AuditEntry.objects.bulk_create(entries)


def changed_fields(instance, before: dict, fields) -> dict:
    """{field: [before, after]} for the `fields` whose value on `instance` differs from `before`: the
    changes of a model that keeps no history table, for `audit_record`."""
    return {
        name: [before.get(name), getattr(instance, name)]
        for name in fields
        if before.get(name) != getattr(instance, name)
    }


def audit_record(**kwargs) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction, if any). Takes the keyword
    arguments of an entry: actor, action, and either instance or model/object_id/object_repr/force_id,
    plus changes and at."""
    return _chain([_describe(**kwargs)])[0]


def _m2m_ids(records: list, field) -> list[list]:
    """The ids a many-to-many field pointed at when each history record was made (one query)."""
    # The field's history table (one row per link per record), from simple-history's descriptor on
    # the record's class: reading it as an attribute would build a new manager class on every call.
    links = vars(records[0]._meta.model)[field.name].model
    to_record = next(f.attname for f in links._meta.fields if f.related_model is records[0]._meta.model)
    target = f"{field.m2m_reverse_field_name()}_id"
    ids = {record.history_id: [] for record in records}
    rows = links._default_manager.filter(**{f"{to_record}__in": list(ids)})
    for history_id, value in rows.values_list(to_record, target):
        ids[history_id].append(value)
    return [sorted(ids[record.history_id]) for record in records]


def _previous_record(history_instance):
    """simple-history's `prev_record` (the same query), without the manager class it builds per call."""
    key = history_instance.instance_type._meta.pk.attname
    records = history_instance._meta.model._default_manager.filter(
        **{key: getattr(history_instance, key), "history_date__lt": history_instance.history_date}
    )
    return records.order_by("history_date").last()


def changes_of(history_instance, *, with_m2m: bool = True) -> dict:
    """{field: [before, after]} between a simple-history record and the one before it."""
    tracked = [
        f for f in history_instance._meta.fields if f.attname not in HISTORY_FIELDS and f.name != "history_relation"
    ]
    previous = _previous_record(history_instance) if history_instance.history_type != "+" else None
    changes = {}
    for field in tracked:
        after = getattr(history_instance, field.attname)
        before = getattr(previous, field.attname) if previous is not None else None
        if history_instance.history_type == "-":
            before, after = after, None
        if before != after or previous is None and history_instance.history_type == "+":
            changes[field.attname] = [before, after]
    for field in getattr(history_instance, "_history_m2m_fields", []) if with_m2m else []:
        if previous is not None:
            after, before = _m2m_ids([history_instance, previous], field)
        else:
            after, before = _m2m_ids([history_instance], field)[0], []
        if before != after:
            changes[field.name] = [before, after]
    return changes


def _from_history(history_instance, *, with_m2m: bool = True) -> AuditEntry:
    return _describe(
        actor=history_instance.history_user,
        action=ACTIONS[history_instance.history_type],
        instance=history_instance.instance,
        changes=changes_of(history_instance, with_m2m=with_m2m),
        at=history_instance.history_date,
    )


def audit_from_history(history_instance, *, instance=None) -> AuditEntry:
    """One entry for a simple-history record; pass the saved `instance` when at hand (fewer queries)."""
    record = _InMemory(history_instance, instance) if instance is not None else history_instance
    return _chain([_from_history(record)])[0]


class _InMemory:
    """A history record whose `instance` is the object just written, with its related rows already in
    memory. Left to itself, simple-history rebuilds `instance` from the record and the audit then
    follows relations for `str()` and the force: several queries per row, most of a bulk write's
    time. The values are the ones the record holds."""

    def __init__(self, record, instance):
        self._record = record
        self.instance = instance

    def __getattr__(self, name):
        return getattr(self._record, name)


def audit_bulk_written(model, objects: list) -> None:
    """Audit rows just written by simple-history's bulk_create_with_history: one query for their
    records, one lock and one INSERT."""
    if not objects:
        return
    by_id = {obj.pk: obj for obj in objects}
    latest = {}
    records = (
        model.history.filter(id__in=list(by_id), history_type="+")
        .select_related("history_user")
        .order_by("-history_id")
    )
    for record in records:
        latest.setdefault(record.id, record)
    ordered = sorted(latest.values(), key=lambda record: record.history_id)
    audit_from_history_bulk(_InMemory(record, by_id[record.id]) for record in ordered)


def bulk_create_audited(model, objects: list, *, user=None) -> list:
    """bulk_create with history (each object's `_history_user`, else `user`) and the audit entries
    simple-history does not signal for bulk rows."""
    if not objects:
        return []
    created = bulk_create_with_history(objects, model, default_user=user, batch_size=1000)
    audit_bulk_written(model, created)
    return created


def audit_from_history_bulk(history_instances: Iterable) -> None:
    """For records django-simple-history made in bulk (it sends no signal for those, and bulk writes
    carry no many-to-many links): one lock and one INSERT for the lot."""
    entries = [_from_history(record, with_m2m=False) for record in history_instances]
    if entries:
        _chain(entries)


def bulk_insert_audited(
    model,
    columns: dict[str, list],
    *,
    user,
    object_reprs: list[str],
    force_id: int | None,
    at: dt.datetime | None = None,
) -> list[int]:
    """Create rows of a history-tracked model with their simple-history records ("+") and their audit
    entries: three INSERTs and no model instance per row. Answers the new ids, in row order.

    `columns` is as for `core.bulk.insert_rows` and must name every field the history tracks, so the
    history record and the audit entry hold exactly the row's values. Each entry is what
    `audit_bulk_written` makes of the same row's record (actor, `at` = the record's date, every
    tracked field as `[None, value]`), with the `str()` of each row given in `object_reprs` (building
    the objects to ask them would cost more than the three INSERTs).
    """
    at = at or timezone.now()
    ids = insert_rows(model, columns, returning_ids=True)
    if not ids:
        return ids
    history = model.history.model
    if hasattr(history, "history_relation"):
        raise NotImplementedError(f"{history._meta.label} has a history_relation")
    tracked = [field.attname for field in history.tracked_fields]
    values = {**columns, model._meta.pk.attname: ids}
    missing = sorted(set(tracked) - set(values))
    if missing:
        raise ValueError(f"Give every field the history of {model._meta.label} tracks; missing {missing}")
    count = len(ids)
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        insert_rows(
            history,
            {
                **{name: values[name] for name in tracked},
                "history_date": [at] * count,
                "history_change_reason": [None] * count,
                "history_type": ["+"] * count,
                "history_user_id": [getattr(user, "pk", None)] * count,
            },
        )

    at_utc = at.astimezone(dt.UTC)
    actor_id, actor_name = getattr(user, "pk", None), getattr(user, "username", "") or ""
    label = model._meta.label_lower
    changes = [{name: [None, _jsonable(values[name][row])] for name in tracked} for row in range(count)]
    hashes, prev_hashes = [], []
    created = str(AuditEntry.Action.CREATED)
    with transaction.atomic(savepoint=False):
        prev = _chain_end()
        for object_id, change in zip(ids, changes, strict=True):
            prev_hashes.append(prev)
            content = EntryContent(at_utc, actor_id, actor_name, created, label, str(object_id), force_id, change)
            prev = entry_hash(content, prev_hash=prev)
            hashes.append(prev)
        insert_rows(
            AuditEntry,
            {
                "at": [at_utc] * count,
                "actor_id": [actor_id] * count,
                "actor_name": [actor_name] * count,
                "action": [created] * count,
                "model": [label] * count,
                "object_id": [str(object_id) for object_id in ids],
                "object_repr": [text[:200] for text in object_reprs],
                "force_id": [force_id] * count,
                "changes": changes,
                "prev_hash": prev_hashes,
                "hash": hashes,
            },
        )
    return ids


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken_id: int | None
    reason: str = ""


def audit_verify() -> ChainCheck:
    """Recompute the chain; report the first entry whose hash or link does not hold."""
    prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev:
            return ChainCheck(count, entry.id, "its link to the previous entry is broken (an entry was removed?)")
        if entry_hash(entry, prev_hash=entry.prev_hash) != entry.hash:
            return ChainCheck(count, entry.id, "its content does not match its hash (it was edited)")
        prev = entry.hash
    return ChainCheck(count, None)
