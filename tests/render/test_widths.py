"""Text widths: anafanafo's Verdana table, per code point, shields' rounding."""

from __future__ import annotations

import pytest

from badgeapp.render.widths import FONT_FILES, preferred_width, round_up_to_odd, text_width


@pytest.mark.parametrize(
    ("text", "width"),
    [(" ", 3.87), ("a", 6.61), ("0", 6.99), ("9", 6.99), ("m", 10.7), ("中", 11.0)],
)
def test_single_characters(text, width):
    assert text_width(text) == pytest.approx(width)


def test_words_round_down_then_up_to_odd():
    assert text_width("build") == pytest.approx(26.7)
    assert preferred_width("build") == 27
    assert text_width("passing") == pytest.approx(41.75)
    assert preferred_width("passing") == 41


def test_no_kerning():
    assert text_width("AV") == pytest.approx(text_width("A") + text_width("V"))


def test_control_characters_are_zero_wide():
    assert text_width("\x00\x01\x1f\x7f") == 0
    assert text_width("a\tb") == text_width("ab")


def test_unknown_code_points_measure_as_m():
    assert text_width("😀") == text_width("m")
    assert text_width("\U0010fffd") == text_width("m")


def test_astral_code_points_in_the_table_use_their_width():
    # the table's rows beyond the BMP: U+10100 is 7.52, U+10101 6.61, U+E007E 9
    assert text_width("\U00010100") == pytest.approx(7.52)
    assert text_width("\U00010101") == pytest.approx(6.61)
    assert text_width("\U000e007e") == pytest.approx(9)


def test_empty_string():
    assert text_width("") == 0
    assert preferred_width("") == 1


def test_round_up_to_odd():
    assert [round_up_to_odd(n) for n in (0, 1, 2, 27, 40)] == [1, 1, 3, 27, 41]


@pytest.mark.parametrize("font", sorted(FONT_FILES))
def test_every_font_table_loads(font):
    assert 5 < text_width("badge", font) < 60


def test_for_the_badge_and_social_fonts_differ():
    assert text_width("BUILD", "bold 10px Verdana") > text_width("BUILD", "10px Verdana")
    assert text_width("Build", "bold 11px Helvetica") != text_width("Build")


def test_unknown_font_is_an_error():
    with pytest.raises(ValueError, match="unknown font"):
        text_width("x", "12px Comic Sans")
