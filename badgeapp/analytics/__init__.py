"""Analytics: renders per family, cache hits, popular badges, errors, upstream calls and quota.

``recorder`` counts in process (a dict under a lock, bounded), ``flusher`` moves the counts to
``store`` (the database, or Redis when ``REDIS_URL`` is set) from a background thread, never on
the request path; ``hooks`` wires the counting into every response; ``report`` sums the stored
counters over the last hour, day or week for ``/api/analytics`` and the dashboard.
"""
