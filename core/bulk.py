"""INSERT many rows given column by column, without a model instance per row.

Django's `bulk_create` builds and prepares every field of every object in Python. For an assessment
of a 1,209-requirement edition (its responses, their history records and their audit entries: three
tables of 1,209 rows) that cost about 100 ms of CPU a table, more than the rest of the request. Here
the caller hands over the columns as plain values, and the database gets the statement Django itself
sends on PostgreSQL (`INSERT ... SELECT * FROM UNNEST(...)`, one array a column).

No signals are sent, no `save()` runs and no defaults are filled in: as with `bulk_create`, the
caller is responsible for the values, and for history and audit (see `core.audit.bulk_insert_audited`).
"""

from __future__ import annotations

import json

from django.db import NotSupportedError, connection

#: Integer field types: array elements written as they are, unquoted.
INTEGER_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
#: Field types whose value goes to the driver as it is, when it is an int, str, bool or None (the
#: caller's promise): their `get_db_prep_save` would not change it.
PLAIN_TYPES = INTEGER_TYPES | {"BooleanField", "CharField", "SlugField", "TextField"}


def insert_rows(model, columns: dict[str, list], *, returning_ids: bool = False) -> list | None:
    """Insert one row per position of the column lists; `columns` maps field names (or attnames, such
    as "assessment_id") to equally long lists. Other fields get their database default, if any.

    Values of int, text and boolean fields must already be plain ints, strs, bools or None; values of
    other fields (dates, JSON, ...) are prepared by their field. With `returning_ids`, answers the new
    primary keys in the order of the rows.
    """
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("Every column needs one value per row")
    count = lengths.pop()
    if not count:
        return [] if returning_ids else None
    if returning_ids and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError(f"{connection.vendor} cannot return the ids of a multi-row INSERT")
    opts = model._meta
    fields = [opts.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(field.column) for field in fields)})"
    returning = f" RETURNING {quote(opts.pk.column)}" if returning_ids else ""
    ids = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's statement (the types without parameters, so varchar(50)[] truncates nothing),
            # with each column sent as one array literal rather than as an array of parameters.
            arrays = ", ".join(f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in fields)
            values = [_pg_array(field, column) for field, column in zip(fields, columns.values(), strict=True)]
            # Names and types come from the model (quoted), values only as parameters.
            cursor.execute(f"{head} SELECT * FROM UNNEST({arrays}){returning}", values)  # noqa: S608
            if returning_ids:
                ids = [row[0] for row in cursor.fetchall()]
        else:
            values = [_prepared(field, column) for field, column in zip(fields, columns.values(), strict=True)]
            rows = list(zip(*values, strict=True))
            size = connection.ops.bulk_batch_size(fields, rows) or count
            placeholder = f"({', '.join(['%s'] * len(fields))})"
            for start in range(0, count, size):
                batch = rows[start : start + size]
                params = [value for row in batch for value in row]
                placeholders = ", ".join([placeholder] * len(batch))
                cursor.execute(f"{head} VALUES {placeholders}{returning}", params)  # noqa: S608 (as above)
                if returning_ids:
                    ids.extend(row[0] for row in cursor.fetchall())
    return ids if returning_ids else None


def _kind(field) -> str:
    return (field.target_field if field.is_relation else field).get_internal_type()


def _prepared(field, column: list) -> list:
    """The values as the driver takes them. Equal values are prepared once (a column often repeats
    one date or one id)."""
    if _kind(field) in PLAIN_TYPES:
        return column
    done = {}
    prepared = []
    for value in column:
        try:
            prepared.append(done[value])
        except KeyError:
            prepared.append(done.setdefault(value, field.get_db_prep_save(value, connection)))
        except TypeError:  # unhashable, such as a dict for a JSON field
            prepared.append(field.get_db_prep_save(value, connection))
    return prepared


def _pg_array(field, column: list):
    """The column as PostgreSQL array input text, `{1,2,NULL}` or `{"a","b",NULL}`, for the common
    types: psycopg2 spends a few microseconds adapting each element of a Python list, more than the
    rest of the insert. Any other type is left to psycopg2."""
    kind = _kind(field)
    if kind in INTEGER_TYPES:
        return "{" + ",".join("NULL" if value is None else str(int(value)) for value in column) + "}"
    if kind in PLAIN_TYPES:
        texts = column
    elif kind in ("DateTimeField", "DateField"):
        texts = [None if value is None else value.isoformat() for value in _prepared(field, column)]
    elif kind == "JSONField":
        encoder = (field.encoder or json.JSONEncoder)()
        texts = [None if value is None else encoder.encode(field.get_prep_value(value)) for value in column]
    else:
        return _prepared(field, column)
    texts = [None if text is None else str(text) for text in texts]
    if None not in texts:
        whole = "".join(texts)
        if '"' not in whole and "\\" not in whole:  # nothing to escape: quote and join in one go
            return '{"' + '","'.join(texts) + '"}'
    return "{" + ",".join("NULL" if text is None else _element(text) for text in texts) + "}"


def _element(text: str) -> str:
    """One quoted element of an array literal: inside double quotes only \\ and " are special."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
