"""URL converters: ids in paths stay within the range of the tables' integer keys.

Every route with an id uses one of these instead of Django's `int`, which takes
any number of digits: 9223372036854775808 overflows SQLite's integers (a 500)
where it should name nothing (404). `tests/plmtracker/test_converters.py`
fails on any `int` left in the URL patterns.
"""

MAX_ID = 2_147_483_647  # the largest value of an INT key on every supported database


class IdConverter:
    """A database id, 1 to MAX_ID; anything else is no match (404), never a database error."""

    regex = "[0-9]{1,10}"
    minimum = 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if not self.minimum <= number <= MAX_ID:
            raise ValueError(f"{value} is not an id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class LocationNumberConverter(IdConverter):
    """A location's number, the site's own key: 0 to MAX_ID, as the location feed takes them."""

    minimum = 0
