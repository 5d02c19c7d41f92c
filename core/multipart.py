"""Multipart parsing that never repairs an uploaded file's name behind the uploader's back.

Django's multipart parser strips path parts and unprintable characters from an upload's name
(`../x.pdf` arrives as `x.pdf`, a name of control characters disappears with its file), so the checks
in `core.uploads` would never see them, and a page would file the item under a name its sender did not
choose. `StrictNameUploadHandler`, first in FILE_UPLOAD_HANDLERS, takes over the parsing of every
multipart request (pages and DRF alike, through Django's `handle_raw_input` hook) with a parser that
marks such a file (`refused_name`, the reason) instead; `core.uploads.check_upload` refuses a marked
file with that reason, so pages and the API give the same answer to the same name.
"""

from __future__ import annotations

import html

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils.encoding import force_str

from core.uploads import clean_display_name

#: The name a refused file carries so that form and serializer fields still see a file.
PLACEHOLDER_NAME = "refused-name"


class StrictNameMultiPartParser(MultiPartParser):
    """Django's parser; a name it would have changed is kept as a refusal on the file."""

    _refusal: str | None = None

    def sanitize_file_name(self, file_name):
        try:
            clean_display_name(html.unescape(file_name))
        except ValidationError as exc:
            self._refusal = exc.messages[0]
        else:
            self._refusal = None
        return super().sanitize_file_name(file_name) or PLACEHOLDER_NAME

    def handle_file_complete(self, old_field_name, counters):
        super().handle_file_complete(old_field_name, counters)
        if self._refusal:
            files = self._files.getlist(force_str(old_field_name, self._encoding, errors="replace"))
            if files:
                files[-1].refused_name = self._refusal
            self._refusal = None


class StrictNameUploadHandler(FileUploadHandler):
    """Parses the whole request with StrictNameMultiPartParser and the other configured handlers."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        return StrictNameMultiPartParser(META, input_data, others, encoding).parse()

    # Never called: handle_raw_input has parsed everything.
    def receive_data_chunk(self, raw_data, start):  # pragma: no cover
        return raw_data

    def file_complete(self, file_size):  # pragma: no cover
        return None
