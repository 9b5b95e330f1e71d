"""Quality badges: report parsers (one module per format), detection, metric rules, badge cache.

Everything here except ``store`` and ``cache_store`` is pure: functions over bytes and dicts, no
Flask, no database. The HTTP side lives in ``badgeapp.families.quality``.
"""
