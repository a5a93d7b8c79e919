"""A WSGI app for the gunicorn timeout test only: `/pid` answers the worker's process id, `/spin`
keeps a CPU busy for a minute (a runaway request). Never part of the product."""

import os
import time


def application(environ, start_response):
    if environ["PATH_INFO"] == "/spin":
        until = time.monotonic() + 60
        while time.monotonic() < until:
            sum(range(1000))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
