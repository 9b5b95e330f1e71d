"""Each report parser against real reports from the tools, and against broken ones."""

from __future__ import annotations

import json

import pytest

from badgeapp.quality.cobertura import CoberturaParser
from badgeapp.quality.coveragepy_json import CoveragePyJsonParser
from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.junit import JUnitParser
from badgeapp.quality.lcov import LcovParser
from badgeapp.quality.sarif import SarifParser
from badgeapp.quality.summary_json import SummaryJsonParser

# -- real reports: the parsers agree with coverage.py's and pytest's own numbers


def test_coverage_sample_is_partial(real_reports):
    # the sample must exercise the arithmetic: neither 0 % nor 100 %
    assert 0 < real_reports.covered < real_reports.statements


def test_cobertura_from_coverage_py_matches_its_total(real_reports):
    body = real_reports.cobertura.read_bytes()
    assert CoberturaParser().detect(body, "application/xml")
    assert CoberturaParser().parse(body) == {"coverage": real_reports.coverage_percent}


def test_coverage_json_from_coverage_py_matches_its_total(real_reports):
    body = real_reports.coverage_json.read_bytes()
    assert CoveragePyJsonParser().detect(body, "application/json")
    assert CoveragePyJsonParser().parse(body) == {"coverage": real_reports.coverage_percent}


def test_lcov_from_coverage_py_matches_its_total(real_reports):
    body = real_reports.lcov.read_bytes()
    assert LcovParser().detect(body, "text/plain")
    expected = round(100 * real_reports.covered / real_reports.statements, 2)
    assert LcovParser().parse(body) == {"coverage": expected}


def test_junit_from_pytest_counts_failures_errors_and_skips(real_reports):
    body = real_reports.junit.read_bytes()
    assert JUnitParser().detect(body, "application/xml")
    assert JUnitParser().parse(body) == {"tests": real_reports.junit_expected}


def test_sarif_counts_open_findings_by_severity(sarif_report):
    assert SarifParser().detect(sarif_report, "application/sarif+json")
    assert SarifParser().parse(sarif_report) == {
        "vulnerabilities": {"critical": 2, "high": 1, "medium": 1, "low": 1}
    }


# -- Cobertura


def test_cobertura_java_style_with_doctype_and_rate_only():
    body = b"""<?xml version="1.0"?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage line-rate="0.734" branch-rate="0.5" version="2.1.1" timestamp="1">
  <sources><source>src</source></sources><packages/>
</coverage>"""
    assert CoberturaParser().detect(body, None)
    assert CoberturaParser().parse(body) == {"coverage": 73.4}


@pytest.mark.parametrize(
    ("attrs", "problem"),
    [
        ('line-rate="abc"', "not a number"),
        ('line-rate="1.5"', "between 0 and 1"),
        ('lines-covered="9" lines-valid="3"', "larger than lines-valid"),
        ('line-rate="-0.1"', ">= 0"),
        ('branch-rate="0.5"', "neither line-rate nor lines-valid"),
    ],
)
def test_cobertura_refuses_inconsistent_numbers(attrs, problem):
    with pytest.raises(MalformedReport, match=problem):
        CoberturaParser().parse(f"<coverage {attrs}/>".encode())


def test_clover_is_not_mistaken_for_cobertura():
    clover = b'<?xml version="1.0"?><coverage generated="1" clover="4.4"><project/></coverage>'
    assert not CoberturaParser().detect(clover, "application/xml")


# -- LCOV


def test_lcov_sums_records_and_falls_back_to_da_lines():
    body = b"""TN:
SF:a.js
DA:1,1
DA:2,0
LF:2
LH:1
end_of_record
SF:b.js
DA:1,3
DA:2,0.5
DA:3,0
end_of_record
"""
    # a: 1/2 from LF/LH; b: no LF/LH, so DA lines: 2 of 3 hit -> 3/5
    assert LcovParser().parse(body) == {"coverage": 60.0}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"SF:a\nLF:2\nLH:1\n", "no end_of_record"),
        (b"SF:a\nLF:x\nend_of_record\n", "no valid count"),
        (b"SF:a\nLF:1\nLH:3\nend_of_record\n", "larger than LF"),
        (b"SF:a\nSF:b\nend_of_record\n", "SF: before end_of_record"),
        (b"TN:\n", "no SF:"),
        (b"SF:a\n\xff\xfe\nend_of_record\n", "not UTF-8"),
    ],
)
def test_lcov_refuses_broken_tracefiles(body, problem):
    with pytest.raises(MalformedReport, match=problem):
        LcovParser().parse(body)


# -- coverage.py JSON


def test_coverage_json_without_percent_uses_line_counts():
    body = json.dumps({"meta": {}, "totals": {"covered_lines": 3, "num_statements": 4}}).encode()
    assert CoveragePyJsonParser().parse(body) == {"coverage": 75.0}


@pytest.mark.parametrize(
    ("totals", "problem"),
    [
        ({"percent_covered": "85"}, "must be a number"),
        ({"percent_covered": 120}, "above 100"),
        ({"percent_covered": True}, "must be a number"),
        ({}, "neither percent_covered"),
    ],
)
def test_coverage_json_refuses_bad_totals(totals, problem):
    body = json.dumps({"meta": {}, "totals": totals}).encode()
    with pytest.raises(MalformedReport, match=problem):
        CoveragePyJsonParser().parse(body)


# -- JUnit


def test_junit_without_testcases_uses_suite_attributes():
    body = b"""<testsuites>
  <testsuite name="a" tests="10" failures="1" errors="1" skipped="2"/>
  <testsuite name="b" tests="5" failures="0" errors="0" disabled="1"/>
</testsuites>"""
    assert JUnitParser().parse(body) == {"tests": {"passed": 10, "failed": 2, "skipped": 3}}


def test_junit_single_suite_root_with_namespaced_cases():
    body = b"""<testsuite xmlns="urn:x" tests="3">
  <testcase name="a"/><testcase name="b"><failure message="boom"/></testcase>
  <testcase name="c"><skipped/></testcase>
</testsuite>"""
    assert JUnitParser().parse(body) == {"tests": {"passed": 1, "failed": 1, "skipped": 1}}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<testsuites><testsuite name='x'/></testsuites>", "no tests="),
        (b"<testsuite tests='2' failures='3'/>", "exceed tests"),
        (b"<testsuite tests='two'/>", "not a number"),
        (b"<testsuites><testsuite>", "not well-formed"),
    ],
)
def test_junit_refuses_inconsistent_reports(body, problem):
    with pytest.raises(MalformedReport, match=problem):
        JUnitParser().parse(body)


# -- SARIF


def test_sarif_levels_and_rule_defaults_when_no_security_severity(make_sarif):
    rules = [{"id": "r0", "defaultConfiguration": {"level": "error"}}]
    body = make_sarif(
        [
            {"ruleId": "r0", "message": {"text": "x"}},  # rule default: error -> high
            {"ruleId": "unknown", "message": {"text": "x"}},  # no level anywhere: warning
            {"ruleId": "r0", "level": "note", "message": {"text": "x"}},  # result wins: low
            {"ruleId": "r0", "level": "none", "message": {"text": "x"}},  # not counted
            {"ruleId": "r0", "kind": "pass", "message": {"text": "x"}},  # not a failure
            {"ruleId": "r0", "properties": {"security-severity": "0.0"}},  # score 0: ignored
        ],
        rules,
    )
    assert SarifParser().parse(body) == {
        "vulnerabilities": {"critical": 0, "high": 1, "medium": 1, "low": 1}
    }


def test_sarif_rejected_suppression_still_counts(make_sarif):
    body = make_sarif([{"ruleId": "x", "level": "error", "suppressions": [{"status": "rejected"}]}])
    assert SarifParser().parse(body)["vulnerabilities"]["high"] == 1


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"version": "2.1.0", "runs": [1]}, r"runs\[0\] must be an object"),
        ({"version": "2.1.0", "runs": [{"results": {}}]}, "results must be a list"),
        ({"version": "2.1.0", "runs": [{"results": [{"level": "fatal"}]}]}, "unknown result level"),
        (
            {
                "version": "2.1.0",
                "runs": [{"results": [{"properties": {"security-severity": "hi"}}]}],
            },
            "not a number",
        ),
    ],
)
def test_sarif_refuses_malformed_logs(document, problem):
    with pytest.raises(MalformedReport, match=problem):
        SarifParser().parse(json.dumps(document).encode())


# -- summary JSON


def test_summary_document_with_every_field():
    body = json.dumps(
        {
            "coverage": 87.456,
            "quality": 91,
            "grade": "a+",
            "vulnerabilities": {"critical": 0, "high": 2},
            "tests": {"passed": 1234, "failed": 1},
        }
    ).encode()
    assert SummaryJsonParser().parse(body) == {
        "coverage": 87.46,
        "quality": 91.0,
        "grade": "A+",
        "vulnerabilities": {"critical": 0, "high": 2, "medium": 0, "low": 0},
        "tests": {"passed": 1234, "failed": 1, "skipped": 0},
    }


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"coverage": 85, "colour": "red"}, r"unknown field\(s\) colour"),
        ({"coverage": -1}, ">= 0"),
        ({"quality": 101}, "above 100"),
        ({"grade": "E"}, "grade must be one of"),
        ({"vulnerabilities": {"severe": 1}}, "unknown key"),
        ({"vulnerabilities": [1]}, "must be an object"),
        ({"tests": {"passed": 1.5}}, "whole number"),
        ({"tests": {"passed": "12"}}, "must be a number"),
        ({"coverage": None}, "no metrics"),
    ],
)
def test_summary_document_is_validated_strictly(document, problem):
    with pytest.raises(MalformedReport, match=problem):
        SummaryJsonParser().parse(json.dumps(document).encode())
