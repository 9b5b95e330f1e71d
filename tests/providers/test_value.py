"""Value coerces what third-party providers put in it, so families can trust its types."""

from __future__ import annotations

import datetime as dt

import pytest

from badgeapp.providers.base import Value


def test_well_typed_values_are_kept():
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    value = Value(raw=3, display="3", fetched_at=when, stale=True, cache_seconds=300)
    assert (value.display, value.fetched_at, value.stale, value.cache_seconds) == (
        "3",
        when,
        True,
        300,
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-01-02T03:04:05Z", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        (dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, tzinfo=dt.UTC)),  # naive means UTC
    ],
)
def test_fetched_at_becomes_an_aware_datetime(given, expected):
    assert Value(raw=1, display="1", fetched_at=given).fetched_at == expected


@pytest.mark.parametrize("given", ["yesterday", 12345, None, object()])
def test_unusable_fetched_at_means_now(given):
    fetched = Value(raw=1, display="1", fetched_at=given).fetched_at
    assert abs((dt.datetime.now(dt.UTC) - fetched).total_seconds()) < 5


@pytest.mark.parametrize(
    ("given", "expected"),
    [("300", 300), (12.7, 12), (-5, 0), (10**30, 365 * 86400), ("soon", None), (True, None)],
)
def test_cache_seconds_becomes_whole_seconds_or_none(given, expected):
    assert Value(raw=1, display="1", cache_seconds=given).cache_seconds == expected


def test_display_and_stale_are_coerced():
    value = Value(raw=1, display=42, stale="false")
    assert value.display == "42"
    assert value.stale is False
    assert Value(raw=1, display="x", stale="yes").stale is True
