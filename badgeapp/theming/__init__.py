"""Stored themes: made in the dashboard editor, imported as JSON or installed from a URL.

``store`` keeps them in the database, ``hooks`` serves them through ``badgeapp_themes`` like any
plugin theme, ``catalog`` lists every theme with its source, ``install`` fetches one safely.
"""
