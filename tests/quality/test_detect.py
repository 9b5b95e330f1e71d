"""Format detection and the errors for bodies no parser takes; XML attacks are refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgeapp.builtin.report_parsers import BUILTIN_PARSERS, badgeapp_report_parsers
from badgeapp.errors import InvalidParameter
from badgeapp.quality.detect import choose_parser
from badgeapp.quality.errors import MalformedReport, ReportTooLarge, UnsupportedReport
from badgeapp.quality.upload import parse_upload


def detected(body: bytes, content_type: str | None = None) -> str:
    return choose_parser(body, content_type, BUILTIN_PARSERS).name


def test_hook_returns_every_builtin_format():
    names = [parser.name for parser in badgeapp_report_parsers()]
    assert names == ["sarif", "coveragepy", "summary", "cobertura", "junit", "lcov"]


def test_each_real_report_is_detected(real_reports, sarif_report):
    assert detected(real_reports.cobertura.read_bytes()) == "cobertura"
    assert detected(real_reports.coverage_json.read_bytes()) == "coveragepy"
    assert detected(real_reports.lcov.read_bytes()) == "lcov"
    assert detected(real_reports.junit.read_bytes()) == "junit"
    assert detected(sarif_report) == "sarif"
    assert detected(b'{"coverage": 90}') == "summary"


def test_detection_ignores_bom_whitespace_and_comments():
    body = b'\xef\xbb\xbf\n  <?xml version="1.0"?>\n<!-- generated -->\n<testsuite tests="1"/>'
    assert detected(body) == "junit"


def test_forced_format_wins_and_unknown_names_are_listed():
    body = b'{"coverage": 90}'
    assert choose_parser(body, None, BUILTIN_PARSERS, forced="summary").name == "summary"
    with pytest.raises(InvalidParameter, match="known formats: sarif, coveragepy"):
        choose_parser(body, None, BUILTIN_PARSERS, forced="clover")


@pytest.mark.parametrize(
    ("body", "content_type", "error", "words"),
    [
        (b"", None, MalformedReport, "empty body"),
        (b"  \n", None, MalformedReport, "empty body"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", UnsupportedReport, "unsupported report"),
        (b"<html><body>hi</body></html>", None, UnsupportedReport, "root <html>"),
        (b'{"stars": 3}', None, UnsupportedReport, "no known fields"),
        (b'{"coverage": 9', None, MalformedReport, "not valid UTF-8 JSON"),
        (b"[1, 2]", "application/json", MalformedReport, "must be an object"),
    ],
)
def test_bodies_no_parser_takes_get_an_error_naming_the_problem(body, content_type, error, words):
    with pytest.raises(error, match=words) as caught:
        choose_parser(body, content_type, BUILTIN_PARSERS)
    assert caught.value.status == (415 if error is UnsupportedReport else 400)


def test_unsupported_message_lists_the_known_formats():
    with pytest.raises(UnsupportedReport) as caught:
        choose_parser(b"hello", "text/plain", BUILTIN_PARSERS)
    for title in ("Cobertura XML", "LCOV", "coverage.py JSON", "JUnit XML", "SARIF", "summary"):
        assert title in caught.value.detail


def test_parse_upload_splits_metrics_by_kind_and_caps_size():
    body = json.dumps({"coverage": 80, "grade": "B", "tests": {"passed": 3}}).encode()
    parser, by_kind = parse_upload(body, None, BUILTIN_PARSERS)
    assert parser.name == "summary"
    assert by_kind == {
        "coverage": {"coverage": 80.0},
        "security": {"grade": "B"},
        "tests": {"tests": {"passed": 3, "failed": 0, "skipped": 0}},
    }
    with pytest.raises(ReportTooLarge) as caught:
        parse_upload(body, None, BUILTIN_PARSERS, max_bytes=len(body) - 1)
    assert caught.value.status == 413


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuite tests="1" name="&lol3;"/>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<coverage line-rate="0.5"><sources><source>&secret;</source></sources></coverage>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_entities_are_refused(body):
    with pytest.raises(MalformedReport, match="entity declarations"):
        parse_upload(body, "application/xml", BUILTIN_PARSERS)


# -- properties: any bytes give metrics or a 4xx error, never a crash


@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash_detection_or_parsing(body):
    try:
        _parser, by_kind = parse_upload(body, None, BUILTIN_PARSERS)
    except (MalformedReport, UnsupportedReport) as error:
        assert 400 <= error.status < 500
    else:
        assert by_kind


_TEXTS = st.text(alphabet=st.sampled_from("SFLHDA:0123456789,.\n_endofrcTN -x"), max_size=300)


@given(_TEXTS)
def test_lcov_like_text_gives_a_percentage_or_a_400(text):
    try:
        _parser, by_kind = parse_upload(text.encode(), "text/plain", BUILTIN_PARSERS)
    except (MalformedReport, UnsupportedReport) as error:
        assert error.status in (400, 415)
    else:
        for metrics in by_kind.values():
            assert 0 <= metrics["coverage"] <= 100


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_cobertura_percent_is_exact_for_any_line_counts(a, b):
    covered, valid = min(a, b), max(a, b)
    body = f'<coverage lines-covered="{covered}" lines-valid="{valid}" line-rate="0"/>'.encode()
    _parser, by_kind = parse_upload(body, None, BUILTIN_PARSERS)
    expected = 100.0 if valid == 0 else round(100 * covered / valid, 2)
    assert by_kind == {"coverage": {"coverage": expected}}


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_any_json_document_gives_metrics_or_a_4xx(document):
    body = json.dumps({"runs": [document], "version": "2.1.0"}).encode()
    for candidate in (body, json.dumps({"coverage": document}).encode()):
        try:
            parse_upload(candidate, "application/json", BUILTIN_PARSERS)
        except (MalformedReport, UnsupportedReport) as error:
            assert 400 <= error.status < 500
