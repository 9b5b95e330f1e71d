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
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
# Badge URLs may carry an 8 KiB data: logo; gunicorn's default 4094-byte request line would
# answer such URLs with an HTML 414 (a broken image). 8190 is gunicorn's maximum; the app
# answers longer query strings with its own 414 badge.
limit_request_line = 8190
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = "-"
logger_class = "badgeapp.access_log.RedactingLogger"  # no ?token= in the access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
