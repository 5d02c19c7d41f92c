"""The audit trail: every change to an audited record, and every security event, becomes an
AuditEntry in one keyed hash chain.

Entries come from django-simple-history's records (so saves from pages, the API, the admin and
management commands are all caught), from explicit calls such as workflow transitions, and from
`audit_event` (sign-ins, denied access, downloads: core/security_events.py).

The chain is keyed: each hash is an HMAC-SHA256 with SPR_AUDIT_KEY, a secret held in the environment,
never in the database, so whoever holds the database cannot re-hash a chain they changed. Entries
written before the key existed are version 1 (plain SHA-256) and verify as such; no unkeyed entry
may follow a keyed one. Its head is checkpointed outside the database (core/checkpoints.py), so a
deleted tail or a truncation is found too (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.bulk import insert_rows
from core.history import held_state
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
    object_repr: str = ""
    kind: str = AuditEntry.Kind.RECORD
    version: int = AuditEntry.Version.KEYED
    key_id: str = ""


class UnknownAuditKey(Exception):
    """A keyed entry names a key that is not configured (SPR_AUDIT_KEY, SPR_AUDIT_PREVIOUS_KEYS)."""


@functools.lru_cache(maxsize=16)
def key_id_of(key: str) -> str:
    """A short, public name for a key (a hash of it, which reveals nothing of the key)."""
    return hashlib.sha256(b"spr-audit-key-id:" + key.encode()).hexdigest()[:16]


def audit_keys() -> dict[str, bytes]:
    """Every configured key by its id: the current one and those it replaced (to verify only)."""
    keys = [settings.SPR_AUDIT_KEY, *getattr(settings, "SPR_AUDIT_PREVIOUS_KEYS", [])]
    return {key_id_of(key): key.encode() for key in keys if key}


def current_key_id() -> str:
    """The id of the key new entries are written with; refuses to write without one."""
    if not settings.SPR_AUDIT_KEY:
        raise ImproperlyConfigured("Set SPR_AUDIT_KEY: the audit trail cannot be written without its key.")
    return key_id_of(settings.SPR_AUDIT_KEY)


def entry_hash(entry: AuditEntry | EntryContent, *, prev_hash: str, keys: dict[str, bytes] | None = None) -> str:
    """The hash of one entry in the chain: its content and the previous entry's hash, canonical JSON.
    The one place the chain's hash is defined (writing and verifying both call it).

    Version 1 (entries written before the chain was keyed): SHA-256 of the original fields.
    Version 2: HMAC-SHA256 with the key the entry names, over every field shown to a reader,
    the version and the key id included (so an entry cannot be passed off as another version)."""
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
    if entry.version == AuditEntry.Version.UNKEYED:
        return hashlib.sha256(canonical(payload)).hexdigest()
    if entry.version != AuditEntry.Version.KEYED:
        raise ValueError(f"Unknown audit entry version {entry.version!r}")
    key = (keys if keys is not None else audit_keys()).get(entry.key_id)
    if key is None:
        raise UnknownAuditKey(entry.key_id)
    payload |= {
        "v": entry.version,
        "key": entry.key_id,
        "kind": entry.kind,
        "object_repr": entry.object_repr,
    }
    return hmac.new(key, canonical(payload), hashlib.sha256).hexdigest()


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
    kind: str = AuditEntry.Kind.RECORD,
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
        kind=kind,
        version=AuditEntry.Version.KEYED,
        key_id=current_key_id(),
    )


def _chain_end() -> str:
    """Take the chain's lock (to the end of the transaction) and answer the hash of its last entry.
    Two statements: the last hash must be read after the lock is held, never in the same snapshot."""
    _lock_chain()
    return AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS


def _chain(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Link and store entries at the end of the chain, holding the chain's lock (to the end of the
    caller's transaction). No savepoint: an entry that cannot be written fails the whole change."""
    keys = audit_keys()
    with transaction.atomic(savepoint=False):
        prev = _chain_end()
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(entry, prev_hash=prev, keys=keys)
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


def audit_event(
    *,
    kind: str,
    user=None,
    username: str = "",
    request=None,
    model: str = "",
    object_id: str = "",
    force_id: int | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one security event (an `AuditEntry.Kind` other than RECORD) to the chain: who (the user,
    or the username tried when nobody signed in), from where (address, request id, path), and what it
    concerned. `force_id` defaults to the force the user acts for. Nothing a user typed as a password
    is ever passed here."""
    if kind == AuditEntry.Kind.RECORD:
        raise ValueError("Record changes are audited by audit_record, not as events")
    actor = user if getattr(user, "is_authenticated", False) else None
    if force_id is None and actor is not None:
        force_id = force_of_user(actor)
    changes = dict(details or {})
    if request is not None:
        from core.requests import request_id_of

        changes |= {
            "ip": request.META.get("REMOTE_ADDR", ""),
            "path": request.path[:300],
            "method": request.method,
            "request_id": request_id_of(request),
        }
    entry = _describe(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        model=model,
        object_id=str(object_id)[:64],
        force_id=force_id,
        changes=changes,
        kind=kind,
    )
    if actor is None and username:
        entry.actor_name = username[:150]
    return _chain([entry])[0]


def force_of_user(user) -> int | None:
    """The force a user acts for (the first, for a member of several); national roles act for none."""
    memberships = getattr(user, "memberships", None)
    if memberships is None:
        return None
    return memberships.order_by("id").values_list("force_id", flat=True).first()


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


class _Values:
    """The values a service held before its change (`core.history.hold`), read as a record's are."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


def changes_of(history_instance, *, with_m2m: bool = True) -> dict:
    """{field: [before, after]} between a simple-history record and the one before it; when the
    saved object carries what it was before the change (`core.history.hold`: read under lock, which
    for a row only ever written with history is what the previous record holds), from that, with no
    query."""
    tracked = [
        f for f in history_instance._meta.fields if f.attname not in HISTORY_FIELDS and f.name != "history_relation"
    ]
    held = (
        held_state(history_instance.instance)
        if isinstance(history_instance, _InMemory) and history_instance.history_type == "~"
        else None
    )
    if held is not None:
        previous = _Values(held.values)
    else:
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
        if held is not None and field.name in held.before_ids and field.name in held.after_ids:
            before, after = held.before_ids[field.name], held.after_ids[field.name]
        elif held is not None:  # links the service did not hold: read both records' links
            record = _previous_record(history_instance)
            ids = _m2m_ids([history_instance, record] if record is not None else [history_instance], field)
            after, before = ids[0], ids[1] if record is not None else []
        elif previous is not None:
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
    reprs = [text[:200] for text in object_reprs]
    key_id, keys = current_key_id(), audit_keys()
    with transaction.atomic(savepoint=False):
        prev = _chain_end()
        for object_id, change, text in zip(ids, changes, reprs, strict=True):
            prev_hashes.append(prev)
            content = EntryContent(
                at_utc, actor_id, actor_name, created, label, str(object_id), force_id, change, text, key_id=key_id
            )
            prev = entry_hash(content, prev_hash=prev, keys=keys)
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
                "object_repr": reprs,
                "force_id": [force_id] * count,
                "changes": changes,
                "prev_hash": prev_hashes,
                "hash": hashes,
                "kind": [str(AuditEntry.Kind.RECORD)] * count,
                "version": [int(AuditEntry.Version.KEYED)] * count,
                "key_id": [key_id] * count,
            },
        )
    return ids


# --- Checkpoints: written by core/checkpoints.py, read here to verify the chain against them ----------

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    """How far the chain went at one moment: `count` entries, the last one `head_id` with `head_hash`;
    `keyed_from_id` is the first keyed entry (no unkeyed entry may come at or after it)."""

    at: str
    count: int
    head_id: int | None
    head_hash: str
    keyed_from_id: int | None
    key_id: str
    mac: str = ""

    @property
    def short_hash(self) -> str:
        """The head hash as a report prints it: its first 16 hex digits, in groups of four."""
        return " ".join(self.head_hash[i : i + 4] for i in range(0, 16, 4))

    def signed_fields(self) -> dict:
        fields = asdict(self)
        fields.pop("mac")
        return fields


def checkpoint_path() -> Path:
    return Path(settings.SPR_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def checkpoint_mac(fields: dict, key: bytes) -> str:
    return hmac.new(key, b"spr-audit-checkpoint:" + canonical(fields), hashlib.sha256).hexdigest()


def read_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the file, and a problem for each line that is not a checkpoint signed by a
    configured key (an edited or made-up line)."""
    path = checkpoint_path()
    if not path.exists():
        return [], []
    keys = audit_keys()
    checkpoints, problems = [], []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = Checkpoint(**json.loads(line))
            except (ValueError, TypeError):
                problems.append(f"line {number} of {path} is not a checkpoint")
                continue
            key = keys.get(checkpoint.key_id)
            if key is None:
                problems.append(f"line {number} of {path} was signed with key {checkpoint.key_id}, not configured")
            elif not hmac.compare_digest(checkpoint_mac(checkpoint.signed_fields(), key), checkpoint.mac):
                problems.append(f"line {number} of {path} does not match its signature (it was edited)")
            else:
                checkpoints.append(checkpoint)
    return checkpoints, problems


@dataclass(frozen=True)
class ChainCheck:
    """What `audit_verify` found: `first_broken_id` is None when the chain holds."""

    entries: int
    first_broken_id: int | None
    reason: str = ""
    unkeyed: int = 0
    checkpoints: int = 0
    problems: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None and not self.problems


def audit_verify(*, checkpoints: list | None = None) -> ChainCheck:
    """Recompute the chain and hold it against its checkpoints (core/checkpoints.py). Reports the
    first entry whose hash or link does not hold, an unkeyed entry where the chain was already keyed,
    and a chain that no longer reaches a checkpoint (a deleted tail, a truncation) or reaches it with
    another hash (a rewrite). `checkpoints` defaults to those in SPR_AUDIT_CHECKPOINT_DIR."""
    problems: list[str] = []
    if checkpoints is None:
        checkpoints, problems = read_checkpoints()
    pending: dict[int, list] = {}
    for checkpoint in checkpoints:
        if checkpoint.head_id is not None:
            pending.setdefault(checkpoint.head_id, []).append(checkpoint)
    keyed_from = min((c.keyed_from_id for c in checkpoints if c.keyed_from_id is not None), default=None)
    keys = audit_keys()
    prev = GENESIS
    count = unkeyed = 0
    keyed = False

    def broken(entry_id, reason):
        return ChainCheck(count, entry_id, reason, unkeyed, len(checkpoints), tuple(problems))

    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev:
            return broken(entry.id, "its link to the previous entry is broken (an entry was removed?)")
        if entry.version == AuditEntry.Version.UNKEYED:
            unkeyed += 1
            if keyed or (keyed_from is not None and entry.id >= keyed_from):
                return broken(entry.id, "it is unkeyed where the chain was already keyed (rewritten without the key?)")
        else:
            keyed = True
        try:
            expected = entry_hash(entry, prev_hash=entry.prev_hash, keys=keys)
        except UnknownAuditKey:
            return broken(
                entry.id,
                f"it was keyed with key {entry.key_id}, which is not configured "
                "(set SPR_AUDIT_KEY, or SPR_AUDIT_PREVIOUS_KEYS after a rotation)",
            )
        if expected != entry.hash:
            return broken(entry.id, "its content does not match its hash (edited, or re-hashed without the key)")
        for checkpoint in pending.pop(entry.id, []):
            if checkpoint.head_hash != entry.hash or checkpoint.count != count:
                return broken(
                    entry.id,
                    f"it does not match the checkpoint of {checkpoint.at} ({checkpoint.count} entries, head "
                    f"{checkpoint.short_hash}): the chain was rewritten",
                )
        prev = entry.hash
    if pending:
        checkpoint = max((c for waiting in pending.values() for c in waiting), key=lambda c: c.count)
        if count == 0:
            reason = (
                f"the audit trail is empty, but the checkpoint of {checkpoint.at} recorded "
                f"{checkpoint.count} entries: it was truncated"
            )
        else:
            reason = (
                f"the chain ends after {count} entries, but the checkpoint of {checkpoint.at} recorded "
                f"{checkpoint.count} (up to entry {checkpoint.head_id}): the newest entries were deleted"
            )
        return broken(checkpoint.head_id, reason)
    return ChainCheck(count, None, "", unkeyed, len(checkpoints), tuple(problems))
