"""What a PDF shows, as plain data for templates/pdf/*.html, and the SHA-256 of it (`input_hash`).

The templates get strings, numbers and lists, and the accountability report each response's record
(`response`, frozen plain values); every piece of user text reaches the HTML through Django's
autoescaping (no `|safe` anywhere in templates/pdf). Colours come from a fixed list, never
from data, because they end up in class names.

Which content a report is built from:
- PCC accountability report: the records (`assessments.records.AssessmentContent`) of a published
  assessment's stored Snapshot.payload, upgraded from the schema it was stored in (so the report of a
  published assessment reproduces exactly, whatever happens to the live rows); any other state, the
  live `records.assessment_content(assessment)` at the time of rendering.
- National overview: for each force, its latest *published* revision for the edition and period (the
  record the PCC signed off and published to HMIC), read from its snapshot's records. Drafts, and submissions a
  force shared early, are not compared nationally: they can still change, and the overview compares
  like with like. A force with nothing published says so. Overdue actions are counted as at the date
  of the report, so that date is part of the input hash.

`common` holds what both share (the template version, dates, labels, the heat map), `accountability`
and `national` one report each; callers import from this package.
"""

from reports.context.accountability import accountability_input_hash, accountability_prepare
from reports.context.common import TEMPLATE_VERSION, Prepared
from reports.context.national import NationalInputs, national_inputs, national_prepare

__all__ = [
    "TEMPLATE_VERSION",
    "NationalInputs",
    "Prepared",
    "accountability_input_hash",
    "accountability_prepare",
    "national_inputs",
    "national_prepare",
]
