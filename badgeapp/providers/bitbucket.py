"""The ``bitbucket`` provider: open pull requests and issues, pipeline result, repository size.

Subject: ``workspace/repo`` on ``BITBUCKET_API_URL`` (Bitbucket Cloud API 2.0); list
counts come from the ``size`` field of paginated answers.
"""

from __future__ import annotations

from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_RESULTS = {
    "SUCCESSFUL": ("passing", "brightgreen"),
    "FAILED": ("failing", "red"),
    "ERROR": ("error", "red"),
    "STOPPED": ("stopped", "lightgrey"),
    "EXPIRED": ("expired", "lightgrey"),
}


class BitbucketProvider(ApiProvider):
    """Repository metrics from Bitbucket Cloud."""

    name = "bitbucket"
    subject_parts = 2
    metrics = {
        "open_prs": "open pull requests",
        "open_issues": "open issues (new or open)",
        "pipeline": "result of the latest completed pipeline (?branch=)",
        "size": "repository size",
    }
    labels = {"open_prs": "open PRs", "open_issues": "open issues", "size": "repo size"}

    def _url(self, subject: tuple[str, ...], fetch: Fetcher, tail: str = "") -> str:
        ws, repo = subject
        return fetch.url("BITBUCKET_API_URL", f"/repositories/{ws}/{repo}{tail}")

    def metric_open_prs(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = fetch.json(
            self._url(subject, fetch, "/pullrequests"),
            params={"state": "OPEN", "pagelen": "1"},
            missing="repo not found",
        )
        n = number(data, "size")
        return Value(raw=n, display=display.metric(n), color=display.count_color(n))

    def metric_open_issues(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = fetch.json(
            self._url(subject, fetch, "/issues"),
            params={"q": '(state = "new" OR state = "open")', "pagelen": "1"},
            missing="repo not found",
        )
        n = number(data, "size")
        return Value(raw=n, display=display.metric(n), color=display.count_color(n))

    def metric_size(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(fetch.json(self._url(subject, fetch), missing="repo not found"), "size")
        return Value(raw=n, display=display.pretty_bytes(n), color="blue")

    def metric_pipeline(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        branch = fetch.ctx.args.get("branch")
        if not branch:
            repo = fetch.json(self._url(subject, fetch), missing="repo not found")
            branch = str(field(repo, "mainbranch", "name", kind=str))
        data = fetch.json(
            self._url(subject, fetch, "/pipelines/"),
            params={
                "sort": "-created_on",
                "pagelen": "5",
                "target.ref_name": branch,
                "fields": "values.state",
            },
            missing="repo not found",
        )
        for item in field(data, "values", kind=list):
            state = item.get("state") if isinstance(item, dict) else None
            if isinstance(state, dict) and state.get("name") == "COMPLETED":
                result = str(field(state, "result", "name", kind=str))
                text, color = _RESULTS.get(result, (result.lower(), "lightgrey"))
                return Value(raw=result, display=text, color=color, cache_seconds=30)
        return Value(raw=None, display="never built", color="lightgrey", cache_seconds=30)


@hookimpl
def badgeapp_providers() -> list[BitbucketProvider]:
    """Register the Bitbucket provider."""
    return [BitbucketProvider()]
