"""URL converters: ids in paths stay within the range of the tables' integer keys."""

MAX_ID = 2_147_483_647  # the largest value of an INT key on every supported database


class IdConverter:
    """A database id, 1 to MAX_ID; anything else is no match (404), never a database error."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not an id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
