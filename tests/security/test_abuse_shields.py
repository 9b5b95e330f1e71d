"""Abuse detection on shields' routes: ``/github/stars/<owner>/<repo>`` enumeration is counted
and blocked, a README's burst (a few repositories, many metrics) is not."""

from __future__ import annotations

import pytest

from badgeapp import create_app
from badgeapp.security.abuse import SUBJECT_EXTRACTORS, abuse_report, shields_subject

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"
ADDRESS = "203.0.113.9"


@pytest.fixture
def abuse_app(app_config, fake_upstream):
    return create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "ABUSE_MAX_SUBJECTS": 20,
            "ABUSE_WINDOW": 600,
            "ABUSE_BLOCK_SECONDS": 900,
        }
    )


def get(client, path, address=ADDRESS):
    return client.get(path, environ_base={"REMOTE_ADDR": address}, headers={"User-Agent": BROWSER})


@pytest.mark.parametrize(
    ("service", "rest", "subject"),
    [
        ("github", "stars/pallets/flask", "github/pallets/flask"),
        ("github", "stars/Pallets/Flask.svg", "github/pallets/flask"),
        ("github", "forks/pallets/flask.json", "github/pallets/flask"),
        ("github", "followers/pallets", "github/pallets"),
        ("npm", "v/react", "npm/react"),
        ("pypi", "v/Flask.png", "pypi/flask"),
        ("github", "v/release/pallets/flask", "github/release/pallets/flask"),
        ("github", "stars", None),
        ("github", "stars/", None),
        ("github", "", None),
        ("", "stars/pallets/flask", None),
    ],
)
def test_shields_subject(service, rest, subject):
    assert shields_subject({"service": service, "rest": rest}) == subject


def test_the_shields_family_uses_it():
    assert SUBJECT_EXTRACTORS["shields"] is shields_subject


def test_enumerating_owners_on_a_shields_route_is_blocked(abuse_app):
    client = abuse_app.test_client()
    statuses = [get(client, f"/github/stars/owner{i}/flask").status_code for i in range(25)]
    assert 429 not in statuses[:21]  # the 21st distinct subject triggers the block
    assert statuses[21:] == [429] * 4
    refused = get(client, "/github/stars/owner99/flask")
    assert refused.status_code == 429 and refused.mimetype == "image/svg+xml"
    report = abuse_report(abuse_app)
    assert [b["address"] for b in report["blocks"]] == [ADDRESS]
    assert report["events"][0]["subjects"] == 21
    # another address is not affected
    assert get(client, "/github/stars/owner50/flask", "198.51.100.1").status_code != 429


def test_a_readme_burst_on_shields_routes_is_not_blocked(abuse_app):
    """A README: 3 repositories x 8 metrics x 2 spellings, loaded 3 times."""
    client = abuse_app.test_client()
    metrics = [
        "stars",
        "forks",
        "watchers",
        "license",
        "issues",
        "issues-pr",
        "last-commit",
        "languages/top",
    ]
    repos = ["pallets/flask", "pallets/click", "pallets/jinja"]
    for _ in range(3):
        for repo in repos:
            for metric in metrics:
                for suffix in ("", ".svg"):
                    response = get(client, f"/github/{metric}/{repo}{suffix}")
                    assert response.status_code != 429, (metric, repo)
    report = abuse_report(abuse_app)
    assert report["blocks"] == []
    assert report["counters"]["counted"] >= len(repos)  # the subjects were counted, not skipped
