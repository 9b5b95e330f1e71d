"""Fetching what users point us at: ``safefetch`` is the one way to GET a user-chosen URL."""
