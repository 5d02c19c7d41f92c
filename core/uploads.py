"""Checking uploaded files, the one checker every upload goes through (evidence pages and API alike,
via `assessments.services.evidence_create`).

In order, a file is refused unless:
1. its name is a plain display name (no folder parts, no control characters) — a name the HTTP parser
   had to repair is refused here too (`core.multipart` marks it), so pages and API answer alike;
2. it is not empty and not over the size limit;
3. its type, read from its content (never its name), is on the allow-list, and the name's extension
   agrees with that type, with no executable or script extension hidden before it (`invoice.pdf.exe`,
   `invoice.exe.pdf`);
4. a zip-based document (Word, Excel, PowerPoint, OpenDocument) passes the archive checks: entry count,
   declared total and per-entry expanded sizes and compression ratio read from the central directory,
   then every entry read back within its declared size and CRC; no symlinks, absolute or parent paths,
   encryption, macros or nested archives (embedded Office documents are checked the same way, once);
5. the virus scanner (ClamAV's daemon, `core.antivirus`), when one is configured, finds nothing.

Nothing is kept before every check has passed: the caller stores the file only after this returns.
"""

from __future__ import annotations

import hashlib
import io
import logging
import stat
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import antivirus

logger = logging.getLogger("spr.security")

#: Detected type -> (content type served back, human name, extensions a file name may end in). SVG
#: and HTML are never accepted: a browser would run script inside them.
ALLOWED_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", "PDF", ("pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", ("xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint file",
        ("pptx",),
    ),
    "doc": ("application/msword", "Word 97-2003 document", ("doc",)),
    "xls": ("application/vnd.ms-excel", "Excel 97-2003 spreadsheet", ("xls",)),
    "ppt": ("application/vnd.ms-powerpoint", "PowerPoint 97-2003 file", ("ppt",)),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text", ("odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", ("ods",)),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation", ("odp",)),
    "png": ("image/png", "PNG image", ("png",)),
    "jpg": ("image/jpeg", "JPEG image", ("jpg", "jpeg")),
    "gif": ("image/gif", "GIF image", ("gif",)),
    "webp": ("image/webp", "WebP image", ("webp",)),
    "csv": ("text/csv", "CSV file", ("csv",)),
    "txt": ("text/plain", "text file", ("txt",)),
}
ACCEPTED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, CSV or text"
#: Extensions that, anywhere in a name, disguise a program or a page as a document (`invoice.exe.pdf`).
_DANGEROUS = (
    "exe com scr pif bat cmd msi msp msc dll cpl sys drv ocx vbs vbe js jse jar wsf wsh ws hta ps1 psm1 "
    "sh bash py pl rb php asp aspx jsp lnk url reg inf iso img vhd vhdx html htm xhtml shtml svg svgz "
    "xml xsl mht mhtml docm dotm xlsm xltm xlam pptm potm ppam sldm chm application appref-ms"
)
DANGEROUS_EXTENSIONS = frozenset(_DANGEROUS.split())
HEAD_BYTES = 8192
FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|')

#: The archive checks (zip-based documents). A real Word or Excel file is far inside every limit; a
#: "zip bomb" (1 MB that expands to 1 GB) is far outside.
ZIP_TYPES = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_ENTRY_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 250 * 1024 * 1024
#: Expanded size over compressed size, for an entry (or the whole) past ZIP_RATIO_FLOOR bytes.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
#: An Office document embedded in another is checked too; one level, never deeper.
ZIP_MAX_DEPTH = 1
NESTED_ARCHIVE_EXTENSIONS = frozenset(
    "zip 7z rar gz tgz bz2 xz tar jar cab arj lzh z zst war ear apk".split()  # noqa: SIM905
)
EMBEDDED_DOCUMENT_EXTENSIONS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
ARCHIVE_MAGIC = (b"PK\x03\x04", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str
    display_name: str
    #: core.antivirus.CLEAN when a scanner found nothing, NOT_SCANNED when none is configured.
    scan: str


def clean_display_name(name: str) -> str:
    """The uploader's file name, for display only. Path parts and control characters are refused."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError(_("The selected file has no name"))
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(_("The file name must not contain control characters"))
    if any(char in FORBIDDEN_NAME_CHARS for char in name) or name in {".", ".."} or name.startswith("."):
        raise ValidationError(_('The file name must not contain folder names or the characters / \\ : * ? " < > |'))
    if len(name) > 200:
        raise ValidationError(_("The file name must be 200 characters or fewer"))
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


def _detect(head: bytes, display_name: str) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    if _looks_like_text(head):
        return "csv" if display_name.lower().endswith(".csv") else "txt"
    return ""


def _check_extension(display_name: str, detected: str) -> None:
    """The name must end in an extension of the detected type, with no program's extension before it."""
    parts = display_name.lower().split(".")
    extensions = ALLOWED_TYPES[detected][2]
    expected = _(" or ").join(f".{extension}" for extension in extensions)
    if len(parts) < 2 or parts[-1].strip() not in extensions:
        raise ValidationError(
            _("The file name must end in %(expected)s, because the file is a %(kind)s")
            % {"expected": expected, "kind": ALLOWED_TYPES[detected][1]}
        )
    hidden = [part.strip() for part in parts[1:-1] if part.strip() in DANGEROUS_EXTENSIONS]
    if hidden:
        raise ValidationError(
            _("The file name must not contain another file type’s extension, such as .%(hidden)s, before %(expected)s")
            % {"hidden": hidden[0], "expected": f".{parts[-1].strip()}"}
        )


# --- Archives -------------------------------------------------------------------------------------------


class _Refused(Exception):
    """An archive check failed; `message` is what the uploader is told."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _entry_extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].lower()
    return base.rsplit(".", 1)[-1] if "." in base else ""


def _check_directory(archive: zipfile.ZipFile, archive_size: int) -> list[zipfile.ZipInfo]:
    """Everything the central directory says, before a byte is decompressed."""
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise _Refused(_("The file contains too many parts (more than %(limit)s)") % {"limit": f"{ZIP_MAX_ENTRIES:,}"})
    total = 0
    for info in entries:
        name = info.filename
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or ".." in name.split("/")
            or (len(name) > 1 and name[1] == ":")
        ):
            raise _Refused(_("The file contains a part with an unsafe path"))
        if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
            raise _Refused(_("The file contains a link to another file"))
        if info.flag_bits & 0x1:
            raise _Refused(_("The file is password protected, so it cannot be checked. Remove the password"))
        if info.file_size > ZIP_MAX_ENTRY_BYTES:
            raise _Refused(_("The file expands to more than %(limit)s MB") % {"limit": ZIP_MAX_ENTRY_BYTES // 2**20})
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(_("The file expands too much to be a document (it may be a “zip bomb”)"))
        base = name.rsplit("/", 1)[-1].lower()
        if base == "vbaproject.bin" or name.startswith(("Basic/", "Scripts/")):
            raise _Refused(_("The file contains macros. Save it without macros and upload it again"))
        if _entry_extension(name) in NESTED_ARCHIVE_EXTENSIONS:
            raise _Refused(_("The file contains another archive"))
        total += info.file_size
    if total > ZIP_MAX_TOTAL_BYTES:
        raise _Refused(_("The file expands to more than %(limit)s MB") % {"limit": ZIP_MAX_TOTAL_BYTES // 2**20})
    if total > ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * max(archive_size, 1):
        raise _Refused(_("The file expands too much to be a document (it may be a “zip bomb”)"))
    return entries


def _check_archive(handle, archive_size: int, depth: int = 0) -> None:
    """The central directory, then every entry read back: a local header or stream that disagrees with
    the directory (a lying size) fails its CRC, and a nested archive is found by its first bytes."""
    try:
        with zipfile.ZipFile(handle) as archive:
            for info in _check_directory(archive, archive_size):
                if info.is_dir():
                    continue
                embedded = _entry_extension(info.filename) in EMBEDDED_DOCUMENT_EXTENSIONS
                kept = io.BytesIO() if embedded and depth < ZIP_MAX_DEPTH else None
                with archive.open(info) as entry:
                    first = entry.read(8)
                    if first.startswith(ARCHIVE_MAGIC) and kept is None:
                        raise _Refused(_("The file contains another archive"))
                    if kept is not None:
                        kept.write(first)
                    while chunk := entry.read(1024 * 1024):
                        if kept is not None:
                            kept.write(chunk)
                if kept is not None:
                    kept.seek(0)
                    _check_archive(kept, info.file_size, depth + 1)
    except _Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        logger.info("Upload refused: damaged archive (%s)", exc)
        raise _Refused(_("The file is damaged, so it cannot be checked")) from None


# --- The checker ----------------------------------------------------------------------------------------


def check_upload(uploaded, *, max_bytes: int) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with GDS wording if it is refused.

    Raises ValidationError before anything is stored; the caller keeps the file only afterwards.
    """
    refused_name = getattr(uploaded, "refused_name", None)
    if refused_name:
        raise ValidationError(refused_name)
    display_name = clean_display_name(getattr(uploaded, "name", ""))
    size = uploaded.size
    if size == 0:
        raise ValidationError(_("The selected file is empty"))
    if size > max_bytes:
        raise ValidationError(
            _("The selected file must be smaller than %(limit)s MB") % {"limit": max_bytes // (1024 * 1024)}
        )
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    extension = _detect(head, display_name)
    if extension not in ALLOWED_TYPES:
        raise ValidationError(_("The selected file must be a %(accepted)s") % {"accepted": ACCEPTED_DESCRIPTION})
    _check_extension(display_name, extension)
    if extension in ZIP_TYPES:
        try:
            _check_archive(uploaded, size)
        except _Refused as exc:
            logger.warning("Upload refused by the archive checks: %s (%s)", exc.message, display_name)
            raise ValidationError(exc.message) from None
        finally:
            uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    scan = _scan(uploaded, display_name, digest.hexdigest())
    return CheckedFile(
        content_type=ALLOWED_TYPES[extension][0],
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
        display_name=display_name,
        scan=scan,
    )


def _scan(uploaded, display_name: str, sha256: str) -> str:
    """Scan synchronously when a scanner is configured; a virus, or a scanner that cannot answer,
    refuses the file (fail closed)."""
    if not antivirus.scanner_configured():
        return antivirus.NOT_SCANNED
    try:
        verdict = antivirus.scan_file(uploaded)
    except antivirus.ScannerUnavailable as exc:
        logger.error("Upload refused: the virus scanner could not be reached (%s)", exc)
        raise ValidationError(_("The file could not be checked for viruses. Try again later")) from None
    finally:
        uploaded.seek(0)
    if verdict.infected:
        logger.warning(
            "Upload refused: virus scan found %s in %r (SHA-256 %s)", verdict.signature, display_name, sha256
        )
        raise ValidationError(_("The file failed a virus scan"))
    return antivirus.CLEAN
