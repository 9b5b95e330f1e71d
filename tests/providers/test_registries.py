"""GitLab, Bitbucket, Docker Hub, PyPI, npm, YouTube and Twitter against the fake over HTTP."""

from __future__ import annotations

import pytest

from badgeapp.errors import BadgeNotFound, ImproperlyConfigured, InvalidParameter, NotFound


@pytest.mark.parametrize(
    ("path", "metric", "raw", "display", "color"),
    [
        ("gitlab/gitlab-org/gitlab", "stars", 4567, "4.6k", "blue"),
        ("gitlab/gitlab-org/gitlab", "forks", 890, "890", "blue"),
        ("gitlab/gitlab-org/gitlab", "open_issues", 12, "12", "yellow"),
        ("gitlab/gitlab-org/gitlab", "pipeline", "success", "passing", "brightgreen"),
        ("bitbucket/atlassian/python-bitbucket", "open_prs", 3, "3", "yellow"),
        ("bitbucket/atlassian/python-bitbucket", "open_issues", 0, "0", "brightgreen"),
        ("bitbucket/atlassian/python-bitbucket", "pipeline", "FAILED", "failing", "red"),
        ("bitbucket/atlassian/python-bitbucket", "size", 2345678, "2.35 MB", "blue"),
        ("dockerhub/library/nginx", "pulls", 1234567890, "1.2G", "blue"),
        ("dockerhub/library/nginx", "stars", 19876, "20k", "blue"),
        ("pypi/flask", "version", "3.1.0", "v3.1.0", "blue"),
        ("pypi/flask", "license", "BSD-3-Clause", "BSD-3-Clause", "green"),
        ("pypi/flask", "downloads_day", 1234567, "1.2M/day", "brightgreen"),
        ("pypi/flask", "downloads_week", 8765432, "8.8M/week", "brightgreen"),
        ("pypi/flask", "downloads_month", 34567890, "35M/month", "brightgreen"),
        ("npm/left-pad", "version", "1.3.0", "v1.3.0", "blue"),
        ("npm/left-pad", "license", "WTFPL", "WTFPL", "7cd958"),
        ("npm/left-pad", "downloads_day", 5, "5/day", "yellow"),
        ("npm/left-pad", "downloads_week", 3456789, "3.5M/week", "brightgreen"),
        ("npm/left-pad", "downloads_month", 0, "0/month", "red"),
        ("npm/@babel/core", "version", "7.26.0", "v7.26.0", "blue"),
        ("npm/@babel/core", "license", "MIT", "MIT", "green"),
        ("youtube/UC_x5XG1OV2P6uZZ5FSM9Ttw", "subscribers", 1234567, "1.2M", "red"),
        ("youtube/UC_x5XG1OV2P6uZZ5FSM9Ttw", "views", 987654321, "988M", "red"),
        ("twitter/jack", "followers", 6543210, "6.5M", "1da1f2"),
    ],
)
def test_metric_value_and_display(resolve, path, metric, raw, display, color):
    value = resolve(path, metric)
    assert (value.raw, value.display, value.color) == (raw, display, color)
    assert value.label


def test_pypi_python_versions_sorted_from_classifiers(resolve):
    value = resolve("pypi/flask", "python")
    assert value.display == "3.9 | 3.10 | 3.11 | 3.12 | 3.13"


def test_dockerhub_last_updated_is_an_age(resolve):
    value = resolve("dockerhub/library/nginx", "last_updated")
    assert (value.display, value.color) == ("a month ago", "yellowgreen")


def test_gitlab_pipeline_branch(resolve, fake_upstream):
    value = resolve("gitlab/gitlab-org/gitlab", "pipeline", branch="broken")
    assert (value.display, value.color) == ("failing", "red")
    assert fake_upstream.count(r"/gitlab/api/v4/projects/gitlab-org%2Fgitlab$") == 1


def test_npm_scoped_package_is_encoded_for_the_registry(resolve, fake_upstream):
    resolve("npm/@babel/core", "version")
    assert fake_upstream.count(r"/npm-registry/@babel%2Fcore/latest") == 1


@pytest.mark.parametrize(
    ("path", "metric", "key"),
    [
        ("youtube/UC_x5XG1OV2P6uZZ5FSM9Ttw", "subscribers", "YOUTUBE_API_KEY"),
        ("twitter/jack", "followers", "TWITTER_BEARER_TOKEN"),
    ],
)
def test_keyed_providers_without_a_key_are_improperly_configured(
    resolve, fake_upstream, path, metric, key
):
    with pytest.raises(ImproperlyConfigured) as info:
        resolve(path, metric, {key: ""})
    assert info.value.message == "improperly configured"
    assert fake_upstream.count() == 0  # no call without a key


@pytest.mark.parametrize(
    ("path", "metric"),
    [
        ("gitlab/missing/project", "stars"),
        ("bitbucket/missing/repo", "size"),
        ("dockerhub/missing/repo", "pulls"),
        ("pypi/missing", "version"),
        ("pypi/missing", "downloads_week"),
        ("npm/missing", "version"),
        ("npm/missing", "downloads_week"),
        ("youtube/missing", "views"),
        ("twitter/missing", "followers"),
    ],
)
def test_missing_subjects_are_not_found(resolve, path, metric):
    with pytest.raises(NotFound):
        resolve(path, metric)


def test_bad_subjects(resolve):
    with pytest.raises(BadgeNotFound):
        resolve("npm/a/b", "version")  # two parts without a scope
    with pytest.raises(InvalidParameter):
        resolve("pypi/-bad", "version")
    with pytest.raises(BadgeNotFound):
        resolve("dockerhub/nginx", "pulls")
    with pytest.raises(BadgeNotFound):
        resolve("pypi/flask", "stars")
