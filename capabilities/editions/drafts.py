"""Draft editions: a national administrator uploads an edition file, which is checked whole (every
problem with its line; nothing is written from a file with any problem) and stored as a *draft* that
only national administrators see, with its differences from the edition it follows.

A published edition never changes: uploading a file with its code is refused, and a correction is a
new version with its own code (e.g. `spr-2023-1`) uploaded as a new draft that follows it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from capabilities.editions.common import EditionFileError
from capabilities.editions.reading import edition_text_read
from capabilities.editions.writing import _write
from capabilities.models import Requirement
from capabilities.permissions import can_manage_editions
from core.audit import audit_record
from core.models import AuditEntry
from threats.models import Edition, EditionStatus, Threat

#: Edition files are text of a few hundred kilobytes (2012's is about 60 KB).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
YAML_SUFFIXES = {".yaml", ".yml"}


def _refuse(message: str) -> EditionFileError:
    return EditionFileError([message], errors=[(None, message)])


def _latest_published(*, excluding: str) -> Edition | None:
    return (
        Edition.objects.published().exclude(code=excluding).order_by("-effective_from", "-published_on", "-id").first()
    )


@transaction.atomic
def edition_upload(*, user, name: str, content: bytes) -> Edition:
    """Check an uploaded edition file whole and store it as a draft edition; national administrators only.

    The draft follows the edition its file names (`edition.follows`), or else the latest published
    one. A draft with the same code is replaced; a published edition with that code is never
    touched. Raises PermissionDenied, or EditionFileError listing every problem (with its line)
    having written nothing.
    """
    if not can_manage_editions(user):
        raise PermissionDenied("Only a national administrator can upload an edition")
    name = PurePath(name or "edition.yaml").name
    if PurePath(name).suffix.lower() not in YAML_SUFFIXES:
        raise _refuse(_("The selected file must be a YAML file (.yaml or .yml)"))
    if len(content) > MAX_UPLOAD_BYTES:
        raise _refuse(_("The selected file must be smaller than %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if not content.strip():
        raise _refuse(_("The selected file is empty"))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(_("The selected file must be text in UTF-8 (a YAML file)")) from None
    spec = edition_text_read(text=text, name=name)
    code = spec.edition["code"]
    existing = Edition.objects.select_for_update().filter(code=code).first()
    if existing is not None and not existing.is_draft:
        message = _(
            "Edition %(code)s is published and cannot be changed: upload a correction as a new version "
            "with its own code (for example %(code)s-1)"
        ) % {"code": code}
        raise EditionFileError([f"{name}: {message}"], errors=[(None, message)])
    follows_code = spec.edition.get("follows")
    if follows_code:
        follows = Edition.objects.filter(code=follows_code).first()
        if follows is None or follows.is_draft or follows_code == code:
            message = _("edition: follows %(code)r, which is not a published edition") % {"code": follows_code}
            raise EditionFileError([f"{name}: {message}"], errors=[(None, message)])
    else:
        follows = _latest_published(excluding=code)
    if existing is not None:
        existing.delete()
    spec.edition.update(status=EditionStatus.DRAFT, follows=follows.code if follows else "", effective_from=None)
    try:
        with transaction.atomic():
            result = _write(spec)
    except IntegrityError:
        message = _("Edition %(code)s was uploaded by someone else at the same time: upload it again") % {"code": code}
        raise EditionFileError([f"{name}: {message}"], errors=[(None, message)]) from None
    edition = Edition.objects.get(code=result.code)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATED,
        instance=edition,
        changes={
            "status": [None, EditionStatus.DRAFT],
            "follows": [None, follows.code if follows else None],
            "file": [None, name],
            "requirements": [None, result.requirements.total],
            "threats": [None, result.threats.total],
        },
    )
    return edition


# --- The differences from the edition a draft follows ------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of words in a word-level comparison: `kind` is "same", "removed" or "added"."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `old` and `new` as one run of segments, removed words before added ones."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(before[a1:a2])))
            continue
        if op in {"replace", "delete"}:
            segments.append(Segment("removed", "".join(before[a1:a2])))
        if op in {"replace", "insert"}:
            segments.append(Segment("added", "".join(after[b1:b2])))
    return segments


@dataclass(frozen=True)
class Reworded:
    old: Requirement | Threat
    new: Requirement | Threat
    segments: list[Segment]


@dataclass
class EditionDiff:
    """What changed between an edition and the one it follows. Requirements are matched by ref and
    threats by code: the *mapping* says what continues what; this only shows the text."""

    edition: Edition
    previous: Edition | None
    threats_added: list[Threat] = field(default_factory=list)
    threats_removed: list[Threat] = field(default_factory=list)
    threats_reworded: list[Reworded] = field(default_factory=list)
    requirements_added: list[Requirement] = field(default_factory=list)
    requirements_removed: list[Requirement] = field(default_factory=list)
    requirements_reworded: list[Reworded] = field(default_factory=list)
    requirements_unchanged: int = 0
    threats_unchanged: int = 0

    def as_dict(self) -> dict:
        def requirement(row: Requirement) -> dict:
            return {"ref": row.ref, "text": row.text}

        def threat(row: Threat) -> dict:
            return {"code": row.code, "name": row.name, "description": row.description}

        def segments(change: Reworded) -> list[dict]:
            return [{"kind": segment.kind, "text": segment.text} for segment in change.segments]

        return {
            "follows": self.previous.code if self.previous else None,
            "threats": {
                "added": [threat(row) for row in self.threats_added],
                "removed": [threat(row) for row in self.threats_removed],
                "reworded": [
                    {"code": c.new.code, "old": threat(c.old), "new": threat(c.new), "words": segments(c)}
                    for c in self.threats_reworded
                ],
                "unchanged": self.threats_unchanged,
            },
            "requirements": {
                "added": [requirement(row) for row in self.requirements_added],
                "removed": [requirement(row) for row in self.requirements_removed],
                "reworded": [
                    {"ref": c.new.ref, "old": c.old.text, "new": c.new.text, "words": segments(c)}
                    for c in self.requirements_reworded
                ],
                "unchanged": self.requirements_unchanged,
            },
        }


def edition_diff(*, edition: Edition) -> EditionDiff:
    """Threats and requirements added, removed and reworded since the edition `edition` follows.
    Four queries however large the editions are."""
    previous = edition.follows
    diff = EditionDiff(edition=edition, previous=previous)
    new_threats = list(Threat.objects.filter(edition=edition).order_by("position"))
    new_requirements = list(Requirement.objects.filter(edition=edition).order_by("position"))
    if previous is None:
        diff.threats_added, diff.requirements_added = new_threats, new_requirements
        return diff
    old_threats = {row.code: row for row in Threat.objects.filter(edition=previous).order_by("position")}
    old_requirements = {row.ref: row for row in Requirement.objects.filter(edition=previous).order_by("position")}
    for row in new_threats:
        old = old_threats.get(row.code)
        if old is None:
            diff.threats_added.append(row)
        elif (old.name, old.description) != (row.name, row.description):
            diff.threats_reworded.append(Reworded(old, row, word_diff(old.description, row.description)))
        else:
            diff.threats_unchanged += 1
    new_codes = {row.code for row in new_threats}
    diff.threats_removed = [row for code, row in old_threats.items() if code not in new_codes]
    for row in new_requirements:
        old = old_requirements.get(row.ref)
        if old is None:
            diff.requirements_added.append(row)
        elif old.text != row.text:
            diff.requirements_reworded.append(Reworded(old, row, word_diff(old.text, row.text)))
        else:
            diff.requirements_unchanged += 1
    new_refs = {row.ref for row in new_requirements}
    diff.requirements_removed = [row for ref, row in old_requirements.items() if ref not in new_refs]
    return diff
