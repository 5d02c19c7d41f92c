"""The layers are a contract the build checks: `lint-imports` (run by `make test`) passes on the tree
as it is, and fails, naming the rule, the day a module imports upwards or two modules of an app
import each other."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _apps() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def _copy_tree(tmp_path: Path) -> Path:
    """The apps' Python files and pyproject.toml, in a tree of their own that a test may break."""
    for app in _apps():
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return _copy_tree(tmp_path_factory.mktemp("layers"))


def test_the_apps_keep_every_import_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_an_upward_import_breaks_the_build_naming_the_rule(tmp_path):
    tree = _copy_tree(tmp_path)
    _append(tree / "core" / "text.py", "from assessments.models import Assessment  # noqa")
    result = _lint(tree)
    assert result.returncode != 0
    assert "Apps import downwards only" in result.stdout
    assert "core is not allowed to import assessments" in result.stdout
    assert "core.text -> assessments.models" in result.stdout


def test_the_catalogue_importing_a_force_breaks_the_build(tmp_path):
    tree = _copy_tree(tmp_path)
    _append(tree / "capabilities" / "selectors.py", "from forces.models import Force  # noqa")
    result = _lint(tree)
    assert result.returncode != 0
    assert "never imports who answers it" in result.stdout
    assert "capabilities.selectors -> forces.models" in result.stdout


def test_a_circle_inside_an_app_breaks_the_build(tmp_path):
    tree = _copy_tree(tmp_path)
    _append(tree / "assessments" / "transitions.py", "from assessments import permissions  # noqa")
    result = _lint(tree)
    assert result.returncode != 0
    assert "No module circles inside an app" in result.stdout
    assert "No cycles are allowed in assessments" in result.stdout
