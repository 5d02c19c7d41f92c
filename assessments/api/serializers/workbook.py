"""The workbook import's input (a multipart `file`) and its answer: the rows that change a response,
field by field (old and new, as a person reads them), and the rows refused with their reasons."""

from __future__ import annotations

from rest_framework import serializers


def _letter(what: str):
    return serializers.CharField(
        required=False, allow_blank=True, max_length=3, help_text=f"A workbook of its own layout: the {what}'s column"
    )


class WorkbookUploadSerializer(serializers.Serializer):
    """The file, and for a workbook in its own layout, where its answers are (all left out: the
    export's layout). `reference_column` defaults to A."""

    file = serializers.FileField(help_text="An Excel workbook (.xlsx)")
    sheet = serializers.CharField(
        required=False, allow_blank=True, max_length=31, help_text="A workbook of its own layout: the answers' sheet"
    )
    reference_column = _letter("paragraph reference")
    judgement_column = _letter("judgement")
    narrative_column = _letter("narrative")
    evidence_column = _letter("evidence IDs")


class WorkbookFieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The column's field: `judgement`, `narrative`, `evidence`, `due_date`...")
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class WorkbookRowChangeSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    reference = serializers.CharField(help_text="The requirement's paragraph reference (column A)")
    record = serializers.IntegerField(
        source="target", allow_null=True, help_text="The response or action changed; null for a new action"
    )
    fields = WorkbookFieldChangeSerializer(many=True)


class WorkbookRefusalSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True, help_text="None when the whole sheet is refused")
    reference = serializers.CharField()
    reason = serializers.CharField()


class WorkbookImportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(help_text="Whether the changes were saved")
    changes = WorkbookRowChangeSerializer(many=True)
    refusals = WorkbookRefusalSerializer(many=True)
    unchanged = serializers.IntegerField(help_text="Rows whose answer is already as the workbook gives it")
