"""Shields URLs copied from real README files, host swapped: each must draw the same badge.

The URLs come from public READMEs (found in the code index) and from widely copied badges
(black, the MIT/Apache/BSD licence badges, Hugging Face, arXiv). Synthetic entries are marked.
For each URL the SVG must parse and say the expected text, and the endpoint JSON of the same
badge (``.json`` suffix or ``format=json``) must carry the expected label, message and colour.
"""

from __future__ import annotations

import defusedxml.ElementTree as SafeET
import pytest
from flask import Flask

# (path + query as found after https://img.shields.io, label, message, colour)
CORPUS: list[tuple[str, str, str, str | None]] = [
    ("/badge/licen%C3%A7a-Non--Commercial-blue", "licença", "Non-Commercial", "blue"),
    ("/badge/status-ativo-success", "status", "ativo", "success"),
    ("/badge/status-live-brightgreen", "status", "live", "brightgreen"),
    ("/badge/license-MIT-blue", "license", "MIT", "blue"),
    (
        "/badge/React-20232A?style=for-the-badge&logo=react&logoColor=61DAFB",
        "",
        "React",
        "20232A",
    ),
    ("/badge/Vite-B73BFE?style=for-the-badge&logo=vite&logoColor=FFD62E", "", "Vite", "B73BFE"),
    ("/badge/JDK-11.0.8-blue", "JDK", "11.0.8", "blue"),
    ("/badge/Spring%20Boot-2.3.4-blue", "Spring Boot", "2.3.4", "blue"),
    ("/badge/JPA----blue", "JPA", "-", "blue"),
    ("/badge/license-BROADCOM-brightgreen", "license", "BROADCOM", "brightgreen"),
    ("/badge/license-MIT-blue.svg", "license", "MIT", "blue"),
    ("/badge/React-19.1.0-blue", "React", "19.1.0", "blue"),
    ("/badge/Firebase-11.7.1-orange", "Firebase", "11.7.1", "orange"),
    (
        "/badge/all_contributors-1-orange.svg?style=flat-square",
        "all contributors",
        "1",
        "orange",
    ),
    ("/badge/python-3.11--3.13-blue.svg", "python", "3.11-3.13", "blue"),
    ("/badge/License-MIT-yellow.svg", "License", "MIT", "yellow"),
    ("/badge/Status-Live-success?style=for-the-badge", "Status", "Live", "success"),
    ("/badge/React-19-blue?style=for-the-badge&logo=react", "React", "19", "blue"),
    (
        "/badge/Flutter-%3E=3.27-02569B?logo=flutter&logoColor=white",
        "Flutter",
        ">=3.27",
        "02569B",
    ),
    ("/badge/Dart-%5E3.11-0175C2?logo=dart&logoColor=white", "Dart", "^3.11", "0175C2"),
    (
        "/badge/Discord-Open_WebUI-blue?logo=discord&logoColor=white",
        "Discord",
        "Open WebUI",
        "blue",
    ),
    (
        "/badge/project-experimental-kotlin.svg?colorA=555555&colorB=AC29EC&label=&logo=kotlin"
        "&logoColor=ffffff&logoWidth=10",
        "",
        "experimental",
        "AC29EC",
    ),
    (
        "/badge/Marketplace-Advanced%20Commit%20Linter-blue.svg?colorA=24292e&colorB=0366d6"
        "&style=flat&longCache=true&logo=data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAA4",
        "Marketplace",
        "Advanced Commit Linter",
        "0366d6",
    ),
    (
        "/badge/-debian%2Fbuster%2FDockerfile-blue.svg?colorA=22313f&colorB=4a637b"
        "&cacheSeconds=900&logo=docker",
        "",
        "debian/buster/Dockerfile",
        "4a637b",
    ),
    ("/badge/-Webpage-blue.svg?colorA=333&logo=html5", "", "Webpage", "blue"),
    ("/badge/-Paper-blue.svg?colorA=333&logo=arxiv", "", "Paper", "blue"),
    ("/badge/NIST%20ACVP-1215%2F1215-brightgreen.svg", "NIST ACVP", "1215/1215", "brightgreen"),
    ("/badge/code%20style-black-000000.svg", "code style", "black", "000000"),
    ("/badge/PRs-welcome-brightgreen.svg?style=flat-square", "PRs", "welcome", "brightgreen"),
    ("/badge/License-Apache_2.0-blue.svg", "License", "Apache 2.0", "blue"),
    ("/badge/License-BSD_3--Clause-blue.svg", "License", "BSD 3-Clause", "blue"),
    ("/badge/Made%20with-Python-1f425f.svg", "Made with", "Python", "1f425f"),
    ("/badge/Maintained%3F-yes-green.svg", "Maintained?", "yes", "green"),
    ("/badge/python-3.8%20%7C%203.9-blue", "python", "3.8 | 3.9", "blue"),
    (
        "/badge/%F0%9F%A4%97%20Hugging%20Face-Models-yellow",
        "\N{HUGGING FACE} Hugging Face",
        "Models",
        "yellow",
    ),
    ("/badge/arXiv-2303.13612-b31b1b.svg", "arXiv", "2303.13612", "b31b1b"),
    ("/badge/made%20with-%E2%9D%A4-red", "made with", "\N{HEAVY BLACK HEART}", "red"),
    ("/badge/c%2B%2B-17-blue.svg", "c++", "17", "blue"),
    ("/badge/docs-latest-brightgreen.svg?style=flat", "docs", "latest", "brightgreen"),
    ("/badge/dependabot-enabled-025e8c?logo=Dependabot", "dependabot", "enabled", "025e8c"),
    ("/badge/Chat-on%20Discord-7289da.svg", "Chat", "on Discord", "7289da"),
    ("/badge/build-passing-brightgreen.png", "build", "passing", "brightgreen"),
    # shields' older query form
    ("/static/v1?label=licence&message=MIT&color=Green", "licence", "MIT", "Green"),
    (
        "/static/v1?label=We're&message=Hiring&color=blue&style=flat-square",
        "We're",
        "Hiring",
        "blue",
    ),
    (
        "/static/v1?label=Sponsor&message=%E2%9D%A4&logo=GitHub&color=%23fe8e86",
        "Sponsor",
        "\N{HEAVY BLACK HEART}",
        "#fe8e86",
    ),
    ("/static/v1?label=&message=docs%20%26%20demos&color=1e8a7a", "", "docs & demos", "1e8a7a"),
    (
        "/static/v1?label=&message=View%20Demo&style=for-the-badge&color=black&logo=angular",
        "",
        "View Demo",
        "black",
    ),
    (
        "/static/v1?label=Dev%20Containers&message=Open&color=blue&logo=visualstudiocode",
        "Dev Containers",
        "Open",
        "blue",
    ),
    ("/static/v1?label=npm&message=v10.5.2&logo=npm&color=blue", "npm", "v10.5.2", "blue"),
    (
        "/static/v1?label=STATUS&message=EM%20DESENVOLVIMENTO&color=GREEN&style=for-the-badge",
        "STATUS",
        "EM DESENVOLVIMENTO",
        "GREEN",
    ),
    # synthetic: retired or unknown style names are drawn flat
    ("/badge/old-style-blue?style=plastic-old", "old", "style", "blue"),
    ("/badge/default-style-blue.svg?style=default", "default", "style", "blue"),
    # synthetic: a percent-encoded dash is text, not a separator (matching happens before decoding)
    ("/badge/a%2Db-c-green", "a-b", "c", "green"),
    # synthetic: the platform's custom badge with shields' parameters
    (
        "/v2/badge/custom?label=Build&value=Passing&color=green&style=cyberpunk",
        "Build",
        "Passing",
        "green",
    ),
]


@pytest.fixture(scope="module")
def corpus_app(make_module_app) -> Flask:
    return make_module_app()


def _as_json(url: str) -> str:
    path, _, query = url.partition("?")
    for suffix in (".svg", ".png"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    if path.startswith("/badge/"):
        path += ".json"
    else:
        query = (query + "&" if query else "") + "format=json"
    return path + ("?" + query if query else "")


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize(("url", "label", "message", "color"), CORPUS)
def test_shields_url_draws_the_same_badge(corpus_app, url, label, message, color):
    client = corpus_app.test_client()
    response = client.get(url)
    assert response.status_code == 200, url
    if url.split("?")[0].endswith(".png"):
        assert response.headers["Content-Type"] == "image/png"
        assert response.data.startswith(b"\x89PNG")
    else:
        assert response.headers["Content-Type"] == "image/svg+xml;charset=utf-8"
        root = SafeET.fromstring(response.data)
        expected = f"{label}: {message}" if label else message
        # for-the-badge upper-cases and social capitalises what they draw
        assert root.get("aria-label", "").casefold() == expected.casefold()
    document = client.get(_as_json(url))
    assert document.status_code == 200
    body = document.get_json()
    assert (body["label"], body["message"]) == (label, message)
    assert body.get("color") == color


def test_retired_style_is_drawn_flat(corpus_app):
    client = corpus_app.test_client()
    retired = client.get("/badge/old-style-blue?style=plastic-old").data
    flat = client.get("/badge/old-style-blue?style=flat").data
    assert retired == flat


def test_legacy_colour_names_are_used(corpus_app):
    from badgeapp.render.colors import to_svg_color

    client = corpus_app.test_client()
    svg = client.get("/badge/project-experimental-kotlin.svg?colorA=555555&colorB=AC29EC").data
    assert f'fill="{to_svg_color("AC29EC")}"'.encode() in svg
    assert b'fill="#555555"' in svg
