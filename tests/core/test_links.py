"""core.links.reverser gives exactly what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.links import reverser

REFS = ["3.2(a)(ii)", "1.9", "B 4", "Ünïcode ref", "100%", "a&b=c;d", "~:@!$'*+,"]


@pytest.mark.parametrize("ref", REFS)
@pytest.mark.parametrize("pk", [1, 42, 987654])
def test_reverser_matches_reverse_for_a_requirement_page(pk, ref):
    assert reverser("assessments:response", int, str)(pk, ref) == reverse("assessments:response", args=[pk, ref])


def test_reverser_fills_a_view_with_one_number():
    build = reverser("assessments:detail", int)
    assert [build(pk) for pk in (1, 2, 30)] == [reverse("assessments:detail", args=[pk]) for pk in (1, 2, 30)]


def test_reverser_refuses_missing_arguments():
    with pytest.raises(ValueError):
        reverser("assessments:response", int, str)(1)
