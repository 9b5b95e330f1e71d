"""gunicorn settings: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Threaded workers (gthread) because each WebSocket holds a thread. ``PORT`` (default 8000),
``WEB_CONCURRENCY`` (worker processes, default 2) and ``GUNICORN_THREADS`` (default 16), from
the environment or ``.env``.
"""

import os

from dotenv import load_dotenv

load_dotenv()  # .env in the working directory; the real environment wins

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{int(os.environ.get('PORT', '8000'))}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gthread (each WebSocket holds a thread) that answers an over-long request line with a badge
worker_class = "badgeapp.http.gunicorn_worker.BadgeThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
# Badge URLs may carry a data: logo; gunicorn's default 4094-byte request line would refuse
# them. 8190 is gunicorn's maximum (0, "unlimited", would buffer any length in memory); the app
# answers query strings over MAX_QUERY_BYTES (7680, under this with room for the path) with its
# 414 badge, and BadgeThreadWorker answers longer request lines with the same badge.
limit_request_line = 8190
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = "-"
logger_class = "badgeapp.access_log.RedactingLogger"  # no ?token= in the access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Close live sockets cleanly (1001 going away) as soon as the worker is told to stop, and
    tune the garbage collector for a server: what start-up made is frozen out of collections,
    and the youngest generation is collected every 50,000 allocations instead of 700 (badge
    caches hold many small objects; the default made full collections a share of every
    request: the distinct-badge p99 went from 72 ms to 39-60 ms in ``make bench``)."""
    import gc

    from badgeapp.live import close_on_signal

    close_on_signal()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
