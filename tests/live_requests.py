"""Requests the live server is still answering, so a browser test's database is flushed only after
they finish.

A browser test may end while the live server is still in a request the page started (an htmx
fragment, the first read of the day refreshing the daily figures): its transaction holds locks, and
PostgreSQL's TRUNCATE between transactional tests deadlocks with it. The middleware counts the
requests in flight; the fixture in tests/conftest.py waits for none before the flush.
"""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_in_flight = 0


class CountInFlight:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _in_flight
        with _lock:
            _in_flight += 1
        try:
            return self.get_response(request)
        finally:
            with _lock:
                _in_flight -= 1


def wait_until_idle(seconds: float = 60) -> int:
    """Wait until no request is in flight (at most `seconds`); the number still in flight."""
    deadline = time.monotonic() + seconds
    while _in_flight and time.monotonic() < deadline:
        time.sleep(0.05)
    return _in_flight
