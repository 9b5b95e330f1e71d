"""Shields' routes for the other services (filled in below, one block per service)."""

from __future__ import annotations

ROUTES: tuple = ()
