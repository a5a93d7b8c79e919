"""What stops a feed file as a whole, and the HTTP status a web upload answers it with."""

from __future__ import annotations


class FeedError(Exception):
    """The file as a whole cannot be imported (nothing is read past this point)."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FeedTooLarge(FeedError):
    """The file would cost more to read than the limits allow (HTTP 413)."""

    status = 413
