"""Checks every text input shares: files' cells, JSON bodies, query strings and forms."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Control characters other than tab and line breaks, and lone surrogates: PostgreSQL
# refuses NUL outright, and none of them belongs in a code, a name or a reason.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character(value: str) -> str | None:
    """What the first control character in `value` is and where, or None when there is none."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return f"holds the control character U+{ord(found.group()):04X} at position {found.start() + 1}"


def refuse_control_characters(value: str) -> None:
    """A field validator (Django forms and DRF serializers alike)."""
    if isinstance(value, str) and (problem := control_character(value)) is not None:
        raise ValidationError(f"The text {problem}; only tabs and line breaks may be in a text.")
