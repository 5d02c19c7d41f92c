"""Virus scanning through ClamAV's daemon (clamd), over its INSTREAM command.

Configured from the environment (spr/settings.py): `CLAMD_SOCKET` (a Unix socket path) or `CLAMD_HOST`
(with `CLAMD_PORT`, default 3310), and `CLAMD_TIMEOUT` in seconds. With neither set nothing is scanned
and files are recorded as not scanned.

The client is `clamav-client` (artefactual-labs' maintained, typed fork of the `clamd` package, which
has had no release since 2014; `pyclamd` none since 2017). clamd's `StreamMaxLength` must be at least
EVIDENCE_MAX_UPLOAD_BYTES, or large files are refused as unscannable.
"""

from __future__ import annotations

from dataclasses import dataclass

from clamav_client import clamd
from django.conf import settings

#: What a scan decided about a stored file (the values of assessments.models.ScanStatus).
CLEAN = "clean"
NOT_SCANNED = "not_scanned"


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict: not reachable, timed out, or answered with an error."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _client():
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30.0)
    if settings.CLAMD_SOCKET:
        return clamd.ClamdUnixSocket(path=settings.CLAMD_SOCKET, timeout=timeout)
    return clamd.ClamdNetworkSocket(host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=timeout)


def scan_file(handle) -> Verdict:
    """Stream `handle` (read from its current position) to clamd; raises ScannerUnavailable unless
    clamd answers OK or FOUND."""
    try:
        result = _client().instream(handle)
    except (clamd.ClamdError, OSError) as exc:
        raise ScannerUnavailable(str(exc) or exc.__class__.__name__) from exc
    status, signature = result.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        return Verdict(infected=True, signature=signature or "")
    if status == "OK":
        return Verdict(infected=False)
    raise ScannerUnavailable(f"clamd answered {status}: {signature}")


def ping() -> bool:
    """Whether clamd answers PING (for the health check's details)."""
    try:
        return _client().ping() == "PONG"
    except (clamd.ClamdError, OSError):
        return False
