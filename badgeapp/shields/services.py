"""Shields' routes for the other services: registries, CI, coverage, docs, chat, video, website.

Values come from provider plugins (``nuget``, ``gem``, ``dockerhub``, ``codecov``, ...); the few
routes shields answers without an upstream (gitter, twitter since its API closed) are static,
and ``website`` checks a user's URL through safe fetch.
"""

from __future__ import annotations

import dataclasses

import defusedxml.ElementTree as SafeET

from badgeapp.errors import InvalidParameter, InvalidResponse, NotFound
from badgeapp.net.cached import cached_fetch
from badgeapp.net.safefetch import SafeFetchError
from badgeapp.providers.base import Value

from . import formats
from .dynamic import fetch_error
from .routes import (
    BUILD,
    DOWNLOADS,
    LICENSE,
    OTHER,
    SOCIAL,
    VERSION,
    Call,
    Route,
    metric_route,
    route,
)

P = dict[str, str]
DOCKER_BLUE = "066da5"


# -- package registries ------------------------------------------------------------------


@route("nuget/:which(v|vpre)/:packageName", "nuget", "/nuget/v/Newtonsoft.Json", cache=VERSION)
def nuget_version(p: P, call: Call) -> Value:
    metric = "version_pre" if p["which"] == "vpre" else "version"
    return call.value("nuget", (p["packageName"],), metric)


def _gem_version_label(p: P, value: Value | None) -> str:
    if value is None:
        return "downloads"
    return f"downloads@{p.get('version') or 'latest'}"


@route("gem/:variant(dv|dtv)/:gem/:version?", _gem_version_label, "/gem/dv/rails/7.1.0",
       cache=DOWNLOADS)  # fmt: skip
def gem_version_downloads(p: P, call: Call) -> Value:
    if p.get("version") and p["version"] != "latest":
        return call.value("gem", (p["gem"],), "downloads_version", version=p["version"])
    return call.value("gem", (p["gem"],), "downloads_latest")


@route("gem/:period(rt|rd)/:gem", "rank", "/gem/rt/rails", cache=DOWNLOADS)
def gem_rank(p: P, call: Call) -> Value:
    metric = "rank_daily" if p["period"] == "rd" else "rank_total"
    return call.value("gem", (p["gem"],), metric)


_PACKAGIST = {"dm": "downloads_month", "dd": "downloads_day", "dt": "downloads_total"}


@route("packagist/:interval(dm|dd|dt)/:user/:repo", "downloads",
       "/packagist/dm/laravel/framework", cache=DOWNLOADS)  # fmt: skip
def packagist_downloads(p: P, call: Call) -> Value:
    return call.value("packagist", (p["user"], p["repo"]), _PACKAGIST[p["interval"]])


def _conda_label(p: P, value: Value | None) -> str:
    return f"conda|{p['channel']}" if p["variant"] == "v" else "conda"


@route("maven-central/v/:groupId/:artifactId/:versionPrefix?", "maven-central",
       "/maven-central/v/com.google.guava/guava", cache=VERSION)  # fmt: skip
def maven_central(p: P, call: Call) -> Value:
    return call.value(
        "maven-central", (p["groupId"], p["artifactId"]), "version", prefix=p.get("versionPrefix")
    )


_COCOAPODS = {"v": ("version", "pod"), "l": ("license", "license"), "p": ("platform", "platform")}


@route("cocoapods/:which(v|l|p)/:spec", lambda p, v: _COCOAPODS[p["which"]][1],
       "/cocoapods/v/Alamofire", cache=VERSION)  # fmt: skip
def cocoapods(p: P, call: Call) -> Value:
    return call.value("cocoapods", (p["spec"],), _COCOAPODS[p["which"]][0])


_HEX = {"v": ("version", "hex"), "dt": ("downloads", "downloads"), "l": ("license", "license")}


@route("hexpm/:which(v|dt|l)/:packageName", lambda p, v: _HEX[p["which"]][1],
       "/hexpm/v/phoenix", cache=VERSION)  # fmt: skip
def hexpm(p: P, call: Call) -> Value:
    return call.value("hexpm", (p["packageName"],), _HEX[p["which"]][0])


@route(
    r"^bundlephobia/(?P<format>min|minzip)/(?:(?P<scope>@[^/]+)/)?(?P<packageName>[^/@][^/]*)"
    r"(?:/(?P<version>[^/]+))?$",
    lambda p, v: "minified size" if p["format"] == "min" else "minzipped size",
    "/bundlephobia/minzip/react",
    cache=LICENSE,
    display="bundlephobia/:format(min|minzip)/:scope(@[^/]+)?/:packageName/:version?",
)
def bundlephobia(p: P, call: Call) -> Value:
    subject = (p["scope"], p["packageName"]) if p.get("scope") else (p["packageName"],)
    return call.value("bundlephobia", subject, p["format"], version=p.get("version"))


@route("maven-metadata/v", "maven", "/maven-metadata/v?metadataUrl=https%3A%2F%2Frepo1.maven.org"
       "%2Fmaven2%2Fcom%2Fgoogle%2Fguava%2Fguava%2Fmaven-metadata.xml", cache=VERSION)  # fmt: skip
def maven_metadata(p: P, call: Call) -> Value:
    """The last version of a maven-metadata.xml the user names, fetched through safe fetch."""
    url = call.args.get("metadataUrl")
    if not url:
        raise InvalidParameter("invalid query parameter: metadataUrl")
    try:
        body = cached_fetch(
            str(url), config=call.config, fresh=VERSION, max_bytes=256 * 1024, accept="*/*"
        ).result.body
    except SafeFetchError as exc:
        raise fetch_error(exc) from None
    try:
        root = SafeET.fromstring(body)
    except Exception:
        raise InvalidResponse("unparseable xml response") from None
    prefix = str(call.args.get("versionPrefix") or "")
    versions = [v.text or "" for v in root.iter("version") if (v.text or "").startswith(prefix)]
    if not versions:
        raise NotFound("version not found")
    version = versions[-1]
    return Value(
        raw=version,
        display=formats.addv(version),
        color=formats.version_color(version),
        cache_seconds=VERSION,
    )


_JSD = {"hd": "day", "hw": "week", "hm": "month", "hy": "year"}


@route(r"^jsdelivr/npm/(?P<period>hd|hw|hm|hy)/(?P<name>(?:@[^/]+/)?[^/]+)$", "jsdelivr",
       "/jsdelivr/npm/hm/jquery", cache=DOWNLOADS,
       display="jsdelivr/npm/:period(hd|hw|hm|hy)/:scope?/:packageName")  # fmt: skip
def jsdelivr_npm(p: P, call: Call) -> Value:
    return call.value("jsdelivr", ("npm", *p["name"].split("/")), f"hits_{_JSD[p['period']]}")


@route(r"^jsdelivr/gh/(?P<period>hd|hw|hm|hy)/(?P<name>[^/]+/[^/]+)$", "jsdelivr",
       "/jsdelivr/gh/hm/jquery/jquery", cache=DOWNLOADS,
       display="jsdelivr/gh/:period(hd|hw|hm|hy)/:user/:repo")  # fmt: skip
def jsdelivr_gh(p: P, call: Call) -> Value:
    return call.value("jsdelivr", ("gh", *p["name"].split("/")), f"hits_{_JSD[p['period']]}")


# -- docker ------------------------------------------------------------------------------


def _docker(p: P) -> tuple[str, str]:
    return ("library" if p["user"] == "_" else p["user"]), p["repo"]


@route("docker/pulls/:user/:repo", "docker pulls", "/docker/pulls/library/nginx", cache=SOCIAL,
       logo="docker")  # fmt: skip
def docker_pulls(p: P, call: Call) -> Value:
    return dataclasses.replace(call.value("dockerhub", _docker(p), "pulls"), color=DOCKER_BLUE)


@route("docker/stars/:user/:repo", "docker stars", "/docker/stars/library/nginx", cache=SOCIAL,
       logo="docker")  # fmt: skip
def docker_stars(p: P, call: Call) -> Value:
    return dataclasses.replace(call.value("dockerhub", _docker(p), "stars"), color=DOCKER_BLUE)


@route("docker/v/:user/:repo/:tag?", "version", "/docker/v/library/nginx", cache=VERSION)
def docker_version(p: P, call: Call) -> Value:
    return call.value("dockerhub", _docker(p), "version")


@route("docker/image-size/:user/:repo/:tag?", "image size", "/docker/image-size/library/nginx",
       cache=VERSION)  # fmt: skip
def docker_image_size(p: P, call: Call) -> Value:
    return call.value("dockerhub", _docker(p), "image_size", tag=p.get("tag"))


# -- CI, coverage, docs --------------------------------------------------------------------


@route(
    r"^coveralls/(?:(?P<vcs>github|bitbucket|gitlab)/)?(?P<user>[^/]+)/(?P<repo>[^/]+)"
    r"(?:/(?P<branch>.+))?$",
    "coverage",
    "/coveralls/github/lemurheavy/coveralls-ruby",
    display="coveralls/:vcsType(github|bitbucket|gitlab)?/:user/:repo/:branch*",
)
def coveralls(p: P, call: Call) -> Value:
    vcs = p.get("vcs") or "github"
    return call.value("coveralls", (vcs, p["user"], p["repo"]), "coverage", branch=p.get("branch"))


@route(
    r"^circleci/(?:build|project)/(?:(?P<vcs>github|gh|bitbucket|bb)/)?(?P<user>[^/]+)"
    r"/(?P<repo>[^/]+)(?:/(?P<branch>.+))?$",
    "build",
    "/circleci/build/github/circleci/circleci-docs",
    cache=BUILD,
    display="circleci/build/:vcsType(github|gh|bitbucket|bb)?/:user/:repo/:branch* "
    "(and legacy circleci/project/...)",
)
def circleci(p: P, call: Call) -> Value:
    vcs = p.get("vcs") or "github"
    return call.value("circleci", (vcs, p["user"], p["repo"]), "build", branch=p.get("branch"))


@route("gitlab/pipeline-status/:project+", "build", "/gitlab/pipeline-status/gitlab-org/gitlab",
       cache=BUILD)  # fmt: skip
def gitlab_pipeline(p: P, call: Call) -> Value:
    value = call.value("gitlab", tuple(p["project"].split("/")), "pipeline")
    if value.raw is None:
        return dataclasses.replace(value, display="no pipelines")
    text, color = formats.build_status(str(value.raw))
    return dataclasses.replace(value, display=text, color=color)


@route("gitlab/v/release/:project+", "release", "/gitlab/v/release/gitlab-org/gitlab",
       cache=VERSION)  # fmt: skip
def gitlab_release(p: P, call: Call) -> Value:
    return call.value("gitlab", tuple(p["project"].split("/")), "release_version")


# -- community -------------------------------------------------------------------------


@route("gitter/room/:user/:repo", "chat", "/gitter/room/nwjs/nw.js", cache=VERSION)
def gitter(p: P, call: Call) -> Value:
    return Value(raw=None, display="on gitter", color="brightgreen", cache_seconds=86400)


def _twitter_label(p: P, value: Value | None) -> str:
    return f"follow @{p['user']}" if "user" in p else "tweet"


@route("twitter/follow/:user", _twitter_label, "/twitter/follow/shields_io", cache=SOCIAL,
       logo="x", style="social")  # fmt: skip
def twitter_follow(p: P, call: Call) -> Value:
    return Value(raw=None, display="", color="blue", cache_seconds=86400)


@route(r"^twitter/url(?:/(?P<protocol>[^/]+)/(?P<host>.+))?$", _twitter_label,
       "/twitter/url?url=https%3A%2F%2Fshields.io", cache=SOCIAL, logo="x", style="social",
       display="twitter/url?url= (and legacy twitter/url/:protocol/:hostAndPath)")  # fmt: skip
def twitter_url(p: P, call: Call) -> Value:
    if not p.get("host") and not call.args.get("url"):
        raise InvalidParameter("invalid query parameter: url")
    return Value(raw=None, display="", color="blue", cache_seconds=86400)


@route("youtube/channel/:stat(subscribers|views)/:channelId", lambda p, v: p["stat"],
       "/youtube/channel/subscribers/UC_x5XG1OV2P6uZZ5FSM9Ttw", cache=SOCIAL,
       logo="youtube")  # fmt: skip
def youtube(p: P, call: Call) -> Value:
    return call.value("youtube", (p["channelId"],), p["stat"])


@route(
    r"^librariesio/(?P<kind>dependents|dependent-repos|sourcerank)/(?P<platform>[^/]+)"
    r"/(?P<package>(?:@[^/]+/)?[^/]+)$",
    lambda p, v: {"dependent-repos": "dependent repos"}.get(p["kind"], p["kind"]),
    "/librariesio/dependents/npm/got",
    cache=LICENSE,
    display="librariesio/:kind(dependents|dependent-repos|sourcerank)/:platform"
    "/:scope(@[^/]+)?/:packageName",
)
def librariesio(p: P, call: Call) -> Value:
    metric = p["kind"].replace("-", "_")
    return call.value("librariesio", (p["platform"], *p["package"].split("/")), metric)


# -- website -------------------------------------------------------------------------------


@route("website", "website", "/website?url=https%3A%2F%2Fshields.io", cache=OTHER)
def website(p: P, call: Call) -> Value:
    """Up when the URL answers below 400 through safe fetch; the user's words and colours."""
    url = call.args.get("url")
    if not url:
        raise InvalidParameter("invalid query parameter: url")
    args = call.args
    try:
        cached_fetch(
            str(url), config=call.config, fresh=60, max_bytes=16 * 1024, timeout=3.5, accept="*/*"
        )
        up = True
    except SafeFetchError as exc:
        if exc.reason in ("invalid url", "scheme not allowed"):
            raise InvalidParameter("invalid query parameter: url") from None
        if exc.reason == "address not allowed":
            raise InvalidParameter("address not allowed") from None
        up = exc.reason in ("too large", "too many redirects")
    if up:
        text, color = args.get("up_message") or "up", args.get("up_color") or "brightgreen"
    else:
        text, color = args.get("down_message") or "down", args.get("down_color") or "red"
    return Value(raw=up, display=str(text)[:100], color=str(color)[:100], cache_seconds=OTHER)


def _part(name: str) -> str:
    return rf"(?P<{name}>(?:[^-/]|--)+)"


@route(
    rf"^website-{_part('up_message')}-{_part('down_message')}"
    rf"(?:-{_part('up_color')}-{_part('down_color')})?/(?P<protocol>https?)/(?P<host>.+)$",
    "website",
    "/website-up-down-green-red/https/shields.io",
    cache=OTHER,
    display="website-:upMessage-:downMessage(-:upColor-:downColor)?/:protocol/:hostAndPath+",
)
def website_legacy(p: P, call: Call) -> Value:
    """Shields' older spelling of ``/website?url=``: words and colours in the path."""
    args = dict(call.args)
    for name in ("up_message", "down_message", "up_color", "down_color"):
        if p.get(name):
            args[name] = p[name].replace("--", "-")
    args["url"] = f"{p['protocol']}://{p['host']}"
    return website.handler({}, Call(args, call.config))


#: the routes whose handler only asks a provider for one metric (``metric_route``)
_ONE_METRIC: tuple[Route, ...] = (
    # package registries
    metric_route("nuget/dt/:packageName", "downloads", "/nuget/dt/Newtonsoft.Json",
                 "nuget", ("packageName",), "downloads", cache=DOWNLOADS),
    metric_route("gem/v/:gem", "gem", "/gem/v/rails", "gem", ("gem",), "version", cache=VERSION),
    metric_route("gem/dt/:gem", "downloads", "/gem/dt/rails",
                 "gem", ("gem",), "downloads", cache=DOWNLOADS),
    metric_route("crates/v/:crate", "crates.io", "/crates/v/serde",
                 "crates", ("crate",), "version", cache=VERSION),
    metric_route("crates/:which(d|dv)/:crate", "downloads", "/crates/d/serde",
                 "crates", ("crate",), "downloads", cache=DOWNLOADS),
    metric_route("crates/l/:crate", "license", "/crates/l/serde",
                 "crates", ("crate",), "license", cache=LICENSE),
    metric_route("packagist/v/:user/:repo", "packagist", "/packagist/v/laravel/framework",
                 "packagist", ("user", "repo"), "version", cache=VERSION),
    metric_route("packagist/l/:user/:repo", "license", "/packagist/l/laravel/framework",
                 "packagist", ("user", "repo"), "license", cache=LICENSE),
    metric_route("packagist/php-v/:user/:repo", "php", "/packagist/php-v/laravel/framework",
                 "packagist", ("user", "repo"), "php", cache=VERSION),
    metric_route("pub/v/:packageName", "pub", "/pub/v/http",
                 "pub", ("packageName",), "version", cache=VERSION),
    metric_route("homebrew/v/:formula", "homebrew", "/homebrew/v/wget",
                 "homebrew", ("formula",), "version", cache=VERSION),
    metric_route("conda/:variant(v|vn)/:channel/:pkg", _conda_label, "/conda/vn/conda-forge/numpy",
                 "conda", ("channel", "pkg"), "version", cache=VERSION),
    metric_route("conda/dn/:channel/:pkg", "downloads", "/conda/dn/conda-forge/numpy",
                 "conda", ("channel", "pkg"), "downloads", cache=DOWNLOADS),
    metric_route("aur/version/:packageName", "aur", "/aur/version/yay",
                 "aur", ("packageName",), "version", cache=VERSION),
    metric_route("aur/votes/:packageName", "votes", "/aur/votes/yay",
                 "aur", ("packageName",), "votes", cache=LICENSE),
    # CI, coverage, docs
    metric_route("codecov/c/:vcs(github|gh|bitbucket|bb|gl|gitlab)/:user/:repo/:branch*",
                 "coverage", "/codecov/c/github/pallets/flask", "codecov",
                 ("vcs", "user", "repo"), "coverage", passes=("branch",), logo="codecov"),
    metric_route("appveyor/:kind(build|ci)/:user/:repo/:branch*", "build",
                 "/appveyor/build/gruntjs/grunt", "appveyor", ("user", "repo"), "build",
                 passes=("branch",), cache=BUILD),
    metric_route("codacy/grade/:projectId/:branch*", "code quality",
                 "/codacy/grade/e27821fb6289410b8f58338c7e0bc686", "codacy", ("projectId",),
                 "grade", passes=("branch",)),
    metric_route("codacy/coverage/:projectId/:branch*", "coverage",
                 "/codacy/coverage/e27821fb6289410b8f58338c7e0bc686", "codacy", ("projectId",),
                 "coverage", passes=("branch",)),
    metric_route("readthedocs/:project/:version?", "docs", "/readthedocs/pip",
                 "readthedocs", ("project",), "docs", passes=("version",), cache=BUILD),
    # community
    metric_route("discord/:serverId", "chat", "/discord/102860784329052160",
                 "discord", ("serverId",), "online", logo="discord"),
    metric_route("librariesio/github/:user/:repo", "dependencies",
                 "/librariesio/github/pallets/flask", "librariesio", ("user", "repo"),
                 "dependencies", cache=LICENSE),
)  # fmt: skip

ROUTES: tuple[Route, ...] = (
    nuget_version, gem_version_downloads, gem_rank, packagist_downloads, cocoapods, hexpm,
    bundlephobia, maven_metadata, maven_central, docker_pulls, docker_stars, docker_version,
    docker_image_size, coveralls, circleci, gitlab_pipeline, gitlab_release, gitter,
    twitter_follow, twitter_url, youtube, librariesio, website, website_legacy, jsdelivr_npm,
    jsdelivr_gh, *_ONE_METRIC,
)  # fmt: skip
