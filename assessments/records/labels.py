"""The words a person reads a record's fields as, wherever a page names them (the history page's
changes, a response's change history): a field's label is its model field's verbose name, declared
once on the model, first letter capitalised (never lower-cased: "PCC's annual assurance statement")."""

from __future__ import annotations

from django.utils.text import capfirst


def model_field(model, name: str):
    """The model's field called `name`, or whose column is `name` (`judgement_id`); None if neither."""
    if model is None:
        return None
    for candidate in model._meta.get_fields():
        if getattr(candidate, "attname", None) == name or candidate.name == name:
            return candidate
    return None


def field_label(model, name: str) -> str:
    """How a person reads the field: its verbose name, or `name` itself for a field the model lacks."""
    found = model_field(model, name)
    return capfirst(str(getattr(found, "verbose_name", name))) if found is not None else name


def model_label(model) -> str:
    return capfirst(str(model._meta.verbose_name))
