"""What the graph refuses, and running a write again when the database broke a deadlock."""

from __future__ import annotations

import functools
import time

from django.db import OperationalError, connection, transaction


class GraphError(Exception):
    """A change the graph refuses; `status_code` is the HTTP answer for it."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SelfLinkError(GraphError):
    pass


class ReverseLinkError(GraphError):
    status_code = 409


class NotFoundError(GraphError):
    status_code = 404


class MergeNotConfirmedError(GraphError):
    """The link would merge two groups and the person did not confirm it (pages ask; programs need not)."""

    status_code = 409


# Deadlock and serialization failure: the database rolled the transaction
# back and it is safe to run it again.
RETRY_SQLSTATES = {"40P01", "40001"}
RETRY_ATTEMPTS = 5


def _retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in RETRY_SQLSTATES


def graph_write(fn):
    """Run `fn` in one transaction; run it again when the database broke a deadlock."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            # Part of a larger transaction: its owner decides about retries.
            with transaction.atomic():
                return fn(*args, **kwargs)
        for attempt in range(RETRY_ATTEMPTS):
            try:
                with transaction.atomic():
                    return fn(*args, **kwargs)
            except OperationalError as exc:
                if attempt == RETRY_ATTEMPTS - 1 or not _retryable(exc):
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper
