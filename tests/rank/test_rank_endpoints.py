"""``/rank/{username}`` and ``/stats/{username}`` against the fake GitHub, as a client sees them."""

from __future__ import annotations

import datetime as dt
import logging
import re

import defusedxml.ElementTree as SafeET
import pytest
from fake_github import THIS_YEAR, USERS, service_tokens, star_total

from badgeapp.rank.tiers import TIER_NAMES

REQUEST_ID = re.compile(r"^req_[0-9a-f]{12}$")
SPEC_CACHE_CONTROL = "public, max-age=3600, s-maxage=86400"
USER_TOKEN = "ghp_" + "u" * 36


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def test_json_answer_has_the_spec_fields(rank_client):
    response = rank_client.get("/rank/octocat?format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["username"] == "octocat"
    rank = body["rank"]
    assert rank["tier"] in TIER_NAMES
    assert rank["division"] in ("I", "II", "III", "IV")
    assert 0 <= rank["lp"] <= 99 and 0 <= rank["percentile"] <= 100 and rank["elo"] >= 0
    assert isinstance(rank["wpi"], float) and isinstance(rank["zScore"], float)
    assert set(rank["breakdown"]) == set(body["stats"]) - {
        "firstContributionYear",
        "lastContributionYear",
    }
    contributions = sum(item["contribution"] for item in rank["breakdown"].values())
    assert contributions == pytest.approx(rank["wpi"], abs=1e-3)
    stats = body["stats"]
    user = USERS["octocat"]
    assert stats["totalCommits"] == sum(y["commits"] for y in user["years"].values())
    assert stats["totalCodeReviews"] == sum(y["reviews"] for y in user["years"].values())
    assert stats["totalMergedPRs"] == user["merged_all"]
    assert stats["totalIssuesClosed"] == user["closed_all"]
    assert stats["totalFollowers"] == user["followers"]
    assert stats["firstContributionYear"] == THIS_YEAR - 4
    assert stats["lastContributionYear"] == THIS_YEAR
    expires = parse_iso(body["cacheExpires"]) - parse_iso(body["calculatedAt"])
    assert expires == dt.timedelta(hours=24)


def test_stars_count_every_owned_repository_past_the_first_100(rank_client, fake_github):
    body = rank_client.get("/rank/octocat?format=json").get_json()
    assert len(USERS["octocat"]["repos"]) == 250
    assert body["stats"]["totalStars"] == star_total("octocat")
    pages = [q for q in fake_github.queries() if "after: $after" in q and "user(" in q]
    assert len(pages) == 2  # repositories 101-200 and 201-250


def test_include_orgs_adds_organisation_stars(rank_client):
    own = rank_client.get("/rank/octocat?format=json").get_json()["stats"]["totalStars"]
    body = rank_client.get("/rank/octocat?include_orgs=true&format=json").get_json()
    assert body["stats"]["totalStars"] == star_total("octocat", include_orgs=True) > own


def test_svg_card_is_400_by_120_with_the_rank_on_it(rank_client):
    response = rank_client.get("/rank/midway")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = SafeET.fromstring(response.data)
    assert (root.get("width"), root.get("height")) == ("400", "120")
    text = response.get_data(as_text=True)
    rank = rank_client.get("/rank/midway?format=json").get_json()["rank"]
    assert f"{rank['tier']} {rank['division']}" in text
    assert f"{rank['elo']} Elo" in text and f"{rank['lp']} LP" in text
    for label in ("Commits", "PRs", "Reviews", "Issues", "Stars", "Followers", "midway"):
        assert label in text


@pytest.mark.parametrize("theme", ["default", "dark", "light", "minimal"])
def test_every_spec_theme_draws(rank_client, theme):
    response = rank_client.get(f"/rank/midway?theme={theme}")
    assert response.status_code == 200
    SafeET.fromstring(response.data)


def test_themes_look_different(rank_client):
    backgrounds = set()
    for theme in ("default", "dark", "light", "minimal"):
        svg = rank_client.get(f"/rank/midway?theme={theme}").get_data(as_text=True)
        backgrounds.add(re.search(r'<rect x="0.5"[^>]*fill="(#[0-9a-f]+)"', svg)[1])
    assert len(backgrounds) >= 3


def test_accept_header_gives_json(rank_client):
    response = rank_client.get("/rank/midway", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    assert response.get_json()["username"] == "midway"
    image = rank_client.get("/rank/midway", headers={"Accept": "image/svg+xml,*/*"})
    assert image.mimetype == "image/svg+xml"


def test_headers_cache_and_request_id(rank_client, fake_github):
    first = rank_client.get("/rank/midway")
    assert first.headers["Cache-Control"] == SPEC_CACHE_CONTROL
    assert first.headers["X-Cache"] == "MISS"
    assert REQUEST_ID.match(first.headers["X-Request-ID"])
    assert first.headers["X-RateLimit-Limit"] == "100"
    assert first.headers["X-RateLimit-Remaining"] == "99"
    assert int(first.headers["X-RateLimit-Reset"]) > dt.datetime.now(dt.UTC).timestamp()
    calls = fake_github.count("graphql")
    second = rank_client.get("/rank/midway?format=json")
    assert second.headers["X-Cache"] == "HIT"
    assert second.headers["Cache-Control"] == SPEC_CACHE_CONTROL
    assert second.headers["X-RateLimit-Remaining"] == "99"  # a hit is not counted
    assert fake_github.count("graphql") == calls
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_force_recomputes_and_is_counted(rank_client, fake_github):
    rank_client.get("/rank/midway")
    calls = fake_github.count("graphql")
    forced = rank_client.get("/rank/midway?force=true")
    assert forced.headers["X-Cache"] == "MISS"
    assert forced.headers["X-RateLimit-Remaining"] == "98"
    assert fake_github.count("graphql") > calls  # GitHub was asked again


def test_season_counts_only_that_year(rank_client):
    body = rank_client.get(f"/rank/octocat?season={THIS_YEAR - 1}&format=json").get_json()
    year = USERS["octocat"]["years"][THIS_YEAR - 1]
    assert body["season"] == THIS_YEAR - 1
    stats = body["stats"]
    assert stats["totalCommits"] == year["commits"]
    assert stats["totalMergedPRs"] == year["merged"]
    assert stats["totalIssuesClosed"] == year["closed"]
    assert stats["totalCodeReviews"] == year["reviews"]
    created_then = sum(s for s, y in USERS["octocat"]["repos"] if y == THIS_YEAR - 1)
    assert stats["totalStars"] == created_then
    card = rank_client.get(f"/rank/octocat?season={THIS_YEAR - 1}").get_data(as_text=True)
    assert f"Season {THIS_YEAR - 1}" in card


def test_stats_has_a_yearly_breakdown(rank_client, fake_github):
    response = rank_client.get("/stats/octocat")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == SPEC_CACHE_CONTROL
    body = response.get_json()
    years = [row["year"] for row in body["yearlyBreakdown"]]
    assert years == sorted(USERS["octocat"]["years"], reverse=True)
    first = body["yearlyBreakdown"][0]
    spec = USERS["octocat"]["years"][THIS_YEAR]
    assert first == {
        "year": THIS_YEAR,
        "commits": spec["commits"],
        "prs": spec["prs"],
        "reviews": spec["reviews"],
        "issues": spec["issues"],
        "mergedPRs": spec["merged"],
        "codeReviews": spec["reviews"],
        "issuesClosed": spec["closed"],
    }
    assert body["stats"]["firstContributionYear"] == min(years)
    assert body["stats"]["lastContributionYear"] == max(years)
    assert "fetchedAt" in body
    # one aliased contributionsCollection per year, in one query
    yearly = [q for q in fake_github.queries() if "contributionsCollection(from:" in q]
    assert len(yearly) == 1 and all(f"y{y}: contributionsCollection" in yearly[0] for y in years)


def test_a_user_without_contributions_is_iron(rank_client):
    body = rank_client.get("/rank/newbie?format=json").get_json()
    assert body["rank"]["tier"] == "Iron"
    assert body["stats"]["firstContributionYear"] is None
    assert rank_client.get("/stats/newbie").get_json()["yearlyBreakdown"] == []


# -- tokens ------------------------------------------------------------------------------


def test_user_token_is_used_and_the_answer_is_private(rank_client, fake_github, caplog):
    caplog.set_level(logging.DEBUG)
    response = rank_client.get(f"/rank/midway?token={USER_TOKEN}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert set(fake_github.tokens()) == {USER_TOKEN}
    bearer = rank_client.get(
        "/rank/midway?format=json", headers={"Authorization": f"Bearer {USER_TOKEN}"}
    )
    assert bearer.headers["Cache-Control"].startswith("private")
    assert bearer.headers["X-Cache"] == "HIT"  # the same user's token: its own cache entry
    # nobody else reads the token's answer: an anonymous request is computed with the pool
    shared = rank_client.get("/rank/midway")
    assert shared.headers["X-Cache"] == "MISS"
    assert shared.headers["Cache-Control"] == SPEC_CACHE_CONTROL
    assert USER_TOKEN not in caplog.text


@pytest.mark.parametrize(
    "token", ["abc", "ghp_short", "gho_" + "a" * 36, "github_pat_", "ghp_" + "a" * 30 + "!"]
)
def test_malformed_tokens_are_invalid_token(rank_client, token):
    response = rank_client.get(f"/rank/midway?format=json&token={token}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "InvalidToken"
    assert token not in response.get_data(as_text=True) or token == "github_pat_"


def test_fine_grained_token_is_accepted(rank_client, fake_github):
    token = "github_pat_" + "A1_" * 20
    assert rank_client.get(f"/rank/midway?token={token}").status_code == 200
    assert fake_github.tokens()[-1] == token


def test_non_bearer_authorization_is_invalid_token(rank_client):
    response = rank_client.get(
        "/rank/midway?format=json", headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert response.get_json()["error"] == "InvalidToken"


def test_token_github_rejects_is_invalid_token(rank_client):
    response = rank_client.get("/rank/midway?format=json&token=ghp_bad" + "x" * 33)
    assert response.status_code == 400
    assert response.get_json()["error"] == "InvalidToken"


def test_rate_limited_token_moves_to_the_next_one(make_rank_app, fake_github):
    first, second = service_tokens()
    fake_github.quota[first] = 0
    client = make_rank_app(tokens=[first, second]).test_client()
    assert client.get("/rank/midway").status_code == 200
    assert second in fake_github.tokens()


# -- health ------------------------------------------------------------------------------


def test_health_reports_github(make_rank_app, fake_github):
    tokens = service_tokens()
    client = make_rank_app(tokens=tokens).test_client()
    body = client.get("/health").get_json()
    assert body["services"]["github"] == "operational"
    assert {"status", "version", "timestamp", "services"} <= set(body)
    assert {"cache", "database", "plugins"} <= set(body["services"])
    for token in tokens:
        fake_github.quota[token] = 0
    client.get("/rank/midway")
    body = client.get("/health").get_json()
    assert body["services"]["github"] == "down"
    assert body["status"] == "degraded"


def test_health_without_tokens(make_rank_app):
    client = make_rank_app(tokens=[]).test_client()
    assert client.get("/health").get_json()["services"]["github"] == "not configured"


def test_one_exhausted_token_is_degraded(make_rank_app, fake_github):
    first, second = service_tokens()
    fake_github.quota[first] = 0
    client = make_rank_app(tokens=[first, second]).test_client()
    client.get("/rank/midway")
    assert client.get("/health").get_json()["services"]["github"] == "degraded"


def test_invalidation_drops_the_cached_rank(rank_client):
    from badgeapp.badges.invalidation import invalidate, scope_of

    assert rank_client.get("/rank/midway").headers["X-Cache"] == "MISS"
    assert rank_client.get("/rank/midway").headers["X-Cache"] == "HIT"
    invalidate(scope_of("rank", "MidWay"))
    assert rank_client.get("/rank/midway").headers["X-Cache"] == "MISS"


def test_the_readme_worked_example_end_to_end(rank_client):
    """The fake's ``midway`` has the README example's statistics: the endpoint says the same."""
    body = rank_client.get("/rank/midway?format=json").get_json()
    assert body["stats"]["totalCommits"] == 1850 and body["stats"]["totalStars"] == 420
    rank = body["rank"]
    assert (rank["tier"], rank["division"], rank["elo"], rank["lp"]) == ("Emerald", "II", 1891, 54)
    assert (rank["wpi"], rank["zScore"], rank["percentile"]) == (1.3422, 1.6243, 94.78)
