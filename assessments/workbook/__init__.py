"""An assessment as an Excel workbook, out and in (issue 16).

`layout` says what the workbook looks like (sheets Responses, Evidence, Departures and Actions, their
columns worked out from `assessments.records`); `export` writes it; `imports` reads one back into a
draft: a plan of every row that will change and every row refused, then one write through
`services.response_update`. Callers import from this package.
"""

from assessments.workbook.export import CONTENT_TYPE, assessment_workbook, workbook_bytes, workbook_filename
from assessments.workbook.imports import (
    MAPPING_FIELDS,
    ColumnMap,
    FieldChange,
    ImportPlan,
    ImportStale,
    Refusal,
    RowChange,
    changes_from_token,
    column_map,
    plan_import,
    plan_token,
    require_importable,
    workbook_import,
)
from assessments.workbook.layout import SHEET_NAMES, SHEETS

__all__ = [
    "MAPPING_FIELDS",
    "ColumnMap",
    "CONTENT_TYPE",
    "SHEETS",
    "SHEET_NAMES",
    "FieldChange",
    "ImportPlan",
    "ImportStale",
    "Refusal",
    "RowChange",
    "assessment_workbook",
    "changes_from_token",
    "column_map",
    "plan_import",
    "plan_token",
    "require_importable",
    "workbook_bytes",
    "workbook_filename",
    "workbook_import",
]
