"""The GitHub provider against the fake GitHub API over real HTTP: every metric."""

from __future__ import annotations

import pytest

from badgeapp.errors import BadgeNotFound, InvalidParameter, NotFound
from badgeapp.providers.github import activity_rank, last_page, rank_level


@pytest.mark.parametrize(
    ("metric", "raw", "display", "color"),
    [
        ("stars", 12345, "12k", "blue"),
        ("forks", 2345, "2.3k", "blue"),
        ("watchers", 321, "321", "blue"),  # subscribers_count, not watchers_count (= stars)
        ("open_issues", 40, "40", "yellow"),  # 57 open_issues_count - 17 open PRs
        ("open_prs", 17, "17", "yellow"),
        ("contributors", 789, "789", "brightgreen"),
        ("size", 45678 * 1024, "46.8 MB", "blue"),
        ("release", "3.1.0", "v3.1.0", "blue"),
        ("license", "BSD-3-Clause", "BSD-3-Clause", "green"),
        ("ci_status", "success", "passing", "brightgreen"),
        ("commit_frequency", 10.0, "10/week", "brightgreen"),
    ],
)
def test_metric_value_and_display(resolve, metric, raw, display, color):
    value = resolve("github/pallets/flask", metric)
    assert (value.raw, value.display, value.color) == (raw, display, color)
    assert value.stale is False
    assert value.label


def test_last_commit_is_a_relative_age_coloured_by_age(resolve):
    value = resolve("github/pallets/flask", "last_commit")
    assert value.display == "3 days ago"
    assert value.color == "brightgreen"
    old = resolve("github/pallets/flask", "last_commit", branch="old")
    assert old.display == "a year ago"
    assert old.color == "orange"


def test_ci_status_workflow_and_branch(resolve, fake_upstream):
    assert resolve("github/pallets/flask", "ci_status", workflow="nightly.yml").display == "failing"
    assert fake_upstream.count(r"/actions/workflows/nightly\.yml/runs") == 1
    wip = resolve("github/pallets/flask", "ci_status", branch="wip")
    assert (wip.display, wip.color) == ("in progress", "yellow")
    with pytest.raises(NotFound):
        resolve("github/pallets/flask", "ci_status", workflow="missing.yml")


def test_activity_rank_uses_the_documented_formula(resolve):
    value = resolve("github/pallets/flask", "activity_rank")
    # 120 commits in 12 weeks, 12345 stars, 2345 forks, pushed 3 days ago
    expected = activity_rank(120, 12345, 2345, 3.0)
    assert value.raw == pytest.approx(expected, abs=0.2)
    assert value.display == rank_level(expected) == "A+"


def test_rank_formula_levels():
    assert rank_level(activity_rank(0, 0, 0, float("inf"))) == "C"
    assert activity_rank(0, 0, 0, float("inf")) == 100.0
    # everything at the medians and pushed today: (3*.5 + 2*.5 + .5 + 2*1)/8 = .625 -> 37.5
    assert activity_rank(50, 100, 20, 0) == 37.5
    assert rank_level(37.5) == "A-"
    assert rank_level(37.6) == "B+"


def test_empty_repository(resolve):
    assert resolve("github/empty/repo", "contributors").raw == 0  # 204
    assert resolve("github/empty/repo", "last_commit").display == "no commits"  # 409
    assert resolve("github/empty/repo", "release").display == "no releases"  # 404
    assert resolve("github/empty/repo", "license").display == "not specified"
    assert resolve("github/empty/repo", "ci_status").display == "no runs"
    assert resolve("github/empty/repo", "commit_frequency").color == "lightgrey"


def test_single_page_contributors_count_the_body(resolve):
    assert resolve("github/small/repo", "contributors").raw == 1


def test_missing_repository_is_not_found(resolve):
    with pytest.raises(NotFound) as info:
        resolve("github/missing/repo", "stars")
    assert info.value.message == "repo not found"
    with pytest.raises(NotFound):
        resolve("github/missing/repo", "release")


def test_commit_activity_202_is_computing(resolve, fake_upstream):
    fake_upstream.fail(r"/stats/commit_activity", status=202)
    value = resolve("github/pallets/flask", "commit_frequency")
    assert (value.display, value.color) == ("computing", "lightgrey")
    fake_upstream.heal()
    assert resolve("github/pallets/flask", "commit_frequency").display == "10/week"


def test_commit_activity_202_after_a_good_answer_serves_it_stale(resolve, fake_upstream):
    config = {"UPSTREAM_FRESH_SECONDS": 0}
    assert resolve("github/pallets/flask", "commit_frequency", config).display == "10/week"
    fake_upstream.fail(r"/stats/commit_activity", status=202)
    value = resolve("github/pallets/flask", "commit_frequency", config)
    assert (value.display, value.stale) == ("10/week", True)


def test_unknown_metric_and_bad_subjects(resolve):
    with pytest.raises(BadgeNotFound):
        resolve("github/pallets/flask", "nope")
    with pytest.raises(BadgeNotFound):
        resolve("github/pallets", "stars")
    with pytest.raises(InvalidParameter):
        resolve("github/pal lets/flask", "stars")
    with pytest.raises(InvalidParameter):
        resolve("github/../flask", "stars")
    with pytest.raises(InvalidParameter):
        resolve("github/pallets/flask", "ci_status", branch="x;rm")


def test_last_page_parsing():
    link = (
        '<https://x/y?per_page=1&page=2>; rel="next", <https://x/y?per_page=1&page=42>; rel="last"'
    )
    assert last_page(link) == 42
    assert last_page(None) is None
    assert last_page('<https://x/y?page=2>; rel="next"') is None


def test_fetched_at_comes_from_the_upstream_answer(resolve):
    first = resolve("github/pallets/flask", "stars")
    again = resolve("github/pallets/flask", "stars")
    assert again.fetched_at == first.fetched_at  # served from the cache


def test_a_badge_with_two_upstream_calls_shares_one_time_budget(resolve, fake_upstream):
    """open_issues needs /repos and /pulls: together they stay within one call's budget."""
    import time

    from badgeapp.errors import Inaccessible

    config = {"UPSTREAM_CONNECT_TIMEOUT": 0.1, "UPSTREAM_READ_TIMEOUT": 0.5, "UPSTREAM_RETRIES": 0}
    fake_upstream.fail("/github/", delay=0.4)  # each answer alone is within the read timeout
    started = time.monotonic()
    with pytest.raises(Inaccessible):
        resolve("github/pallets/flask", "open_issues", config)
    assert time.monotonic() - started < 0.6 + 0.1
    assert fake_upstream.received("/pulls") == 1


def test_expire_repo_makes_the_next_view_revalidate(resolve, fake_upstream, upstream_config):
    from badgeapp.providers.github import expire_repo

    for metric in ("stars", "open_prs", "ci_status", "contributors"):
        resolve("github/pallets/flask", metric)
    calls = fake_upstream.count("/github/")
    resolve("github/pallets/flask", "stars")
    assert fake_upstream.count("/github/") == calls  # fresh: no call
    assert expire_repo(upstream_config, "pallets", "flask") == 4  # repo, pulls, contributors, runs
    assert expire_repo(upstream_config, "other", "repo") == 0
    assert resolve("github/pallets/flask", "stars").display == "12k"
    assert fake_upstream.count("/github/", status=304) == 1  # revalidated, cheaply
    resolve("github/pallets/flask", "ci_status")
    assert fake_upstream.count("/github/", status=304) == 2
