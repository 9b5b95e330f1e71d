"""Fixtures for the quality tests: real reports made by the tools themselves, API keys, uploads.

``real_reports`` runs coverage.py (Cobertura XML, JSON, LCOV) over a small program and pytest
(``--junitxml``) over a small test file with passes, failures, errors and skips, once per
session, in a temporary folder. SARIF has no generator here, so ``sarif_report`` writes one in
the shape CodeQL uploads.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

IN_CI = bool(os.environ.get("CI"))

PROGRAM = """
def grade(score):
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    return "F"


def unused(x):
    y = x * 2
    return y


print(grade(95), grade(85))
"""

TESTS = """
import pytest


def test_one():
    assert 1 + 1 == 2


def test_two():
    assert "a".upper() == "A"


@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    assert n > 0


def test_fails():
    assert 1 == 2


@pytest.fixture
def broken():
    raise RuntimeError("fixture error")


def test_errors(broken):
    pass


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False
"""

#: what the JUnit file above must count: 4 pass, 1 failure + 1 error, 1 skip + 1 xfail
JUNIT_EXPECTED = {"passed": 4, "failed": 2, "skipped": 2}


@dataclasses.dataclass(frozen=True)
class RealReports:
    """Paths of the generated reports and the truth to compare them with."""

    cobertura: Path
    coverage_json: Path
    lcov: Path
    junit: Path
    #: coverage.py's own total (percent, two decimals) for the program
    coverage_percent: float
    statements: int
    covered: int
    #: what pytest's own run of the sample tests counted
    junit_expected: dict


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_", "PYTEST_"))}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory: pytest.TempPathFactory) -> RealReports:
    """Reports written by coverage.py and pytest themselves (skips locally, fails in CI, without
    coverage.py installed)."""
    try:
        import coverage  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("coverage.py is needed to generate real reports (CI is set)")
        pytest.skip("coverage.py is not installed")
    folder = tmp_path_factory.mktemp("reports")
    (folder / "program.py").write_text(textwrap.dedent(PROGRAM))
    (folder / "test_sample.py").write_text(textwrap.dedent(TESTS))
    (folder / "pytest.ini").write_text("[pytest]\n")
    cov = [sys.executable, "-m", "coverage"]
    data = f"--data-file={folder / '.coverage'}"
    steps = [
        [*cov, "run", data, "program.py"],
        [*cov, "xml", data, "-o", "coverage.xml"],
        [*cov, "json", data, "-o", "coverage.json"],
        [*cov, "lcov", data, "-o", "coverage.lcov"],
    ]
    for step in steps:
        done = _run(step, folder)
        assert done.returncode == 0, done.stderr
    done = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--junitxml=junit.xml",
            "test_sample.py",
        ],
        folder,
    )
    assert done.returncode == 1, done.stdout  # the sample has failing tests on purpose
    totals = json.loads((folder / "coverage.json").read_text())["totals"]
    return RealReports(
        cobertura=folder / "coverage.xml",
        coverage_json=folder / "coverage.json",
        lcov=folder / "coverage.lcov",
        junit=folder / "junit.xml",
        coverage_percent=round(totals["percent_covered"], 2),
        statements=totals["num_statements"],
        covered=totals["covered_lines"],
        junit_expected=JUNIT_EXPECTED,
    )


def make_sarif(results: list[dict], rules: list[dict] | None = None) -> bytes:
    """A SARIF 2.1.0 log with one CodeQL-like run."""
    return json.dumps(
        {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "CodeQL",
                            "semanticVersion": "2.19.0",
                            "rules": rules or [],
                        }
                    },
                    "results": results,
                }
            ],
        },
        indent=2,
    ).encode()


@pytest.fixture(name="make_sarif")
def make_sarif_fixture() -> Callable[..., bytes]:
    """``make_sarif(results, rules=None)`` -> SARIF bytes."""
    return make_sarif


@pytest.fixture
def sarif_report() -> bytes:
    """2 critical, 1 high, 1 medium, 1 low open findings, plus a suppressed and a fixed one."""
    rules = [
        {"id": "py/sql-injection", "properties": {"security-severity": "9.8"}},
        {"id": "py/path-injection", "properties": {"security-severity": "7.5"}},
        {"id": "py/weak-crypto", "defaultConfiguration": {"level": "warning"}},
        {"id": "py/unused-import", "defaultConfiguration": {"level": "note"}},
    ]

    def result(rule: str, index: int, **extra: object) -> dict:
        return {
            "ruleId": rule,
            "ruleIndex": index,
            "message": {"text": f"finding of {rule}"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {}}}
            ],
            **extra,
        }

    return make_sarif(
        [
            result("py/sql-injection", 0, level="error"),
            result("py/sql-injection", 0, level="error"),
            result("py/path-injection", 1, level="error"),
            result("py/weak-crypto", 2),
            result("py/unused-import", 3),
            result("py/sql-injection", 0, suppressions=[{"kind": "inSource"}]),
            result("py/path-injection", 1, baselineState="absent"),
        ],
        rules,
    )


@pytest.fixture
def api_key(app) -> Callable[..., str]:
    """``api_key("upload:acme/widgets")`` -> a new Bearer key with those scopes."""
    from badgeapp.storage import apikeys, db

    def make(*scopes: str) -> str:
        with db.session_scope(app) as session:
            return apikeys.create_key(session, "test", scopes)[1]

    return make


@pytest.fixture
def upload_key(api_key) -> str:
    """A key allowed to upload for acme/widgets only."""
    return api_key("upload:acme/widgets")


@pytest.fixture
def upload(client, upload_key) -> Callable[..., object]:
    """``upload(body, project="acme/widgets", **query)`` -> the test client's response."""

    def post(
        body: bytes | str | dict,
        project: str = "acme/widgets",
        content_type: str | None = None,
        **query: str,
    ):
        if isinstance(body, dict):
            body, content_type = json.dumps(body), content_type or "application/json"
        return client.post(
            f"/api/v1/reports/{project}",
            data=body,
            query_string=query,
            content_type=content_type or "application/octet-stream",
            headers={"Authorization": f"Bearer {upload_key}"},
        )

    return post
