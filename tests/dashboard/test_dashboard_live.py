"""The live badge page ``/dashboard/live``: labelled form, current badges without JavaScript,
the socket the script opens, and errors next to their field."""

from __future__ import annotations

import html
import re

import pytest

from badgeapp.dashboard.live_page import live_form, live_providers
from badgeapp.plugins import get_registry


def page(client, **query) -> str:
    response = client.get("/dashboard/live", query_string=query)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    return response.get_data(as_text=True)


def label_for(body: str, field: str) -> str:
    found = re.search(rf'<label for="live-{field}">([^<]+)</label>', body)
    assert found, field
    return found.group(1)


def test_the_empty_form_has_labelled_fields_and_no_badges(client):
    body = page(client)
    assert label_for(body, "provider") == "Provider"
    assert label_for(body, "subject") == "Owner/repository"
    assert label_for(body, "metrics") == "Metrics"
    for field in ("provider", "subject", "metrics"):
        assert f'id="live-{field}" name="{field}"' in body
        assert f'aria-describedby="live-{field}-hint live-{field}-error"' in body
    assert '<option value="github" selected>github</option>' in body
    assert 'value="stars,forks"' in body
    assert 'id="live-badges"' not in body
    assert "/dashboard/assets/live.js" in body


def test_the_page_is_in_the_navigation(client):
    body = page(client)
    assert '<a href="/dashboard/live" aria-current="page">Live</a>' in body
    assert '<a href="/dashboard/live" >Live</a>' in page_of(client, "/dashboard/builder")


def page_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_a_subject_shows_its_current_badges_and_the_socket_to_watch(client):
    body = page(client, provider="github", subject="pallets/flask", metrics="stars, forks")
    badges = body.split('id="live-badges"', 1)[1].split("</ul>", 1)[0]
    socket = html.unescape(re.search(r'data-socket="([^"]+)"', body).group(1))
    assert socket == "/ws/live/github/pallets/flask?metrics=stars,forks"
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)">', badges)
    assert images == [
        ("/v2/badge/github/pallets/flask/stars", "stars of github/pallets/flask"),
        ("/v2/badge/github/pallets/flask/forks", "forks of github/pallets/flask"),
    ]
    assert 'data-topic="github/pallets/flask/stars"' in badges
    assert 'role="status"' in body


def test_the_badges_it_links_are_badges(client):
    body = page(client, provider="pypi", subject="flask", metrics="version")
    src = re.search(r'<img src="([^"]+)"', body.split('id="live-badges"', 1)[1]).group(1)
    assert src == "/v2/badge/pypi/flask/version"
    # the script reloads a badge with ?live=<fetched_at>; the badge route accepts it
    plain, busted = client.get(src), client.get(src + "?live=2026-11-30T20:45:55%2B00:00")
    assert busted.mimetype == "image/svg+xml"
    assert aria_label(busted) == aria_label(plain)


def aria_label(response) -> str:
    return re.search(r'aria-label="([^"]*)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"provider": "nope", "subject": "a/b"}, "provider", "choose a provider"),
        ({"provider": "github", "subject": ""}, "subject", "enter what to watch"),
        ({"provider": "github", "subject": "pallets"}, "subject", "github takes 2 name(s)"),
        ({"provider": "github", "subject": "a/../b"}, "subject", "separated by /"),
        (
            {"provider": "github", "subject": "a/b", "metrics": "stars,nope"},
            "metrics",
            "no metric nope",
        ),
        ({"provider": "github", "subject": "a/b", "metrics": " , "}, "metrics", "at least one"),
        (
            {
                "provider": "github",
                "subject": "a/b",
                "metrics": ",".join(["stars"] * 3 + list("abcdefghijk")),
            },
            "metrics",
            "at most 10",
        ),
    ],
)
def test_errors_are_shown_next_to_their_field(client, query, field, message):
    body = page(client, **query)
    error = re.search(rf'<p id="live-{field}-error" class="error" role="alert">([^<]*)</p>', body)
    assert error and message in html.unescape(error.group(1)), body[:3000]
    assert re.search(rf'id="live-{field}"[^>]*aria-invalid="true"', body)
    assert 'id="live-badges"' not in body


def test_hostile_text_is_escaped(client):
    body = page(client, provider="github", subject="<script>x</script>", metrics="<b>")
    assert "<script>x" not in body and "<b>" not in body


def test_only_providers_with_live_values_are_offered(app):
    with app.app_context():
        registry = get_registry()
        names = live_providers(registry)
        assert "github" in names and "pypi" in names
        assert all(registry.providers()[n].subject_parts for n in names)
        form = live_form(registry, {"provider": "github", "subject": "a/b"}, 10)
        assert [t.metric for t in form.topics] == ["stars", "forks"]  # the default metrics
        assert "stars" in form.metric_names
