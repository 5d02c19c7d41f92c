"""Checkpoints of the audit chain: its entry count and head hash, appended to a file outside the
database.

Whoever holds the database can delete the newest entries, or empty the table, and leave a chain
that is intact as far as it goes. A checkpoint remembers how far the chain went: `verify_audit`
refuses a chain that no longer reaches every checkpoint, or reaches it with a different hash.

The file (`SPR_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl`) is opened with O_APPEND, one JSON line a
checkpoint, each line signed with the audit key (so a line cannot be made up without it). The app's
database role cannot touch it; production should ship it as it grows to write-once storage or
syslog, out of the application server's reach too (docs/security.md). Beat writes one every
SPR_AUDIT_CHECKPOINT_SECONDS, publishing an assessment writes one, and every published
accountability report prints the one taken when it was built.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from core.audit import (
    Checkpoint,
    _lock_chain,
    audit_keys,
    checkpoint_mac,
    checkpoint_path,
    current_key_id,
    read_checkpoints,
)
from core.models import AuditEntry

#: Each checkpoint is logged here too, so a deployment can ship it to syslog with a LOGGING handler.
logger = logging.getLogger("spr.audit.checkpoint")


def _append(line: str) -> None:
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each write lands at the end, whatever else writes the file; one write per line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def audit_checkpoint() -> Checkpoint:
    """Append a checkpoint of the chain as it stands and answer it. Holds the chain's lock while it
    reads, so the count and the head belong to the same moment."""
    key_id = current_key_id()
    with transaction.atomic():
        _lock_chain()
        head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        count = AuditEntry.objects.count()
        keyed = AuditEntry.objects.filter(version=AuditEntry.Version.KEYED)
        keyed_from = keyed.order_by("id").values_list("id", flat=True).first()
    checkpoint = Checkpoint(
        at=timezone.now().isoformat(timespec="seconds"),
        count=count,
        head_id=head[0] if head else None,
        head_hash=head[1] if head else "",
        keyed_from_id=keyed_from,
        key_id=key_id,
    )
    fields = checkpoint.signed_fields()
    checkpoint = Checkpoint(**fields, mac=checkpoint_mac(fields, audit_keys()[key_id]))
    line = json.dumps(asdict(checkpoint), sort_keys=True)
    _append(line)
    logger.info("audit checkpoint %s", line)
    return checkpoint


def latest_checkpoint() -> Checkpoint | None:
    checkpoints, _problems = read_checkpoints()
    return checkpoints[-1] if checkpoints else None
