"""The spec's colour tables and message formats, checked at and around every threshold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgeapp.quality.rules import badge_message

RED, YELLOW, GREEN, BLUE = "e05d44", "dfb317", "4c1", "007ec6"


@pytest.mark.parametrize(
    ("value", "message", "color"),
    [
        (0, "0%", RED),
        (59.99, "59.9%", RED),
        (60, "60%", YELLOW),
        (80, "80%", YELLOW),
        (80.01, "80%", YELLOW),  # reads 80%, so coloured as 80% (issue 11 item 16)
        (80.1, "80.1%", GREEN),
        (85.3, "85.3%", GREEN),
        (99.96, "99.9%", GREEN),
        (100, "100%", GREEN),
    ],
)
def test_coverage_table(value, message, color):
    assert badge_message("coverage", {"coverage": value}) == (message, color)


@pytest.mark.parametrize(
    ("value", "message", "color"),
    [(69.9, "69.9", RED), (70, "70", YELLOW), (85, "85", YELLOW), (85.5, "85.5", GREEN)],
)
def test_quality_table(value, message, color):
    assert badge_message("quality", {"quality": value}) == (message, color)


@pytest.mark.parametrize(
    ("grade", "color"),
    [("A+", "00b140"), ("A", "4c1"), ("B", "97ca00"), ("C", "dfb317"), ("D", "fe7d37"), ("F", RED)],
)
def test_security_grade_colors(grade, color):
    assert badge_message("security", {"grade": grade}) == (grade, color)


@pytest.mark.parametrize(
    ("counts", "message", "color"),
    [
        ({"critical": 2, "high": 5, "medium": 3, "low": 1}, "2 critical", RED),
        ({"critical": 0, "high": 5, "medium": 3, "low": 0}, "5 high", YELLOW),
        ({"critical": 0, "high": 0, "medium": 3, "low": 9}, "3 medium", BLUE),
        ({"critical": 0, "high": 0, "medium": 0, "low": 4}, "passing", GREEN),
        ({}, "passing", GREEN),
        ({"critical": 1234}, "1,234 critical", RED),
    ],
)
def test_security_vulnerability_mode(counts, message, color):
    assert badge_message("security", {"vulnerabilities": counts}) == (message, color)


def test_grade_wins_over_vulnerability_counts():
    metrics = {"grade": "B", "vulnerabilities": {"critical": 3}}
    assert badge_message("security", metrics) == ("B", "97ca00")


@pytest.mark.parametrize(
    ("tests", "message"),
    [
        ({"passed": 1234, "failed": 0, "skipped": 0}, "1,234 passing"),
        ({"passed": 7, "failed": 3, "skipped": 1}, "7 passing"),  # the spec: always green
        ({"passed": 0}, "0 passing"),
    ],
)
def test_tests_badge_is_always_green(tests, message):
    assert badge_message("tests", {"tests": tests}) == (message, GREEN)


@given(st.floats(0, 100), st.floats(0, 100))
def test_coverage_color_never_gets_worse_as_coverage_rises(a, b):
    order = [RED, YELLOW, GREEN]
    low, high = sorted((a, b))
    low_color = badge_message("coverage", {"coverage": low})[1]
    high_color = badge_message("coverage", {"coverage": high})[1]
    assert order.index(low_color) <= order.index(high_color)


@given(st.floats(0, 100))
def test_coverage_message_never_overstates(value):
    shown = float(badge_message("coverage", {"coverage": value})[0].rstrip("%"))
    assert shown <= value < shown + 0.1 + 1e-9
