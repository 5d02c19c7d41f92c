"""What reading and writing edition files share: the error a malformed file raises, the validated file
ready to write (`EditionSpec`), and what a load did (`Tally` per kind of row, `EditionLoadResult` per
file). It imports nothing from the other submodules, so both can build on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class EditionFileError(ValueError):
    """One or more edition files are malformed; `problems` lists each one, prefixed by its file name
    (and line); `errors` gives the same for one file as (line or None, message without the name)."""

    def __init__(
        self,
        problems: list[str],
        *,
        files_checked: int = 1,
        files_bad: int = 1,
        errors: list[tuple[int | None, str]] | None = None,
    ):
        self.problems = problems
        self.errors = errors if errors is not None else [(None, problem) for problem in problems]
        if files_checked > 1:
            headline = (
                f"Nothing was loaded: {files_bad} of {files_checked} edition files "
                f"{'is' if files_bad == 1 else 'are'} malformed."
            )
        else:
            headline = "Nothing was loaded: the edition file is malformed."
        super().__init__("\n".join([headline, *(f"  {problem}" for problem in problems)]))


@dataclass
class EditionSpec:
    """A validated edition file, ready to write."""

    path: Path
    edition: dict[str, Any]
    judgement_scale: list[dict[str, Any]]
    threats: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    default_scale: bool = False


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class EditionLoadResult:
    """What one file did: per kind of row, how many were created, updated or unchanged, and the
    codes/refs present in the database but no longer in the file (kept, see the package docstring)."""

    code: str
    path: Path
    edition: str  # "created", "updated" or "unchanged"
    judgement_levels: Tally
    threats: Tally
    areas: Tally
    requirements: Tally
    default_scale: bool = False

    @property
    def changed(self) -> bool:
        tallies = (self.judgement_levels, self.threats, self.areas, self.requirements)
        return self.edition != "unchanged" or any(t.created or t.updated for t in tallies)
