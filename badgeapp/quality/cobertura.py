"""Cobertura XML coverage reports (``coverage xml``, Java Cobertura, gcovr, JaCoCo converters)."""

from __future__ import annotations

from badgeapp.quality.errors import MalformedReport
from badgeapp.quality.report import Metrics, percent
from badgeapp.quality.sniff import xml_root_tag
from badgeapp.quality.xml_input import local_name, number_attr, parse_xml

TITLE = "Cobertura XML"


class CoberturaParser:
    """Line coverage from the root ``<coverage>`` element: lines-covered/lines-valid, else line-
    rate.
    """

    name = "cobertura"
    title = TITLE

    def detect(self, body: bytes, content_type: str | None) -> bool:
        """A ``<coverage>`` root that is not Clover's (Clover has ``clover=`` and ``<project>``)."""
        if xml_root_tag(body) != "coverage":
            return False
        head = body[:65536]
        return not (b"clover=" in head or b"<project" in head)

    def parse(self, body: bytes) -> Metrics:
        """``{"coverage": percent}`` with two decimals."""
        root = parse_xml(body, TITLE)
        if local_name(root) != "coverage":
            raise MalformedReport(f"{TITLE}: the root element must be <coverage>, not <{root.tag}>")
        covered = number_attr(root, "lines-covered", TITLE)
        valid = number_attr(root, "lines-valid", TITLE)
        if covered is not None and valid is not None:
            if covered > valid:
                raise MalformedReport(
                    f"{TITLE}: lines-covered ({covered:g}) is larger than lines-valid ({valid:g})"
                )
            return {"coverage": percent(covered, valid)}
        rate = number_attr(root, "line-rate", TITLE)
        if rate is None:
            raise MalformedReport(f"{TITLE}: <coverage> has neither line-rate nor lines-valid")
        if rate > 1:
            raise MalformedReport(f"{TITLE}: line-rate={rate:g} is not a fraction between 0 and 1")
        return {"coverage": round(rate * 100.0, 2)}
