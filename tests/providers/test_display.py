"""Properties of the display formats shared by the providers (hypothesis)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from badgeapp.providers import display

SUFFIX = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
METRIC = re.compile(r"^(-?)(\d+(?:\.\d)?)([kMGTPE]?)$")


def parse_metric(text: str) -> float:
    sign, number, suffix = METRIC.match(text).groups()
    return (-1 if sign else 1) * float(number) * SUFFIX[suffix]


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_metric_is_short_and_within_5_percent(n):
    text = display.metric(n)
    assert METRIC.match(text), text
    assert len(text.lstrip("-")) <= 4
    if n == 0:
        assert text == "0"
    else:
        assert abs(parse_metric(text) - n) / abs(n) <= 0.05 + 1e-9


@given(st.integers(0, 10**16), st.integers(0, 10**16))
def test_metric_keeps_the_order(a, b):
    a, b = sorted((a, b))
    assert parse_metric(display.metric(a)) <= parse_metric(display.metric(b))


def test_metric_examples():
    assert [display.metric(n) for n in (0, 999, 1000, 1250, 12345, 999_999, 3_400_000)] == [
        "0",
        "999",
        "1k",
        "1.2k",
        "12k",
        "1M",
        "3.4M",
    ]


@given(st.integers(0, 10**17))
def test_pretty_bytes_three_significant_digits(n):
    text = display.pretty_bytes(n)
    number, unit = text.split(" ")
    assert unit in ("B", "kB", "MB", "GB", "TB", "PB")
    assert len(number.replace(".", "")) <= 3 or unit in ("B", "PB")
    scale = 1000 ** ("B", "kB", "MB", "GB", "TB", "PB").index(unit)
    assert abs(float(number) * scale - n) <= max(0.005 * n, 1)


@given(st.integers(0, 5000))
def test_age_text_and_colour_never_fail(days):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    when = now - dt.timedelta(days=days, seconds=days * 7)
    assert display.relative_age(when, now).endswith("ago")
    assert display.age_color(when, now) in {
        "brightgreen",
        "green",
        "yellowgreen",
        "yellow",
        "orange",
        "red",
    }


def test_age_examples():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ago = [dt.timedelta(seconds=10), dt.timedelta(hours=5), dt.timedelta(days=3)]
    ago += [dt.timedelta(days=40), dt.timedelta(days=400), dt.timedelta(days=1000)]
    assert [display.relative_age(now - d, now) for d in ago] == [
        "a few seconds ago",
        "5 hours ago",
        "3 days ago",
        "a month ago",
        "a year ago",
        "3 years ago",
    ]
    assert [display.age_color(now - d, now) for d in ago] == [
        "brightgreen",
        "brightgreen",
        "brightgreen",
        "yellowgreen",
        "orange",
        "red",
    ]


def test_version_and_licence_colours():
    assert display.version_color("3.1.0") == "blue"
    assert display.version_color("0.9.1") == "orange"
    assert display.version_color("2.0.0rc1") == "orange"
    assert display.version_text("3.1.0") == "v3.1.0"
    assert display.version_text("latest") == "latest"
    assert display.license_color("MIT") == "green"
    assert display.license_color("GPL-3.0-only") == "orange"
    assert display.license_color("Unlicense") == "7cd958"
    assert display.license_color("Proprietary") == "lightgrey"


@given(st.text(max_size=40))
def test_parse_time_accepts_iso_or_raises_invalid(text):
    from badgeapp.errors import InvalidResponse

    try:
        value = display.parse_time(text)
    except InvalidResponse:
        return
    assert value.tzinfo is not None
