"""The built-in quality-report parsers, registered through the ``badgeapp_report_parsers`` hook.

Order matters: detection asks each parser in turn and takes the first match, so the specific JSON
formats (SARIF, coverage.py) come before the catch-all summary document. Plugins registered later
are asked first.
"""

from __future__ import annotations

from badgeapp.hookspecs import hookimpl
from badgeapp.quality.cobertura import CoberturaParser
from badgeapp.quality.coveragepy_json import CoveragePyJsonParser
from badgeapp.quality.junit import JUnitParser
from badgeapp.quality.lcov import LcovParser
from badgeapp.quality.report import ReportParser
from badgeapp.quality.sarif import SarifParser
from badgeapp.quality.summary_json import SummaryJsonParser

BUILTIN_PARSERS: tuple[ReportParser, ...] = (
    SarifParser(),
    CoveragePyJsonParser(),
    SummaryJsonParser(),
    CoberturaParser(),
    JUnitParser(),
    LcovParser(),
)


@hookimpl
def badgeapp_report_parsers() -> list[ReportParser]:
    """Cobertura XML, LCOV, coverage.py JSON, JUnit XML, SARIF and the summary JSON document."""
    return list(BUILTIN_PARSERS)
