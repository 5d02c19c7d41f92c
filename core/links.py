"""Links for pages that show hundreds of them.

Django's reverse() walks the URL patterns and re-checks the result on every call (~30 µs here); a
national table or a task list makes a few hundred such links per request. `reverser` reverses once
with placeholder arguments and fills each set of arguments in, quoted exactly as reverse() quotes
them (tests/core/test_links.py holds it to reverse()'s output).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

#: What reverse() leaves unquoted in a path: RFC 3986's sub-delimiters and "/~:@".
SAFE = "!$&'()*+,;=/~:@"


def reverser(viewname: str, *kinds: type) -> Callable[..., str]:
    """A function taking the view's positional arguments (of `kinds`: int or str) and returning what
    reverse(viewname, args=...) would. Build it once per request: the URL prefix can differ."""
    marks = [f"9{n}7{n}5{n}3{n}1" if kind is int else f"zqslot{n}qz" for n, kind in enumerate(kinds)]
    template = reverse(viewname, args=marks)
    if any(template.count(mark) != 1 for mark in marks):  # pragma: no cover - a pattern this cannot fill
        return lambda *args: reverse(viewname, args=args)

    def build(*args) -> str:
        url = template
        for mark, kind, value in zip(marks, kinds, args, strict=True):
            text = str(int(value)) if kind is int else quote(str(value), safe=SAFE)
            url = url.replace(mark, text, 1)
        return url

    return build
