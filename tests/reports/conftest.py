"""Fixtures of the report tests: the home force's assessments in chosen states, a folder for built
reports, and an inspector's view."""

from __future__ import annotations

import pytest

from tests.conftest import HOME_FORCE
from tests.reports.support import rich_assessment


@pytest.fixture
def reports_root(settings, tmp_path):
    """Reports rendered in this process go to a folder of the test's own (worker tests keep the
    worker's folder, REPORTS_ROOT as it was when the worker started)."""
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT


@pytest.fixture
def make_rich(forces, spr2012, staff_user, chief_user, pcc_user):
    def _make(state: str, **kwargs):
        return rich_assessment(
            state,
            force=forces[HOME_FORCE],
            edition=spr2012,
            staff=staff_user,
            chief=chief_user,
            pcc=pcc_user,
            **kwargs,
        )

    return _make


@pytest.fixture
def published(make_rich):
    return make_rich("published")


@pytest.fixture
def draft(make_rich):
    return make_rich("draft", period="2026/27")
