"""Every word a person reads on a page comes from a translatable message (STYLE.md, "Words"): a
template's own text outside {% translate %} / {% blocktranslate %} is English a Welsh interface
could never show in Welsh.

The check lexes each template with Django's own Lexer, keeps the text outside translate blocks and
comments, strips the HTML and fails on any word left, naming the template and line."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

# Attributes a person (or their screen reader) reads. `data-label` is the heading a reflowed table
# cell shows at 320 px (static/css/spr.css), `value` only where the input shows it as a button's text.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "data-label"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}

WORD = re.compile(r"[A-Za-z]{2,}")

# A string an include hands to a component to show (a tag's text, a field's hint or legend, the
# words for an empty list) or a filter's fallback: `_("...")` translates it, a bare literal does not.
SHOWN_LITERAL = re.compile(r"""(?:\b(?:text|hint|empty|legend|hidden|label|heading)=|\|default:)(["'])(.*?)\1""")

# Words that are the same in every language of the service: abbreviations that are names. Only the
# ones a template uses bare are listed; everything else (OFFICIAL, GOV.UK, HMIC, PCC, PDF, CSV) is
# inside translated sentences, so a translator can still place it.
ALLOWED_WORDS = {
    "SPR",  # the Strategic Policing Requirement's own abbreviation ("SPR 3.2" beside a capability)
    "API",  # the navigation link to the API documentation, whose output stays English by design
}

# Templates whose text is not ours to translate, or not read in the interface, each with a reason.
# Empty: every template under templates/ passes, including the API docs' page shell.
ALLOWED_TEMPLATES: set[str] = set()


class _Words(HTMLParser):
    """Collects (line, word) for every word in element text and in read attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def _words(self, text, line):
        for match in WORD.finditer(text):
            if match.group() not in ALLOWED_WORDS:
                self.found.append((line + text.count("\n", 0, match.start()), match.group()))

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self._words(value, line)
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_INPUT_TYPES:
            self._words(attributes.get("value") or "", line)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._words(data, self.getpos()[0])


def untranslated_words(source: str) -> list[tuple[int, str]]:
    """(line, word) for every word of `source` a person would read that no translate tag covers."""
    kept = []
    literals = []
    inside = None  # the tag that closes the block whose text is skipped
    for token in Lexer(source).tokenize():
        newlines = "\n" * token.contents.count("\n")
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(maxsplit=1)[0] if token.contents else ""
            if inside is None and name in ("blocktranslate", "blocktrans"):
                inside = "endblock" + name.removeprefix("block")
            elif inside is None and name in ("comment", "verbatim"):
                inside = "end" + name
            elif name == inside:
                inside = None
            if inside is None and name == "include":
                literals.append(token)
            # A tag stands for text we cannot see (a translated string, a variable): a space keeps
            # words on either side apart and still counts the lines.
            kept.append(newlines or " ")
        elif token.token_type == TokenType.TEXT and inside is None:
            kept.append(token.contents)
        else:
            if token.token_type == TokenType.VAR and inside is None:
                literals.append(token)
            kept.append(newlines or " ")
    parser = _Words()
    parser.feed("".join(kept))
    parser.close()
    for token in literals:
        for match in SHOWN_LITERAL.finditer(token.contents):
            parser._words(match.group(2), token.lineno)
    return sorted(parser.found, key=lambda found: found[0])


def _templates():
    roots = [Path(root) for engine in settings.TEMPLATES for root in engine["DIRS"]]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".txt"):
                yield root, path


def test_every_template_word_is_translatable():
    problems = []
    for root, path in _templates():
        name = path.relative_to(root).as_posix()
        if name in ALLOWED_TEMPLATES:
            continue
        for line, word in untranslated_words(path.read_text(encoding="utf-8")):
            problems.append(f"{name}:{line}: {word}")
    assert not problems, "Words outside {% translate %}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", [(1, "Hello")]),
        ('{% load i18n %}<p>{% translate "Hello" %}</p>', []),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}", []),
        ("{% blocktranslate trimmed %}\nHello\n{% endblocktranslate %}\n<p>Bye</p>", [(4, "Bye")]),
        ("{% comment %}A note{% endcomment %}{# another #}<!-- html -->", []),
        ('<a href="/x" aria-label="Open it">{% translate "Go" %}</a>', [(1, "Open"), (1, "it")]),
        ('<img src="/x.png" alt="Crest">', [(1, "Crest")]),
        ('<input type="submit" value="Save"><input type="hidden" value="kept">', [(1, "Save")]),
        ('<td data-label="Force">{{ force.name }}</td>', [(1, "Force")]),
        ("<p>\n{{ x }}\n{% if y %}\nNone{% endif %}</p>", [(4, "None")]),
        ("<script>var ok = 1;</script><style>p { color: red }</style>", []),
        ("<p>SPR API &middot; 2026</p>", []),
        ('<span class="govuk-visually-hidden">Status</span>', [(1, "Status")]),
        ('{% include "includes/tag.html" with text="Overdue" colour="red" %}', [(1, "Overdue")]),
        ('{% include "includes/tag.html" with text=_("Overdue") colour="red" %}', []),
        ('{{ a|default:"Not set" }}{{ b|default:_("Not set") }}{{ c|date:"j F Y" }}', [(1, "Not"), (1, "set")]),
    ],
)
def test_checker_finds_bare_words(source, expected):
    assert untranslated_words(source) == expected
