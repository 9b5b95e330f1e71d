"""Every GET route, walked with whatever a user can type: no 5xx, never a broken image.

The routes come from the running app's ``url_map`` (a new family is walked without touching
this file). For each rule, hypothesis builds a path from arbitrary text for every converter
(Unicode, emoji, ``%`` escapes, ``..``, very long runs, control characters, markup) sent
quoted, half-quoted or raw, plus a query string of the common badge parameters with hostile
values and an odd header now and then. Each answer must meet ``check_response``: status
below 500 (upstream trouble may answer 502/503/504 as JSON only), a body that parses as its
Content-Type (defusedxml for SVG, Pillow for PNG, json for JSON), the SVG safety headers, and
the format the URL asked for (suffix first, then ``?format=``).
"""

from __future__ import annotations

import collections
import os
import re
import urllib.parse

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from badgeapp import create_app

from .checks import UPSTREAM_STATUSES, check_json_error, check_response
from .conftest import Seed, contract_config
from .known_bugs import known_bug
from .strategies import ENCODINGS, QUERY, TEXT, encode, query_string

#: examples per route (CONTRACT_EXAMPLES=1000 for a long local hunt)
WALK_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "150"))
#: operational endpoints: not badges, and not fed user text
SKIPPED_ENDPOINTS = {
    "health.health",
    "health.plugins_list",
    "static",
    "quality.docs",  # an HTML page with no user input (tests/quality/test_openapi.py)
    # API documentation pages and their allow-listed script files
    # (tests/foundation/test_openapi_document.py)
    "docs.swagger",
    "docs.redoc_page",
    "docs.swagger_asset",
    "docs.redoc_asset",
    # dashboard HTML pages and assets (tests/dashboard/test_dashboard_walk.py walks them)
    "dashboard.index",
    "dashboard.overview",
    "dashboard.builder_page",
    "dashboard.plugins_page",
    "dashboard.login",
    "dashboard.themes_page",
    "dashboard.theme_new",
    "dashboard.theme_edit",
    "dashboard.theme_export",
    "dashboard.analytics_page",
    "dashboard.live_page",
    "dashboard.static",
}
#: endpoints whose format follows the URL suffix, then ``?format=`` (value: formats offered)
FORMAT_AWARE = {
    "custom.custom": ("svg", "png", "json"),
    "custom.static_v1": ("svg", "png", "json"),
    "custom.shields_static": ("svg", "png", "json"),
    "providers.provider_badge": ("svg", "png", "json"),
    "plugin_badges.plugin_badge": ("svg", "png", "json"),
    "compose.compose": ("svg", "png", "json"),
}
HEADERS = st.sampled_from(
    [
        {},
        {},
        {},
        {"Accept": "application/json"},
        {"Accept": "image/png,*/*;q=0.1"},
        {"Accept": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"},
        {"Accept": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"},
        {"Accept": "\x00;;q=x"},
        {"If-None-Match": '"garbage", W/"x", *'},
        {"If-Modified-Since": "not a date"},
        {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"},
        {"Authorization": "Bearer \u00e9\u00e9"},
        {"Authorization": "Basic %%%"},
    ]
)

_VARIABLE = re.compile(r"<(?:([a-zA-Z_]\w*)(?:\((.*?)\))?:)?([a-zA-Z_]\w*)>")


def _rules() -> tuple[list[tuple[str, str]], dict[str, tuple[int, tuple[str, ...]]]]:
    """(endpoint, rule) of every GET route of a freshly built app, and its providers
    (name -> subject segments, metrics)."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="contract-rules-"))
    app = create_app(contract_config(folder, None))
    rules = sorted(
        (rule.endpoint, rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint not in SKIPPED_ENDPOINTS
    )
    with app.app_context():
        from badgeapp.plugins import get_registry

        providers = {
            name: (int(getattr(p, "subject_parts", 0) or 0), tuple(getattr(p, "metrics", ()) or ()))
            for name, p in get_registry().providers().items()
        }
    try:
        from badgeapp.storage import db

        db.dispose(app)
    except ImportError:
        pass
    return rules, providers


RULES, PROVIDERS = _rules()
SUFFIX = st.sampled_from(["", "", ".svg", ".png", ".json", ".gif"])


def _any_options(args: str) -> list[str]:
    return [part.strip().strip("'\"") for part in args.split(",") if part.strip()]


def _segment(converter: str | None, args: str | None) -> st.SearchStrategy[str]:
    """Strategy for the URL text of one rule variable."""
    if converter == "any":
        return st.sampled_from(_any_options(args or ""))
    if converter == "nice_id":
        valid = st.from_regex(r"[A-Za-z0-9_]{1,40}", fullmatch=True)
        return st.one_of(valid, st.builds(encode, TEXT, st.sampled_from(ENCODINGS)))
    if converter in ("path", "badgepath"):
        pieces = st.lists(TEXT, min_size=1, max_size=5)
        return st.builds(
            lambda parts, how: encode("/".join(parts), how, slash=True),
            pieces,
            st.sampled_from(ENCODINGS),
        )
    return st.builds(encode, TEXT, st.sampled_from(ENCODINGS))


def _typed(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(encode, text, st.sampled_from(ENCODINGS))


def _provider_path(provider: str) -> st.SearchStrategy[str]:
    """``/v2/badge/<provider>/<subject...>/<metric>[.suffix]`` with user text in the subject."""
    parts, metrics = PROVIDERS[provider]
    metric = st.sampled_from(metrics) if metrics else TEXT
    subject = st.lists(_typed(TEXT.filter(bool)), min_size=parts, max_size=parts)
    return st.builds(
        lambda subj, m, suffix: "/".join(["/v2/badge", provider, *subj, m + suffix]),
        subject,
        metric,
        SUFFIX,
    )


def realistic_paths(endpoint: str, seed: Seed) -> st.SearchStrategy[str] | None:
    """Paths that reach the family's own code (known provider, plugin, project, button) with
    user text where the user types it, so the walk gets past the 404s too."""
    repos = sorted(name for name, (parts, _) in PROVIDERS.items() if parts > 0)
    plugins = sorted(name for name, (parts, _) in PROVIDERS.items() if parts == 0)
    typed = _typed(TEXT.filter(bool))
    if endpoint == "providers.provider_badge" and repos:
        return st.sampled_from(repos).flatmap(_provider_path)
    if endpoint == "plugin_badges.plugin_badge" and plugins:
        return st.builds(
            lambda plugin, metric, suffix: f"/v2/badge/plugin/{plugin}/{metric}{suffix}",
            st.sampled_from(plugins),
            typed,
            SUFFIX,
        )
    if endpoint == "quality.quality_badge":
        kinds = st.sampled_from(["coverage", "quality", "security", "tests"])
        return kinds.map(lambda kind: f"/api/v1/badge/{kind}/{seed.org}/{seed.repo}")
    if endpoint == "quality.report_history":
        return st.just(f"/api/v1/reports/{seed.org}/{seed.repo}")
    if endpoint == "nice.badge":
        return st.just(f"/badge/{seed.button}.svg")
    if endpoint == "nice.get_button":
        return st.just(f"/api/buttons/{seed.button}")
    if endpoint == "custom.shields_static":
        dashed = st.lists(typed, min_size=2, max_size=3).map("-".join)
        return st.builds(lambda text, suffix: f"/badge/{text}{suffix}", dashed, SUFFIX)
    return None


def rule_paths(
    rule: str, realistic: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    """Paths matching the shape of ``rule`` with every variable filled by user text (half the
    time a ``realistic`` path instead)."""
    pieces: list[st.SearchStrategy[str]] = []
    position = 0
    for match in _VARIABLE.finditer(rule):
        pieces.append(st.just(rule[position : match.start()]))
        pieces.append(_segment(match.group(1), match.group(2)))
        position = match.end()
    pieces.append(st.just(rule[position:]))
    anything = st.tuples(*pieces).map("".join)
    return st.one_of(realistic, anything) if realistic is not None else anything


#: endpoints an <img> points at: they answer images unless JSON is asked for
IMAGE_ENDPOINTS = {
    *FORMAT_AWARE,
    "nice.badge",
    "quality.quality_badge",
    "rank.rank_card",
    "trophies.trophies",
    "insights.heatmap",
    "insights.shields_style",
}
#: the rank spec answers an <img> with an error card carrying the error's own status (its
#: catalogue has 502 and 503 for GitHub trouble), where other families answer images 200
SPEC_IMAGE_STATUS_ENDPOINTS = {"rank.rank_card"}


def asks_for_json(endpoint: str, path: str, pairs: list[tuple[str, str]], headers: dict) -> bool:
    """The request asks for JSON: ``.json`` suffix, ``?format=json`` or an Accept header that
    prefers JSON (what a browser's <img> never sends). The quality spec's refusals are JSON
    for any client that does not name an image type (curl), so there only an <img>-like
    Accept header counts as asking for an image."""
    if suffix_kind(path) == "json" or urllib.parse.unquote(path).endswith(".json"):
        return True
    if endpoint == "quality.quality_badge" and "image/" not in headers.get("Accept", ""):
        return True
    wanted = next((value for name, value in pairs if name == "format"), "")
    if wanted.strip().lower().lstrip(".") == "json":
        return True
    return "json" in headers.get("Accept", "")


def suffix_kind(path: str) -> str | None:
    """``svg``/``png``/``json`` when the last path segment ends with that suffix."""
    stem, dot, ext = urllib.parse.unquote(path.rsplit("/", 1)[-1]).rpartition(".")
    return ext if dot and stem and ext in ("svg", "png", "json") else None


def expected_kind(endpoint: str, path: str, pairs: list[tuple[str, str]]) -> str | None:
    """The format the URL asks for (``svg``/``png``/``json``), or None when it is not ours
    to predict (other endpoints, or a path the family may not recognise)."""
    formats = FORMAT_AWARE.get(endpoint)
    if formats is None:
        return None
    last = urllib.parse.unquote(path.rsplit("/", 1)[-1])
    stem, dot, ext = last.rpartition(".")
    if dot and stem and ext in formats:
        return ext
    if dot and ext.lower() in ("svg", "png", "json", "gif", "jpg", "jpeg"):
        return None  # an odd suffix (".PNG", "/.png"): not predicted
    wanted = next((value for name, value in pairs if name == "format"), None)
    if wanted is None:
        return "svg"
    wanted = wanted.strip().lower().lstrip(".")
    return wanted if wanted in formats else "svg"


def test_the_walk_covers_every_family():
    endpoints = {endpoint for endpoint, _ in RULES}
    for family in ("custom", "providers", "plugin_badges", "compose", "quality", "nice"):
        assert any(e.startswith(family + ".") for e in endpoints), family


@pytest.mark.parametrize(("endpoint", "rule"), RULES, ids=[f"{e} {r}" for e, r in RULES])
def test_route_never_breaks(cclient, seed, endpoint, rule):
    seen: collections.Counter[tuple[int, str]] = collections.Counter()

    @settings(
        max_examples=WALK_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(path=rule_paths(rule, realistic_paths(endpoint, seed)), query=QUERY, headers=HEADERS)
    def walk(path: str, query: tuple[list[tuple[str, str]], str], headers: dict) -> None:
        pairs, how = query
        url = path + ("?" + query_string(pairs, how) if pairs else "")
        assume(not known_bug(url))
        response = cclient.get(url, headers=headers, follow_redirects=True)
        for hop in response.history:  # werkzeug's slash redirects: on this site only
            location = hop.headers.get("Location", "")
            assert location.startswith(("/", "http://localhost/")), location
            assert not location.startswith(("//", "/\\")), location  # no open redirect
        kind = check_response(response, allow=UPSTREAM_STATUSES)
        seen[response.status_code, kind] += 1
        if kind == "json" and response.status_code >= 400:
            check_json_error(path, response)
        if response.status_code in UPSTREAM_STATUSES:
            allowed = ("json", "svg") if endpoint in SPEC_IMAGE_STATUS_ENDPOINTS else ("json",)
            assert kind in allowed, (url, response.status_code, kind)
        expected = expected_kind(endpoint, path, pairs)
        if response.history or kind == "empty" or response.status_code == 414:
            expected = None  # a slash redirect or an unparsed query: another request's rules
        elif response.status_code == 404 and expected != suffix_kind(path):
            expected = None  # shields' "badge not found" follows the suffix, not ?format=
        if expected is not None:
            assert kind == expected, (url, response.status_code, kind)
        if (
            endpoint in IMAGE_ENDPOINTS
            and not response.history  # a slash redirect may land on an API path
            and not asks_for_json(endpoint, path, pairs, headers)
        ):
            # an <img> never gets a JSON body, whatever went wrong
            assert kind in ("svg", "png", "empty"), (url, response.status_code, kind)

    walk()
    # the walk really ran (hypothesis may stop early only on exhausting a tiny space)
    assert sum(seen.values()) >= min(WALK_EXAMPLES, 10), seen
    print(endpoint, dict(seen))


def test_query_over_eight_kib_is_an_image(cclient: object, contract_app: Flask):
    """The one refusal of an over-long query is still an image (414) on every badge family."""
    long_query = "?label=" + "x" * 9000
    for url in ("/v2/badge/custom", "/badge/a-b-c", "/v2/badge/github/a/b/stars", "/v2/compose"):
        response = cclient.get(url + long_query)
        assert check_response(response) == "svg", url
        assert response.status_code == 414, url


#: what Chrome sends for an <img>
BROWSER_IMAGE_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


@pytest.mark.parametrize(
    ("url", "accept", "kind"),
    [
        ("/api/v1/badge/coverage//", None, "svg"),
        ("/api/v1/badge/tests/a/b/c", BROWSER_IMAGE_ACCEPT, "svg"),
        ("/api/v1/badge/tests/a/b/c", "application/json", "json"),
        ("/api/v1/badge/tests/a/b/c.json", None, "json"),
        ("/api/v1/badge/nope/a/b", None, "json"),
        ("/api/v1/reports/a/b/c", None, "json"),
    ],
)
def test_unknown_paths_under_quality_badges_are_images(cclient, url, accept, kind):
    """Fixed here (badgeapp/http/api_errors.py): a mistyped quality badge URL in a README
    shows a "404 | badge not found" image, not a JSON body; other API paths stay JSON."""
    response = cclient.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert check_response(response) == kind
    if url.startswith("/api/v1/badge/tests/") or url.startswith("/api/v1/badge/coverage/"):
        # the answer follows Accept: a shared cache must key on it
        assert "accept" in response.headers.get("Vary", "").lower(), response.headers


def _simple_path(rule: str, seed: Seed) -> str:
    """A path matching ``rule`` with plain values (the first option of an ``any``)."""
    values = {"org": seed.org, "repo": seed.repo, "public_id": seed.button}

    def fill(match: re.Match) -> str:
        converter, args, name = match.groups()
        if converter == "any":
            return _any_options(args)[0]
        return values.get(name, "x")

    return _VARIABLE.sub(fill, rule)


@pytest.mark.parametrize(("endpoint", "rule"), RULES, ids=[f"{e} {r}" for e, r in RULES])
def test_other_methods_get_the_catalogue_405(cclient, seed, endpoint, rule):
    """PUT, PATCH and DELETE on any route: 405 with ``Allow`` and the JSON catalogue body."""
    path = _simple_path(rule, seed)
    for method in ("PUT", "PATCH", "DELETE"):
        response = cclient.open(path, method=method)
        assert response.status_code == 405, (method, path, response.status_code)
        assert check_response(response) == "json"
        check_json_error(path, response)
        assert "GET" in response.headers.get("Allow", ""), response.headers
