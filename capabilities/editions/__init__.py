"""Writes for SPR editions: loading `editions/*.yaml` into editions, threats, areas and requirements.

An edition file is checked whole before anything is written, and every file of a load is checked
before any of them is written, all inside one transaction: a malformed file loads nothing, and the
error names the file and each problem found.

Rows are matched on edition code, then threat code, area code, judgement level code and requirement
ref within the edition, and only written when something differs, so loading the same files twice
changes no row (and no id). Rows that a file no longer lists are *kept and reported*, not deleted:
assessments may already point at them, and deleting a requirement somebody has assessed is a
decision for a person (in the admin or a data migration), not for a loader.

The loader runs as the system (from `manage.py load_editions` or deployment), so it takes no acting
user.

`common` holds the error, the validated file and the load results, `reading` parses and checks a
file, and `writing` loads files into the database; callers import from this package.
"""

from capabilities.editions.common import EditionFileError, EditionLoadResult, EditionSpec, Tally
from capabilities.editions.reading import DEFAULT_JUDGEMENT_SCALE, edition_file_read
from capabilities.editions.writing import edition_load_file, editions_load

__all__ = [
    "DEFAULT_JUDGEMENT_SCALE",
    "EditionFileError",
    "EditionLoadResult",
    "EditionSpec",
    "Tally",
    "edition_file_read",
    "edition_load_file",
    "editions_load",
]
