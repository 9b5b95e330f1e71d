"""JUnit XML test reports (pytest ``--junitxml``, Maven Surefire, Gradle, jest-junit, ...)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.report import Metrics
from badgeapp.quality.sniff import xml_root_tag
from badgeapp.quality.xml_input import local_name, number_attr, parse_xml

TITLE = "JUnit XML"
_ROOTS = ("testsuites", "testsuite")


class JUnitParser:
    """Counts ``<testcase>`` outcomes; a report without test cases falls back to the suites'
    attributes.
    """

    name = "junit"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """A ``<testsuites>`` or ``<testsuite>`` root."""
        return xml_root_tag(body) in _ROOTS

    def parse(self, body: bytes) -> Metrics:
        """``{"tests": {"passed", "failed", "skipped"}}``; errors count as failed."""
        root = parse_xml(body, TITLE)
        if local_name(root) not in _ROOTS:
            raise MalformedReport(f"{TITLE}: the root element must be <testsuites> or <testsuite>")
        cases = [el for el in root.iter() if local_name(el) == "testcase"]
        if cases:
            return {"tests": _count_cases(cases)}
        return {"tests": _count_suites(root)}


def _count_cases(cases: list[Element]) -> dict[str, int]:
    """Outcome of each test case from its children: failure/error, skipped, otherwise passed."""
    passed = failed = skipped = 0
    for case in cases:
        children = {local_name(child) for child in case}
        if children & {"failure", "error"}:
            failed += 1
        elif "skipped" in children or case.get("status") in ("skipped", "disabled"):
            skipped += 1
        else:
            passed += 1
    return {"passed": passed, "failed": failed, "skipped": skipped}


def _count_suites(root: Element) -> dict[str, int]:
    """Sum the counting attributes of the innermost suites (or the root's own when it has them)."""
    suites = [el for el in root.iter() if local_name(el) == "testsuite"]
    leaves = [s for s in suites if not any(local_name(c) == "testsuite" for c in s)] or [root]
    total = failed = skipped = 0
    for suite in leaves:
        tests = number_attr(suite, "tests", TITLE)
        if tests is None:
            raise MalformedReport(
                f"{TITLE}: a <{local_name(suite)}> has no test cases and no tests="
            )
        total += int(tests)
        failed += int(number_attr(suite, "failures", TITLE, default=0) or 0)
        failed += int(number_attr(suite, "errors", TITLE, default=0) or 0)
        skipped += int(number_attr(suite, "skipped", TITLE, default=0) or 0)
        skipped += int(number_attr(suite, "disabled", TITLE, default=0) or 0)
    if failed + skipped > total:
        raise MalformedReport(
            f"{TITLE}: failures+errors+skipped ({failed + skipped}) exceed tests ({total})"
        )
    return {"passed": total - failed - skipped, "failed": failed, "skipped": skipped}
