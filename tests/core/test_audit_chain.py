"""The keyed, checkpointed audit chain (issue 13): what whoever holds the database could do to it, and
that `verify_audit` says so, by name, with a non-zero exit."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from core import checks
from core.audit import GENESIS, audit_record, audit_verify, canonical, entry_hash, key_id_of
from core.checkpoints import audit_checkpoint, checkpoint_path
from core.models import AuditEntry
from core.tasks import audit_checkpoint as audit_checkpoint_task


def _entries(count: int) -> list[AuditEntry]:
    return [
        audit_record(actor=None, action="created", model="tests.thing", object_id=str(n), changes={"n": [None, n]})
        for n in range(count)
    ]


def _as_database_owner(sql: str, params=()) -> None:
    """What the database owner can do and the app's role cannot: switch the immutability trigger off
    and change rows directly (transactional, so the test's rollback undoes it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_immutable")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_immutable")
        cursor.execute(sql, params)


def _verify_command() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    return str(failure.value)


def test_new_entries_are_keyed_with_hmac_and_name_their_key(db, settings):
    entry = _entries(1)[0]

    assert entry.version == AuditEntry.Version.KEYED
    assert entry.key_id == key_id_of(settings.SPR_AUDIT_KEY) and settings.SPR_AUDIT_KEY not in entry.key_id
    plain = hashlib.sha256(canonical({"prev": GENESIS})).hexdigest()
    assert entry.hash != plain
    # Someone with another key (or none) gets another hash for the same content.
    settings.SPR_AUDIT_KEY = "another-key-of-at-least-thirty-two-characters"
    assert AuditEntry.objects.get().key_id not in {key_id_of(settings.SPR_AUDIT_KEY)}
    assert audit_verify().reason.startswith("it was keyed with key")


def test_entries_from_before_the_key_verify_as_version_1(db, capsys):
    old = AuditEntry(
        at=timezone.now(),
        actor_name="",
        action="created",
        model="tests.thing",
        object_id="old",
        changes={},
        prev_hash=GENESIS,
        version=AuditEntry.Version.UNKEYED,
    )
    old.hash = entry_hash(old, prev_hash=GENESIS)
    old.save()
    _entries(2)

    result = audit_verify()
    call_command("verify_audit")

    assert result.intact and result.entries == 3 and result.unkeyed == 1
    assert "2 keyed with HMAC-SHA256, 1 unkeyed" in capsys.readouterr().out


def test_a_chain_rehashed_without_the_key_fails(db):
    entries = _entries(3)
    # The owner edits the middle entry and re-hashes from there on, as the unkeyed chain allowed:
    # plain SHA-256 (passing the entries off as version 1), since the key is not theirs.
    prev = entries[0].hash
    for entry in entries[1:]:
        entry.changes = {"n": [None, "forged"]}
        entry.version = AuditEntry.Version.UNKEYED
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(entry, prev_hash=prev)
        _as_database_owner(
            "UPDATE core_auditentry SET changes = %s, version = 1, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(entry.changes), entry.prev_hash, entry.hash, entry.id],
        )

    result = audit_verify()

    assert result.first_broken_id == entries[1].id
    assert "unkeyed where the chain was already keyed" in result.reason
    assert f"broken at entry {entries[1].id}" in _verify_command()


def test_a_chain_rehashed_with_a_guessed_key_fails(db):
    entries = _entries(2)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.changes = {"n": [None, "forged"]}
    wrong = hmac.new(b"guess", canonical({"prev": forged.prev_hash}), hashlib.sha256).hexdigest()
    _as_database_owner(
        "UPDATE core_auditentry SET changes = %s, hash = %s WHERE id = %s",
        [json.dumps(forged.changes), wrong, forged.id],
    )

    result = audit_verify()

    assert result.first_broken_id == forged.id and "does not match its hash" in result.reason


def test_a_deleted_tail_is_found_by_the_checkpoint(db):
    entries = _entries(5)
    audit_checkpoint()
    # Without a checkpoint this would pass: the first three entries are an intact chain.
    _as_database_owner("DELETE FROM core_auditentry WHERE id >= %s", [entries[3].id])

    result = audit_verify()
    message = _verify_command()

    assert not result.intact and result.first_broken_id == entries[4].id
    assert "the chain ends after 3 entries, but the checkpoint" in result.reason
    assert "recorded 5" in message and "the newest entries were deleted" in message


def test_a_truncated_trail_is_found_by_the_checkpoint(db):
    _entries(3)
    audit_checkpoint()
    _as_database_owner("DELETE FROM core_auditentry")

    assert "the audit trail is empty" in _verify_command() and "it was truncated" in _verify_command()


def test_a_tail_deleted_and_rewritten_does_not_reach_the_checkpoint(db):
    """Delete the tail, then append new entries (now keyed, as the app would): the checkpoint's head id
    is gone or holds another hash."""
    entries = _entries(3)
    audit_checkpoint()
    _as_database_owner("DELETE FROM core_auditentry WHERE id = %s", [entries[2].id])
    _entries(2)

    assert audit_verify().first_broken_id == entries[2].id


def test_checkpoints_are_appended_as_signed_json_lines(db, audit_checkpoint_dir):
    _entries(2)
    first = audit_checkpoint()
    _entries(1)
    second = audit_checkpoint()

    lines = checkpoint_path().read_text().splitlines()
    assert checkpoint_path().parent == audit_checkpoint_dir
    assert [json.loads(line)["count"] for line in lines] == [2, 3]
    assert json.loads(lines[1])["head_hash"] == second.head_hash == AuditEntry.objects.last().hash
    assert first.short_hash == " ".join([first.head_hash[i : i + 4] for i in range(0, 16, 4)])
    assert audit_verify().checkpoints == 2


def test_an_edited_checkpoint_line_fails_verification(db):
    _entries(2)
    audit_checkpoint()
    line = json.loads(checkpoint_path().read_text())
    line["count"] = 1  # to make a shortened chain look whole
    checkpoint_path().write_text(json.dumps(line) + "\n")

    message = _verify_command()

    assert "cannot all be trusted" in message


def test_no_checkpoint_is_a_warning_not_a_failure(db, capsys):
    _entries(1)

    call_command("verify_audit")

    captured = capsys.readouterr()
    assert "Audit trail intact: 1 entries" in captured.out
    assert "No checkpoint" in captured.err


def test_beat_writes_a_checkpoint_regularly(db, settings, caplog):
    _entries(1)

    with caplog.at_level("INFO", logger="spr.audit.checkpoint"):
        answer = audit_checkpoint_task()
    assert answer["head_hash"] in caplog.text  # also logged, for shipping to syslog

    assert answer["count"] == 1 and checkpoint_path().exists()
    assert settings.CELERY_BEAT_SCHEDULE["core-audit-checkpoint"]["task"] == "core.audit_checkpoint"


def test_production_refuses_to_start_without_an_audit_key(settings):
    settings.SPR_AUDIT_KEY = ""
    assert [error.id for error in checks.audit_key_configured(None)] == ["spr.E001"]
    settings.SPR_AUDIT_KEY = "short"
    assert [error.id for error in checks.audit_key_configured(None)] == ["spr.E002"]
    settings.SPR_AUDIT_KEY = "x" * 48
    assert checks.audit_key_configured(None) == []


def test_nothing_is_written_without_a_key(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SPR_AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        _entries(1)


def test_a_rotated_key_still_verifies_older_entries(db, settings):
    old_key = settings.SPR_AUDIT_KEY
    _entries(1)
    settings.SPR_AUDIT_KEY = "the-new-key-after-a-rotation-of-48-characters-xx"
    settings.SPR_AUDIT_PREVIOUS_KEYS = [old_key]
    _entries(1)

    assert audit_verify().intact
    assert len(set(AuditEntry.objects.values_list("key_id", flat=True))) == 2
