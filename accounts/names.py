"""Display names: what people call themselves, as the site shows it beside their e-mail address.

Anyone may register under any name, and history shows it as `Name <email>`; so a
name may not pass for another identity: no control or format characters (CR/LF,
right-to-left overrides, zero-width joiners), no runs of blanks (60 Hangul fillers
pushing the real address out of view), no `<`, `>` or `@` (a second, made-up
address), and not longer than MAX_LENGTH. `clean_display_name` is what forms call
(registration, the admin) and the directory sync uses; the model field checks the
same rules (`validate_display_name`), so nothing stores a name another way.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

MAX_LENGTH = 80
# Categories dropped outright: controls, format characters (bidi overrides, zero-width
# characters, soft hyphens), surrogates, private use and unassigned code points.
DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Letters and symbols that draw nothing: read as blanks, like the Unicode spaces.
BLANK_LOOKING = set("\u115f\u1160\u3164\uffa0\u2800\u180e")
# After NFKC (which turns fullwidth and small forms into < > @), what else reads as brackets.
REFUSED = set("<>@‹›〈〉《》⟨⟩⟪⟫❬❭❮❯")
REFUSED_TEXT = "A name cannot contain <, > or @: it is shown beside your e-mail address."


def _blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("Z") or char in BLANK_LOOKING


def display_name(value: str | None) -> str:
    """The name as it will be shown: NFKC, blanks as single spaces, control and format characters gone."""
    text = unicodedata.normalize("NFKC", value or "")
    kept = "".join(
        " " if _blank(char) else char for char in text if _blank(char) or unicodedata.category(char) not in DROPPED
    )
    return " ".join(kept.split())


def name_problem(name: str) -> str | None:
    """Why a (cleaned) name cannot be taken, or None."""
    if any(char in REFUSED for char in name):
        return REFUSED_TEXT
    if len(name) > MAX_LENGTH:
        return f"A name is at most {MAX_LENGTH} characters long (this one has {len(name)})."
    return None


def clean_display_name(value: str | None) -> str:
    """The cleaned name, or a ValidationError that says what to change (a form error)."""
    name = display_name(value)
    problem = name_problem(name)
    if problem:
        raise ValidationError(problem, code="display_name")
    return name


def directory_display_name(value: str | None) -> str:
    """A name from the directory: cleaned, refused characters as blanks, cut to MAX_LENGTH (sign-in never fails)."""
    name = "".join(" " if char in REFUSED else char for char in display_name(value))
    return " ".join(name.split())[:MAX_LENGTH].strip()


@deconstructible(path="accounts.names.DisplayNameValidator")
class DisplayNameValidator:
    """The model field's check: the stored name is already clean and within the rules."""

    code = "display_name"

    def __call__(self, value: str | None) -> None:
        if not value:
            return
        if display_name(value) != value:
            raise ValidationError(
                "A name cannot hold control or format characters, or blanks at its ends or in runs.", code=self.code
            )
        problem = name_problem(value)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DisplayNameValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_display_name = DisplayNameValidator()
