"""The WeasyPrint fetcher of core/pdf.py: data: URLs and our static folder only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from core.pdf import FetchLog, make_fetcher, render_pdf, static_base_url


@pytest.fixture
def fetcher():
    log = FetchLog()
    return make_fetcher(log), log


def test_fetcher_allows_a_static_file(fetcher):
    fetch, log = fetcher
    css = (Path(settings.BASE_DIR) / "static" / "css" / "pdf.css").resolve()

    response = fetch.fetch(css.as_uri())

    assert response.status == 200
    assert str(css) in log.allowed
    assert not log.refused


def test_fetcher_allows_data_urls(fetcher):
    fetch, log = fetcher

    fetch.fetch("data:text/css;base64,Ym9keXt9")

    assert log.allowed and not log.refused


def test_fetcher_refuses_a_file_outside_static(fetcher, tmp_path):
    fetch, log = fetcher
    secret = tmp_path / "secret.txt"
    secret.write_text("canary")

    with pytest.raises(ValueError, match="not allowed"):
        fetch.fetch(secret.as_uri())
    with pytest.raises(ValueError):
        fetch.fetch("file:///etc/passwd")

    assert log.refused == [secret.as_uri(), "file:///etc/passwd"]


def test_fetcher_refuses_traversal_out_of_static(fetcher):
    fetch, log = fetcher

    with pytest.raises(ValueError):
        fetch.fetch(static_base_url() + "../../../../etc/passwd")
    with pytest.raises(ValueError):
        fetch.fetch(static_base_url() + "css/%2e%2e/%2e%2e/manage.py")

    assert len(log.refused) == 2


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x.css", "https://example.com/x.png", "ftp://example.com/x", "file://evil.example/etc/passwd"],
)
def test_fetcher_refuses_the_network(fetcher, url):
    fetch, log = fetcher

    with pytest.raises(ValueError):
        fetch.fetch(url)

    assert log.refused == [url]


def test_render_pdf_reports_pages_and_refused_fetches():
    html = (
        '<html lang="en-GB"><head><title>T</title></head>'
        '<body><img src="file:///etc/passwd" alt="x"><p>Hello</p></body></html>'
    )

    pdf = render_pdf(html, title="T")

    assert pdf.content.startswith(b"%PDF")
    assert pdf.pages == 1
    assert pdf.fetches.refused == ["file:///etc/passwd"]
