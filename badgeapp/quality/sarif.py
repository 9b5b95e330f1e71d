"""SARIF 2.1.0 security reports (CodeQL, Semgrep, Trivy, Bandit...): open findings by severity.

Severity of a result, first match wins:

1. a CVSS-like ``security-severity`` property on the result or its rule (GitHub's convention):
   >= 9.0 critical, >= 7.0 high, >= 4.0 medium, > 0 low, 0 ignored;
2. the SARIF ``level`` of the result, else of its rule's ``defaultConfiguration``, else
   ``warning``: ``error`` high, ``warning`` medium, ``note`` low, ``none`` ignored.

Results that are not failures (``kind`` other than ``fail``), suppressed (a suppression that is
not ``rejected``) or fixed (``baselineState: absent``) are not counted.
"""

from __future__ import annotations

from typing import Any

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.json_input import load_object
from badgeapp.quality.report import SEVERITIES, Metrics
from badgeapp.quality.sniff import json_document

TITLE = "SARIF"
_LEVELS = {"error": "high", "warning": "medium", "note": "low", "none": None}


class SarifParser:
    """Reads ``{"version": "2.1.0", "runs": [{"tool": ..., "results": [...]}]}``."""

    name = "sarif"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """A JSON object with a ``runs`` list and a SARIF ``$schema`` or a ``version`` of 2.x."""
        document = json_document(body)
        if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
            return False
        schema = str(document.get("$schema", "")).lower()
        return "sarif" in schema or str(document.get("version", "")).startswith("2.")

    def parse(self, body: bytes) -> Metrics:
        """``{"vulnerabilities": {"critical", "high", "medium", "low"}}`` summed over every run."""
        document = load_object(body, TITLE)
        runs = document.get("runs")
        if not isinstance(runs, list):
            raise MalformedReport(f"{TITLE}: runs must be a list")
        counts = dict.fromkeys(SEVERITIES, 0)
        for index, run in enumerate(runs):
            if not isinstance(run, dict):
                raise MalformedReport(f"{TITLE}: runs[{index}] must be an object")
            rules = _rules(run)
            results = run.get("results")
            results = [] if results is None else results
            if not isinstance(results, list):
                raise MalformedReport(f"{TITLE}: runs[{index}].results must be a list")
            for result in results:
                if not isinstance(result, dict):
                    raise MalformedReport(f"{TITLE}: runs[{index}].results has a non-object entry")
                if not _is_open_failure(result):
                    continue
                severity = _severity(result, _rule_of(result, rules))
                if severity is not None:
                    counts[severity] += 1
        return {"vulnerabilities": counts}


def _rules(run: dict[str, Any]) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """The driver's rules by position, and every rule (driver and extensions) by id."""
    tool = run.get("tool") if isinstance(run.get("tool"), dict) else {}
    components = [tool.get("driver"), *(tool.get("extensions") or [])]
    by_id: dict[str, dict[str, Any]] = {}
    for component in components:
        if not isinstance(component, dict):
            continue
        for rule in component.get("rules") or []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                by_id.setdefault(rule["id"], rule)
    driver = tool.get("driver") if isinstance(tool.get("driver"), dict) else {}
    positional = driver.get("rules") if isinstance(driver.get("rules"), list) else []
    return positional, by_id


def _rule_of(result: dict[str, Any], rules: tuple[list[Any], dict[str, dict[str, Any]]]) -> dict:
    """The rule a result refers to by ``ruleIndex``, ``ruleId`` or ``rule.id`` (``{}`` when
    unknown).
    """
    positional, by_id = rules
    index = result.get("ruleIndex")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(positional):
        rule = positional[index]
        if isinstance(rule, dict):
            return rule
    ref = result.get("rule") if isinstance(result.get("rule"), dict) else {}
    rule_id = result.get("ruleId") or ref.get("id")
    if isinstance(rule_id, str):
        return by_id.get(rule_id) or by_id.get(rule_id.split("/", 1)[0]) or {}
    return {}


def _is_open_failure(result: dict[str, Any]) -> bool:
    """Counted results: kind ``fail``, not suppressed, not fixed."""
    if result.get("kind", "fail") != "fail":
        return False
    if result.get("baselineState") == "absent":
        return False
    suppressions = result.get("suppressions") or []
    return not any(
        isinstance(s, dict) and s.get("status", "accepted") != "rejected" for s in suppressions
    )


def _severity(result: dict[str, Any], rule: dict[str, Any]) -> str | None:
    """``critical``/``high``/``medium``/``low``, or None for results that do not count."""
    for holder in (result, rule):
        props = holder.get("properties")
        if isinstance(props, dict) and props.get("security-severity") not in (None, ""):
            try:
                score = float(props["security-severity"])
            except (TypeError, ValueError):
                raise MalformedReport(
                    f"{TITLE}: security-severity {props['security-severity']!r} is not a number"
                ) from None
            if score >= 9.0:
                return "critical"
            if score >= 7.0:
                return "high"
            if score >= 4.0:
                return "medium"
            return "low" if score > 0 else None
    level = result.get("level")
    if level is None:
        config = rule.get("defaultConfiguration")
        level = config.get("level") if isinstance(config, dict) else None
    level = level or "warning"
    if level not in _LEVELS:
        raise MalformedReport(f"{TITLE}: unknown result level {level!r}")
    return _LEVELS[level]
