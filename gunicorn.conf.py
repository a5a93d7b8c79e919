"""gunicorn settings for `gunicorn -c gunicorn.conf.py plmtracker.wsgi` (see scripts/start.sh)."""

import multiprocessing
import os
import threading
import time

# Loopback unless told otherwise: the reverse proxy in front reaches it there. A site
# that wants gunicorn on the network says so, e.g. BIND=0.0.0.0:8000.
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A request running longer than this gets its worker killed and restarted (see the hooks below).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25.1+ opens a control socket for `gunicornc` at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), so two instances on a host
# take each other's socket. Off unless GUNICORN_CONTROL_SOCKET names this instance's own path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


# A gthread worker's main thread keeps beating while its request threads are busy, so the
# arbiter's `timeout` alone never stops a runaway request. The heartbeat therefore says when
# the oldest request in flight began: the arbiter kills (SIGABRT, then SIGKILL) a worker whose
# request has run past `timeout` and starts a new one. Each worker has its own copy of this
# table (it is filled after the fork), keyed by the thread serving the request.
_request_started: dict[int, float] = {}


def pre_request(worker, req):
    worker.log.debug("%s %s", req.method, req.path)
    _request_started[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp):
    _request_started.pop(threading.get_ident(), None)


def post_worker_init(worker):
    def notify():
        beat = min((time.monotonic(), *_request_started.values()))  # one C-level copy: threads may write meanwhile
        os.utime(worker.tmp.fileno(), (beat, beat))  # the arbiter reads the heartbeat from this file's times

    worker.notify = notify
