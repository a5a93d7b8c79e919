"""The API's parsers: a JSON body too large, nested too deeply or holding a NUL character is a 400, not a 500.

DRF's own parser turns only ValueError into a ParseError; a body of 100,000
`[` makes Python's decoder raise RecursionError instead, and an unbounded
body is read whole into memory. This one reads at most
`PLM_API_MAX_JSON_BYTES` and answers both with the API's `{"error": ...}`.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from plmtracker.web.nul import MESSAGE as NUL_MESSAGE
from plmtracker.web.nul import has_nul

DEFAULT_MAX_JSON_BYTES = 1024 * 1024


def max_json_bytes() -> int:
    return int(getattr(settings, "PLM_API_MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_json_bytes()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise ParseError(f"JSON body too large: at most {filesizeformat(limit)}.")
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
            nul = has_nul(data)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        if nul:
            raise ParseError(NUL_MESSAGE)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; a NUL character in a field (or a file's name) is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if has_nul(dict(parsed.data.lists())) or any("\x00" in (f.name or "") for f in parsed.files.values()):
            raise ParseError(NUL_MESSAGE)
        return parsed
