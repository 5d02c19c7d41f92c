"""The one module that calls WeasyPrint.

User text reaches the HTML only through Django's autoescaping, and WeasyPrint may fetch nothing but
`data:` URLs and files under the project's own static folder: no network, no `file:` anywhere else,
no redirects. Every refused fetch is recorded on the fetcher so callers and tests can see it.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

logger = logging.getLogger(__name__)
#: WeasyPrint is noisy at INFO; its warnings (e.g. a refused fetch) are what matter.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def static_roots() -> list[Path]:
    """The folders WeasyPrint may read: our own static files (source and collected), nothing else."""
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.STATIC_ROOT)]
    return [root.resolve() for root in roots if root.exists()]


def static_base_url() -> str:
    """A file:// URL of our static folder, so templates can say `css/report.css`."""
    return (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"


@dataclass
class FetchLog:
    allowed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def make_fetcher(log: FetchLog | None = None):
    """A WeasyPrint URL fetcher confined to data: URLs and the static folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    log = log if log is not None else FetchLog()
    roots = static_roots()

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
            self.log = log

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                self.log.allowed.append(url[:40])
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                if parts.netloc not in ("", "localhost"):
                    return self._refuse(url)
                path = Path(url2pathname(unquote(parts.path))).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    self.log.allowed.append(str(path))
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
            return self._refuse(url)

        def _refuse(self, url):
            self.log.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise ValueError(f"Fetching {url[:80]} is not allowed when rendering reports")

    return StaticOnlyFetcher()


#: zlib's own default. pydyf (WeasyPrint's PDF writer) deflates every stream at level 9, which took
#: 0.2 s of CPU a 35-page report here, a sixth of writing it, for files 4% smaller than level 6 makes
#: in a quarter of the time. Only how the streams are packed changes: they inflate to the same bytes.
DEFLATE_LEVEL = 6


class _Deflate:
    """The `zlib` pydyf sees: the real one, but compressobj() at DEFLATE_LEVEL whatever level pydyf asks."""

    compress = staticmethod(zlib.compress)
    decompress = staticmethod(zlib.decompress)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(DEFLATE_LEVEL, *args, **kwargs)


def _use_deflate_level() -> None:
    # pydyf has no setting for its level; it calls `zlib.compressobj(level=9)` through its module's
    # `zlib` name, so that name is the one place to change it. Should pydyf stop calling it that
    # way, this does nothing and the PDFs are only slower to write (test_render checks the level).
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Deflate


_local = threading.local()


def font_config():
    """This thread's WeasyPrint FontConfiguration, made once and reused by every render after it.

    A new one per render (what WeasyPrint does when given none) loads fontconfig's configuration
    again and starts Pango with cold font and glyph caches. Sharing it is safe because our
    stylesheet has no `@font-face` (the only thing that adds to it) and user text never becomes CSS;
    it is not thread-safe, hence one per thread (a Celery prefork child has one).
    """
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def preload() -> None:
    """Import WeasyPrint (which parses its default stylesheet as it loads): a process that forks
    workers calls this first, so its children share it instead of each loading it for its first PDF."""
    import weasyprint  # noqa: F401

    _use_deflate_level()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    fetches: FetchLog
    pages: int = 0


def render_pdf(html: str, *, title: str, identifier: bytes | None = None) -> RenderedPdf:
    """Render trusted template output (user text already escaped) to a tagged PDF/UA-1 document."""
    from weasyprint import HTML

    _use_deflate_level()
    log = FetchLog()
    options = {
        "pdf_variant": "pdf/ua-1",
        "pdf_identifier": identifier,
        "custom_metadata": False,
        "presentational_hints": False,
    }
    # render() then write_pdf() (what HTML.write_pdf does) so the page count comes from the laid-out
    # document rather than from parsing the PDF afterwards.
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=make_fetcher(log)).render(
        font_config=font_config(), **options
    )
    content = document.write_pdf(**options)
    logger.debug("Rendered %s: %d bytes, %d fetches refused", title, len(content), len(log.refused))
    return RenderedPdf(content=content, fetches=log, pages=len(document.pages))
