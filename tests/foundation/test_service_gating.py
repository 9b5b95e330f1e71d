"""A test whose service is missing skips with a reason locally and fails when ``CI`` is set
(issue 2: CI can never pass by skipping what it must prove)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_gated_test(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    test = tmp_path / "test_gated.py"
    test.write_text(
        textwrap.dedent(
            f"""
            import importlib.util

            spec = importlib.util.spec_from_file_location(
                "root_conftest", {str(ROOT / "tests" / "conftest.py")!r}
            )
            root_conftest = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(root_conftest)


            def test_needs_a_missing_service():
                root_conftest.require_service(False, "Widget server not reachable on 1")
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(test)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_service_skips_with_its_reason_locally(tmp_path):
    result = run_gated_test(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "Widget server not reachable on 1" in result.stdout


def test_missing_service_fails_when_ci_is_set(tmp_path):
    result = run_gated_test(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "CI is set" in result.stdout
