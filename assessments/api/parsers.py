"""A multipart parser that refuses an unsafe file name instead of quietly repairing it.

Django's multipart parser strips path parts and unprintable characters from an upload's name
(`../x.pdf` arrives as `x.pdf`), so `core.uploads.clean_display_name` would never see them. An API
client sending such a name has a bug or worse; we answer 400 and store nothing, as the brief for
evidence uploads requires, rather than file the item under a name the sender did not choose.
"""

from __future__ import annotations

import html

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import DataAndFiles, MultiPartParser

from core.uploads import clean_display_name


class _UnsafeName(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _StrictNameParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        try:
            clean_display_name(html.unescape(file_name))
        except DjangoValidationError as exc:
            raise _UnsafeName(exc.messages[0]) from None
        return super().sanitize_file_name(file_name)


class EvidenceMultiPartParser(MultiPartParser):
    """DRF's multipart parser with the strict file-name rule; a refusal is an error on `file_field`."""

    file_field = "upload"

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            data, files = _StrictNameParser(meta, stream, request.upload_handlers, encoding).parse()
        except _UnsafeName as exc:
            raise ValidationError({self.file_field: [exc.message]}) from None
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from None
        return DataAndFiles(data, files)
