"""The API's JSON parser: a body too large or nested too deeply is a 400, not a 500.

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
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
