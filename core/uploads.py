"""Checking uploaded files: type from the content (never the name), size, and a safe display name."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError

#: Detected extension -> (content type served back, human name). SVG and HTML are never accepted:
#: a browser would run script inside them.
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint file"),
    "doc": ("application/msword", "Word 97-2003 document"),
    "xls": ("application/vnd.ms-excel", "Excel 97-2003 spreadsheet"),
    "ppt": ("application/vnd.ms-powerpoint", "PowerPoint 97-2003 file"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"),
    "png": ("image/png", "PNG image"),
    "jpg": ("image/jpeg", "JPEG image"),
    "gif": ("image/gif", "GIF image"),
    "webp": ("image/webp", "WebP image"),
    "csv": ("text/csv", "CSV file"),
    "txt": ("text/plain", "text file"),
}
ACCEPTED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, CSV or text"
HEAD_BYTES = 8192
FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|')


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str
    display_name: str


def clean_display_name(name: str) -> str:
    """The uploader's file name, for display only. Path parts and control characters are refused."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError("The selected file has no name")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError("The file name must not contain control characters")
    if any(char in FORBIDDEN_NAME_CHARS for char in name) or name in {".", ".."} or name.startswith("."):
        raise ValidationError('The file name must not contain folder names or the characters / \\ : * ? " < > |')
    if len(name) > 200:
        raise ValidationError("The file name must be 200 characters or fewer")
    return name


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off by the head boundary is still text.
        if exc.start < len(head) - 4:
            return False
    lowered = head.lstrip().lower()
    # Markup would be rendered by a browser that ignored our headers: refuse it as "text".
    return not lowered.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script"))


def check_upload(uploaded, *, max_bytes: int) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with GDS wording if it is refused."""
    display_name = clean_display_name(getattr(uploaded, "name", ""))
    size = uploaded.size
    if size == 0:
        raise ValidationError("The selected file is empty")
    if size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        extension = kind.extension
    elif _looks_like_text(head):
        extension = "csv" if display_name.lower().endswith(".csv") else "txt"
    else:
        extension = ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError(f"The selected file must be a {ACCEPTED_DESCRIPTION}")
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(
        content_type=ALLOWED_TYPES[extension][0],
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
        display_name=display_name,
    )
