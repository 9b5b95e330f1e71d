"""The badgeapp_report_parsers hook: a drop-in plugin adds an upload format, asked before ours."""

from __future__ import annotations

import textwrap

import pytest

PLUGIN = '''
from badgeapp import hookimpl
from badgeapp.quality.errors import MalformedReport


class CloverParser:
    name, title = "clover", "Clover XML"

    def detect(self, body, content_type):
        return b"<coverage" in body[:200] and b"clover=" in body[:400]

    def parse(self, body):
        if b"elements=" not in body:
            raise MalformedReport("Clover XML: no metrics element")
        return {"coverage": 81.5}


class GreedyParser:
    """Claims every JSON summary: shows that plugins are asked before the built-ins."""

    name, title = "greedy", "Greedy"

    def detect(self, body, content_type):
        return body.startswith(b'{"greedy"')

    def parse(self, body):
        return {"quality": 99}


class Untitled:
    """Written to the hookspec's letter: name, detect, parse; no title."""

    name = "plain-percent"

    def detect(self, body, content_type):
        return body.startswith(b"coverage=")

    def parse(self, body):
        return {"coverage": float(body.split(b"=")[1])}


class Sloppy:
    """Returns metrics no badge could show: the upload is refused, nothing stored."""

    name, title = "sloppy", "Sloppy"

    def detect(self, body, content_type):
        return body.startswith(b"sloppy")

    def parse(self, body):
        return {"coverage": "lots", 7: 1}


@hookimpl
def badgeapp_report_parsers():
    return [CloverParser(), GreedyParser(), Untitled(), Sloppy()]
'''

CLOVER = b"""<?xml version="1.0"?>
<coverage generated="1" clover="4.4.1"><project timestamp="1">
<metrics elements="200" coveredelements="163"/></project></coverage>"""


@pytest.fixture
def app_config(app_config, tmp_path):
    plugins = tmp_path / "plugins"
    (plugins / "clover.py").write_text(textwrap.dedent(PLUGIN))
    return app_config


def test_plugin_format_is_detected_and_used(client, upload):
    response = upload(CLOVER, content_type="application/xml")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["format"] == "clover"
    shown = client.get("/api/v1/badge/coverage/acme/widgets?format=json").get_json()
    assert shown["message"] == "81.5%"


def test_plugin_errors_are_400_with_its_message(upload):
    response = upload(b'<coverage clover="1"></coverage>', content_type="application/xml")
    assert response.status_code == 400
    assert response.get_json()["detail"] == "Clover XML: no metrics element"


def test_plugins_are_asked_before_the_builtin_parsers(upload):
    response = upload(b'{"greedy": true, "coverage": 10}', content_type="application/json")
    assert response.status_code == 201
    assert response.get_json()["format"] == "greedy"
    assert upload({"coverage": 10}).get_json()["format"] == "summary"


def test_unknown_format_lists_plugin_formats_too(upload):
    response = upload(b"nothing known", content_type="text/plain")
    assert response.status_code == 415
    assert "Clover XML" in response.get_json()["detail"]
    assert "plain-percent" in response.get_json()["detail"]  # no title: its name


def test_parser_without_title(upload):
    response = upload(b"coverage=64.5", content_type="text/plain")
    assert response.status_code == 201
    assert response.get_json()["reports"][0]["metrics"] == {"coverage": 64.5}


def test_what_a_plugin_returns_is_validated(client, upload):
    response = upload(b"sloppy report", content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["detail"] == (
        "Sloppy: unknown field(s) 7; expected coverage, quality, grade, vulnerabilities, tests"
    )
    assert client.get("/api/v1/reports/acme/widgets").status_code == 404
