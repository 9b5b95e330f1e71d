"""Trophies (``/v2/trophies/{username}``) and repository insights (the github provider's
``commit_velocity`` / ``issue_resolution`` / ``activity_rank`` and the heatmap)
on the fake GitHub."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from fake_github import USERS, star_total
from PIL import Image

from badgeapp.providers import github_insights as insights
from badgeapp.render.cards.heatmap import level
from badgeapp.render.themes import THEME_NAMES
from badgeapp.trophies.awards import HIDDEN, THRESHOLDS, TIER_NAMES, award, trophy_for

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

# -- trophies: the rules -------------------------------------------------------------------


@pytest.mark.parametrize("key", list(THRESHOLDS))
def test_thresholds_pick_the_tier(key):
    limits = THRESHOLDS[key][2]
    assert trophy_for(key, limits[0] - 1).tier is None
    for tier, least in zip(TIER_NAMES, limits, strict=True):
        assert trophy_for(key, least).tier == tier
    assert trophy_for(key, limits[-1] * 10).progress == 1.0
    middle = trophy_for(key, (limits[1] + limits[2]) // 2)
    assert middle.tier == "Silver" and 0 < middle.progress < 1 and middle.next_at == limits[2]


def test_thresholds_are_in_the_readme():
    for _title, unit, limits in THRESHOLDS.values():
        assert " | ".join(f"{n:,}" for n in limits) in README, unit
    for title, _ in HIDDEN.values():
        assert title in README


def test_hidden_trophies_appear_only_when_earned():
    plain = award({}, created_at="2020-05-01T00:00:00Z", owned_repositories=0, organizations=0)
    assert not any(t.hidden for t in plain)
    assert len(plain) == len(THRESHOLDS)
    old = award({}, created_at="2009-05-01T00:00:00Z", owned_repositories=0, organizations=4)
    hidden = {t.key for t in old if t.hidden}
    assert hidden == {"og_user", "team_player", "legend"}  # 15+ years: Legendary veteran


# -- trophies: the endpoint ----------------------------------------------------------------


def test_trophies_json(rank_client):
    response = rank_client.get("/v2/trophies/octocat.json")
    assert response.status_code == 200
    body = response.get_json()
    by_key = {t["category"]: t for t in body["trophies"]}
    assert set(THRESHOLDS) <= set(by_key)
    assert by_key["stars"]["value"] == star_total("octocat")
    assert by_key["stars"]["tier"] == "Legendary"
    assert by_key["followers"]["value"] == USERS["octocat"]["followers"]
    assert by_key["repositories"]["value"] == len(USERS["octocat"]["repos"])
    assert by_key["legend"]["hidden"] is True  # earned: Legendary stars
    assert "og_user" not in by_key  # octocat joined in 2011
    assert rank_client.get("/v2/trophies/octocat?format=json").get_json() == body


def test_trophy_grid_svg_and_options(rank_client):
    svg = rank_client.get("/v2/trophies/octocat")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = SafeET.fromstring(svg.data)
    # 9 trophies in 4 columns: 3 rows of 110 px panels, 8 px margins
    assert (root.get("width"), root.get("height")) == (str(4 * 110 + 5 * 8), str(3 * 110 + 4 * 8))
    text = svg.get_data(as_text=True)
    for title in ("Stargazer", "Committer", "Influencer", "Merger", "Legend", "LEGENDARY"):
        assert title in text
    small = SafeET.fromstring(
        rank_client.get("/v2/trophies/octocat?columns=3&rows=1&margin=0").data
    )
    assert (small.get("width"), small.get("height")) == ("330", "110")
    assert svg.headers["X-Cache"] == "MISS"
    assert rank_client.get("/v2/trophies/octocat").headers["X-Cache"] == "HIT"


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_trophies_in_every_engine_theme(rank_client, theme):
    response = rank_client.get(f"/v2/trophies/midway?theme={theme}")
    assert response.status_code == 200
    SafeET.fromstring(response.data)


def test_trophies_png(rank_client):
    response = rank_client.get("/v2/trophies/midway.png?columns=2&rows=1")
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.size[0] > 200 and image.size[1] > 100


@pytest.mark.parametrize("query", ["columns=0", "columns=11", "rows=abc", "margin=41"])
def test_bad_grid_options_are_error_badges(rank_client, query):
    response = rank_client.get(f"/v2/trophies/midway?{query}")
    assert response.mimetype == "image/svg+xml"
    assert "invalid parameter" in response.get_data(as_text=True)


def test_unknown_user_is_a_not_found_badge(rank_client):
    response = rank_client.get("/v2/trophies/nobody-at-all")
    assert response.mimetype == "image/svg+xml"
    assert "user not found" in response.get_data(as_text=True)
    bad = rank_client.get("/v2/trophies/bad@name")
    assert "invalid parameter" in bad.get_data(as_text=True)


# -- insights --------------------------------------------------------------------------------


def test_sparkline_and_velocity():
    assert insights.sparkline([0, 1, 2, 4]) == "▁▃▅█"
    assert insights.sparkline([0, 0]) == "▁▁"
    weeks = [{"total": 2}] * 4 + [{"total": 10}] * 4
    rate, arrow, spark = insights.velocity(weeks)
    assert (rate, arrow) == (10.0, "↑")
    assert insights.velocity([{"total": 10}] * 4 + [{"total": 2}] * 4)[1] == "↓"
    assert insights.velocity([{"total": 5}] * 8)[1] == "→"
    assert len(spark) == 8


def test_median_resolution_ignores_pull_requests_and_old_issues():
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

    def issue(days_ago, hours, pr=False):
        closed = now - dt.timedelta(days=days_ago)
        item = {
            "created_at": (closed - dt.timedelta(hours=hours)).isoformat(),
            "closed_at": closed.isoformat(),
        }
        if pr:
            item["pull_request"] = {}
        return item

    issues = [issue(1, 2), issue(2, 4), issue(3, 30), issue(5, 1000, pr=True), issue(200, 1)]
    assert insights.median_resolution(issues, now) == dt.timedelta(hours=4)
    assert insights.median_resolution([], now) is None
    assert insights.duration_text(dt.timedelta(hours=4)) == "4 hours"
    assert insights.duration_text(dt.timedelta(days=2.5)) == "2.5 days"
    assert insights.duration_text(dt.timedelta(minutes=5)) == "5 min"


def test_commit_velocity_badge(rank_client):
    body = rank_client.get("/v2/badge/github/pallets/flask/commit_velocity.json").get_json()
    assert re.fullmatch(r"\d+(\.\d)?/week [↑↓→] [▁▂▃▄▅▆▇█]{12}", body["display"]), body
    svg = rank_client.get("/v2/badge/github/pallets/flask/commit_velocity")
    assert svg.status_code == 200 and "commit velocity" in svg.get_data(as_text=True)


def test_issue_resolution_badge(rank_client, fake_github):
    body = rank_client.get("/v2/badge/github/pallets/flask/issue_resolution.json").get_json()
    # the fake's nine issues took 6, 12, ... 54 hours: the median is 30 hours
    assert body["value"] == 30 * 3600
    assert body["display"] == "1.2 days"
    quiet = rank_client.get("/v2/badge/github/quiet/repo/issue_resolution.json").get_json()
    assert quiet["display"] == "no closed issues"


def test_activity_rank_badge(rank_client):
    body = rank_client.get("/v2/badge/github/pallets/flask/activity_rank.json").get_json()
    assert body["display"] in ("S", "A+", "A", "A-", "B+", "B", "B-", "C+", "C")


def test_statistics_202_is_asked_again(rank_client, fake_github):
    fake_github.stats_pending = 2
    body = rank_client.get("/v2/badge/github/acme/busy/commit_velocity.json").get_json()
    assert body["display"] != "computing"
    assert fake_github.count("acme/busy/stats/commit_activity") == 3


def test_statistics_still_computing_says_so(rank_client, fake_github):
    fake_github.stats_pending = 100
    body = rank_client.get("/v2/badge/github/acme/new/commit_velocity.json").get_json()
    assert body["display"] == "computing"
    assert fake_github.count("acme/new/stats/commit_activity") == 1 + len(
        insights.STATS_RETRY_DELAYS
    )


def test_statistics_202_after_an_answer_serves_it_stale(make_rank_app, fake_github):
    # the hot path would answer the repeat from its stored copy: watch the upstream layer
    client = make_rank_app(UPSTREAM_FRESH_SECONDS=0, HOT_PATH_BYTES=0).test_client()
    first = client.get("/v2/badge/github/acme/stale/commit_velocity.json").get_json()
    fake_github.stats_pending = 100
    again = client.get("/v2/badge/github/acme/stale/commit_velocity.json")
    assert again.get_json()["display"] == first["display"]
    assert again.get_json()["stale"] is True


def test_heatmap(rank_client):
    response = rank_client.get("/v2/insights/pallets/flask/heatmap")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = SafeET.fromstring(response.data)
    cells = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("width") == "11"]
    assert len(cells) == 52 * 7 + 5  # the grid and the legend
    assert "pallets/flask" in response.get_data(as_text=True)
    png = rank_client.get("/v2/insights/pallets/flask/heatmap.png")
    assert png.mimetype == "image/png"


@pytest.mark.parametrize("theme", ["neon", "hacker-green", "minimal"])
def test_heatmap_themes(rank_client, theme):
    plain = rank_client.get("/v2/insights/pallets/flask/heatmap").data
    themed = rank_client.get(f"/v2/insights/pallets/flask/heatmap?theme={theme}").data
    assert themed != plain


def test_heatmap_errors_are_badges(rank_client):
    missing = rank_client.get("/v2/insights/missing/repo/heatmap")
    assert missing.mimetype == "image/svg+xml" and "not found" in missing.get_data(as_text=True)
    assert rank_client.get("/v2/insights/pallets/flask/other").status_code == 404


def test_heatmap_levels():
    assert level(0, 10) == 0
    assert level(1, 10) == 1
    assert level(10, 10) == 4
    assert [level(n, 8) for n in range(9)] == sorted(level(n, 8) for n in range(9))


@pytest.mark.parametrize(
    ("shields", "metric"),
    [
        ("commit-velocity", "commit_velocity"),
        ("issue-resolution", "issue_resolution"),
        ("activity-rank", "activity_rank"),
    ],
)
def test_shields_style_insight_paths(rank_client, shields, metric):
    v2 = rank_client.get(f"/v2/badge/github/pallets/flask/{metric}.json").get_json()
    short = rank_client.get(f"/github/{shields}/pallets/flask.json").get_json()
    assert short["display"] == v2["display"] and short["metric"] == metric
    svg = rank_client.get(f"/github/{shields}/pallets/flask?style=for-the-badge")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    missing = rank_client.get(f"/github/{shields}/missing/repo")
    assert "not found" in missing.get_data(as_text=True)
