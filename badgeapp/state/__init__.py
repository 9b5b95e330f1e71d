"""State every worker process shares in the embedded default (no ``REDIS_URL``).

``sqlite_limits`` is a ``limits`` storage over an SQLite file in the instance folder, so a
per-visitor limit counts once across gunicorn workers; ``generations`` keeps the invalidation
generation counters (SQLite rows plus a memory-mapped change counter that is cheap to read on
every request), or Redis when ``REDIS_URL`` is set. ``sqlite_files`` opens every such shared
SQLite file (WAL mode, waiting out the other workers opening it at the same moment).
"""
