"""Every error of the rank spec's catalogue, as JSON and as an image, and the rank limits."""

from __future__ import annotations

import datetime as dt
import logging
import re

import defusedxml.ElementTree as SafeET
import pytest
from fake_github import THIS_YEAR, service_tokens

from badgeapp.rank import errors

REQUEST_ID = re.compile(r"^req_[0-9a-f]{12}$")


def check_error(client, path: str, error: str, code: int, headers=None):
    """The JSON body and the image answer of ``path`` both say ``error`` with ``code``."""
    sep = "&" if "?" in path else "?"
    response = client.get(path + sep + "format=json", headers=headers)
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == error
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert REQUEST_ID.match(body["requestId"])
    assert response.headers["X-Request-ID"] == body["requestId"]
    assert next(iter(body)) == "error" and list(body)[-1] == "requestId"
    image = client.get(path, headers=headers)
    assert image.status_code == code
    assert image.mimetype == "image/svg+xml"
    root = SafeET.fromstring(image.data)
    assert (root.get("width"), root.get("height")) == ("400", "120")
    text = image.get_data(as_text=True)
    assert error in text and f"HTTP {code}" in text
    assert body["message"].split(".")[0][:40].replace("'", "&apos;") in text
    return body, response


def test_catalogue_has_eleven_types():
    names = [cls.__name__ for cls in errors.CATALOG]
    assert names == [
        "ValidationError",
        "InvalidUsername",
        "InvalidSeason",
        "InvalidTheme",
        "InvalidToken",
        "UserNotFound",
        "RateLimitExceeded",
        "GitHubRateLimited",
        "TokensExhausted",
        "GitHubAPIError",
        "InternalError",
    ]


@pytest.mark.parametrize("query", ["format=xml", "force=maybe", "include_orgs=2"])
def test_validation_error(rank_client, query):
    path = f"/rank/midway?{query}"
    response = rank_client.get(path)
    assert response.status_code == 400
    body = rank_client.get(path, headers={"Accept": "application/json"}).get_json()
    assert body["error"] == "ValidationError"
    assert body["details"]["parameter"] in ("format", "force", "include_orgs")


@pytest.mark.parametrize("name", ["invalid@user", "-leading", "a" * 40, "with space", "a/b"])
def test_invalid_username(rank_client, name):
    body, _ = check_error(rank_client, f"/rank/{name}", "InvalidUsername", 400)
    assert body["details"]["pattern"] == "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,38})?$"
    assert body["details"]["username"] == name


def test_invalid_username_message_is_the_spec_one(rank_client):
    body = rank_client.get("/rank/invalid@user?format=json").get_json()
    assert body["message"] == (
        "Username 'invalid@user' contains invalid characters. GitHub usernames can only "
        "contain alphanumeric characters and hyphens."
    )


@pytest.mark.parametrize("season", ["2009", str(THIS_YEAR + 1), "abc", "20251", "-1"])
def test_invalid_season(rank_client, season):
    body, _ = check_error(rank_client, f"/rank/midway?season={season}", "InvalidSeason", 400)
    assert body["details"]["min"] == 2010 and body["details"]["max"] == THIS_YEAR


def test_first_and_current_seasons_are_valid(rank_client):
    assert rank_client.get("/rank/midway?season=2010").status_code == 200
    assert rank_client.get(f"/rank/midway?season={THIS_YEAR}").status_code == 200


def test_invalid_theme(rank_client):
    body, _ = check_error(rank_client, "/rank/midway?theme=neon", "InvalidTheme", 400)
    assert body["details"]["allowed"] == ["default", "dark", "light", "minimal"]


def test_invalid_token(rank_client):
    body, _ = check_error(rank_client, "/rank/midway?token=nope", "InvalidToken", 400)
    assert "nope" not in str(body)


def test_user_not_found(rank_client):
    body, response = check_error(rank_client, "/rank/nonexistentuser12345", "UserNotFound", 404)
    assert body["message"] == (
        "GitHub user 'nonexistentuser12345' not found. Please check the username spelling."
    )
    assert body["details"] == {"username": "nonexistentuser12345"}
    assert "public" in response.headers["Cache-Control"]


def test_user_not_found_on_stats(rank_client):
    response = rank_client.get("/stats/nonexistentuser12345")
    assert response.status_code == 404
    assert response.get_json()["error"] == "UserNotFound"


@pytest.mark.parametrize("fmt", ["json", "svg"])
def test_github_rate_limited(make_rank_app, fake_github, fmt):
    tokens = service_tokens()
    for token in tokens:
        fake_github.quota[token] = 0
    client = make_rank_app(tokens=tokens).test_client()
    response = client.get(f"/rank/midway?format={fmt}")
    assert response.status_code == 503
    assert "no-cache" in response.headers["Cache-Control"]
    if fmt == "svg":
        assert "GitHubRateLimited" in response.get_data(as_text=True)
        return
    body = response.get_json()
    assert body["error"] == "GitHubRateLimited" and body["code"] == 503
    assert 0 < body["retryAfter"] <= 1800
    assert "token" in body["details"]["suggestion"]
    assert response.headers["Retry-After"] == str(body["retryAfter"])


def test_tokens_exhausted_without_service_tokens(make_rank_app):
    client = make_rank_app(tokens=[]).test_client()
    body, response = check_error(client, "/rank/midway", "TokensExhausted", 503)
    assert body["message"] == (
        "Service is temporarily unavailable due to high demand. Please try again in a few "
        "minutes or provide your own GitHub token."
    )
    assert body["details"] == {
        "suggestion": "Use ?token=YOUR_GITHUB_PAT to bypass service token limits"
    }
    assert body["retryAfter"] == 300
    assert response.headers["Retry-After"] == "300"


def test_tokens_exhausted_after_the_pool_ran_dry(make_rank_app, fake_github):
    tokens = service_tokens()
    for token in tokens:
        fake_github.quota[token] = 0
    client = make_rank_app(tokens=tokens).test_client()
    client.get("/rank/midway")  # GitHub refuses both: they are now known to be exhausted
    calls = fake_github.count("graphql")
    body = client.get("/rank/octocat?format=json").get_json()
    assert body["error"] == "TokensExhausted"
    assert 0 < body["retryAfter"] <= 1800
    assert fake_github.count("graphql") == calls  # no call is made with exhausted tokens
    # bringing one's own token works meanwhile
    own = client.get("/rank/octocat?format=json&token=ghp_" + "o" * 36)
    assert own.status_code == 200


def test_github_api_error(rank_client, fake_github):
    fake_github.fail("graphql", status=500)
    body, _ = check_error(rank_client, "/rank/midway", "GitHubAPIError", 502)
    assert "500" in body["details"]["reason"]


def test_github_failure_after_success_serves_the_last_answer(rank_client, fake_github):
    good = rank_client.get("/rank/midway?format=json").get_json()
    fake_github.fail("graphql", status=502)
    again = rank_client.get("/rank/midway?format=json&force=true")
    assert again.status_code == 200
    body = again.get_json()
    assert body["stale"] is True and body["rank"] == good["rank"]


def test_internal_error_has_a_request_id_in_the_log(rank_client, monkeypatch, caplog):
    import badgeapp.rank.service as service

    def broken(*args, **kwargs):  # a bug in a collaborator of the route
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "fetch_stats", broken)
    caplog.set_level(logging.INFO, logger="badgeapp.rank")
    body, response = check_error(rank_client, "/rank/midway", "InternalError", 500)
    assert body["requestId"] in caplog.text
    assert "boom" not in response.get_data(as_text=True)


# -- limits --------------------------------------------------------------------------------


def test_username_limit_counts_cold_requests_only(make_rank_app):
    client = make_rank_app(RANK_RATE_LIMIT_USERNAME="3/hour").test_client()
    for _ in range(6):  # one miss, then hits: never refused
        assert client.get("/rank/midway").status_code == 200
    assert client.get("/rank/midway?force=true").status_code == 200
    assert client.get("/rank/midway?force=true").status_code == 200
    response = client.get("/rank/midway?force=true&format=json")
    assert response.status_code == 429
    body = response.get_json()
    assert body["error"] == "RateLimitExceeded"
    assert body["details"]["limit"] == 3 and body["details"]["remaining"] == 0
    reset_at = dt.datetime.strptime(body["details"]["resetAt"], "%Y-%m-%dT%H:%M:%SZ")
    assert reset_at > dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert 0 < body["retryAfter"] <= 3600
    assert response.headers["Retry-After"] == str(body["retryAfter"])
    assert "minutes" in body["message"]
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    # cached answers for that user are still served; another user is not limited
    assert client.get("/rank/midway").status_code == 200
    assert client.get("/rank/octocat").status_code == 200
    # the username limit ignores case, as GitHub logins do
    assert client.get("/rank/MidWay?force=true").status_code == 429


def test_ip_limit(make_rank_app):
    client = make_rank_app(RANK_RATE_LIMIT_IP="2/hour").test_client()
    assert client.get("/rank/midway").headers["X-RateLimit-Remaining"] == "1"
    assert client.get("/rank/octocat").headers["X-RateLimit-Remaining"] == "0"
    body, _response = check_error(client, "/rank/newbie", "RateLimitExceeded", 429)
    assert body["details"]["limit"] == 2
    assert client.get("/rank/midway").status_code == 200  # a hit
    other = client.get("/rank/newbie", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_stats_share_the_limits(make_rank_app):
    client = make_rank_app(RANK_RATE_LIMIT_IP="1/hour").test_client()
    assert client.get("/stats/midway").status_code == 200
    assert client.get("/stats/octocat").get_json()["error"] == "RateLimitExceeded"


def test_limits_off_with_rate_limiting_disabled(make_rank_app):
    client = make_rank_app(RANK_RATE_LIMIT_IP="1/hour", RATE_LIMIT_ENABLED=False).test_client()
    assert client.get("/rank/midway").status_code == 200
    response = client.get("/rank/octocat")
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response.headers


def test_concurrent_cold_requests_compute_once(make_rank_app, fake_github):
    from concurrent.futures import ThreadPoolExecutor

    app = make_rank_app(RANK_RATE_LIMIT_USERNAME="1/hour")
    fake_github.latency = 0.3

    def view(_):
        response = app.test_client().get("/rank/midway?format=json")
        return response.status_code, response.get_json()["rank"]["elo"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(view, range(8)))
    assert {status for status, _ in answers} == {200}  # one counted, seven waited for it
    assert len({elo for _, elo in answers}) == 1
    assert fake_github.count("graphql") == 2  # the profile and the yearly query, once
