"""Shields' routes for the other services against the fake upstream: label, message, colour and
shields' error wording; retired routes' deprecation badge; the website check over safe fetch."""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake

from badgeapp.render.colors import to_svg_color
from badgeapp.shields import retired


class Up(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(503 if self.path.startswith("/down") else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Up)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def fake():
    with serve_fake() as server:
        yield server


@pytest.fixture(scope="module")
def client(make_module_app, fake):
    app = make_module_app(
        **fake.config(),
        REDIS_PREFIX=f"svc-{uuid.uuid4().hex[:8]}:",
        SAFE_FETCH_ALLOW_HOSTS="127.0.0.1",
        SAFE_FETCH_ALLOW_HTTP=True,
    )
    return app.test_client()


def badge(client, path: str):
    response = client.get(path)
    assert response.mimetype == "image/svg+xml", (path, response.data[:200])
    root = SafeET.fromstring(response.data)
    label, sep, message = root.get("aria-label").partition(": ")
    if not sep:
        label, message = "", label
    fills = [
        el.get("fill")
        for el in root.iter()
        if el.tag.endswith("rect") and el.get("fill", "").startswith("#")
    ]
    return label, message, fills[-1] if fills else None, response.status_code


CASES = [
    ("/nuget/v/Newtonsoft.Json", "nuget", "v13.0.3", "blue"),
    ("/nuget/vpre/Newtonsoft.Json", "nuget", "v13.0.4-beta1", "yellow"),
    ("/nuget/dt/Newtonsoft.Json", "downloads", "4.6G", "brightgreen"),
    ("/gem/v/rails", "gem", "v7.1.3", "blue"),
    ("/gem/dt/rails", "downloads", "457M", "brightgreen"),
    ("/gem/dv/rails/7.1.0", "downloads@7.1.0", "99k", "brightgreen"),
    ("/gem/dtv/rails", "downloads@latest", "1.2M", "brightgreen"),
    ("/gem/rt/rails", "rank", "42nd", "green"),
    ("/gem/rd/rails", "rank", "3rd daily", "brightgreen"),
    ("/crates/v/serde", "crates.io", "v1.0.215", "blue"),
    ("/crates/d/serde", "downloads", "346M", "brightgreen"),
    ("/crates/l/serde", "license", "MIT OR Apache-2.0", "blue"),
    ("/packagist/v/laravel/framework", "packagist", "v10.48.0", "blue"),
    ("/packagist/v/laravel/framework?include_prereleases", "packagist", "v11.0.0-RC1", "orange"),
    ("/packagist/dm/laravel/framework", "downloads", "12M/month", "brightgreen"),
    ("/packagist/dd/laravel/framework", "downloads", "457k/day", "brightgreen"),
    ("/packagist/dt/laravel/framework", "downloads", "457M", "brightgreen"),
    ("/packagist/l/laravel/framework", "license", "MIT", "green"),
    ("/packagist/php-v/laravel/framework", "php", "^8.1", "blue"),
    ("/pub/v/http", "pub", "v1.2.2", "blue"),
    ("/homebrew/v/wget", "homebrew", "v1.25.0", "blue"),
    ("/conda/vn/conda-forge/numpy", "conda", "v2.1.3", "blue"),
    ("/conda/v/conda-forge/numpy", "conda|conda-forge", "v2.1.3", "blue"),
    ("/maven-central/v/com.google.guava/guava", "maven-central", "v33.3.1-jre", "blue"),
    ("/maven-central/v/com.google.guava/guava/32", "maven-central", "v32.1.3-jre", "blue"),
    ("/docker/pulls/library/nginx", "docker pulls", "1.2G", "066da5"),
    ("/docker/pulls/_/nginx", "docker pulls", "1.2G", "066da5"),
    ("/docker/stars/library/nginx", "docker stars", "20k", "066da5"),
    ("/docker/v/library/nginx", "version", "1.27.3", "blue"),
    ("/docker/v/library/nginx?sort=semver", "version", "1.27.3", "blue"),
    ("/docker/image-size/library/nginx", "image size", "72.3 MB", "blue"),
    ("/docker/image-size/library/nginx/1.27", "image size", "72.3 MB", "blue"),
    ("/codecov/c/github/pallets/flask", "coverage", "91%", "green"),
    ("/codecov/c/gh/pallets/flask?flag=unit", "coverage", "76%", "yellow"),
    ("/codecov/c/github/pallets/flask/low", "coverage", "42%", "yellow"),
    ("/coveralls/github/lemurheavy/coveralls-ruby", "coverage", "89%", "yellowgreen"),
    ("/coveralls/lemurheavy/coveralls-ruby/main", "coverage", "89%", "yellowgreen"),
    ("/circleci/build/github/circleci/circleci-docs", "build", "passing", "brightgreen"),
    ("/circleci/build/gh/circleci/circleci-docs/broken", "build", "failing", "red"),
    ("/circleci/project/github/circleci/circleci-docs", "build", "passing", "brightgreen"),
    ("/circleci/build/circleci/circleci-docs", "build", "passing", "brightgreen"),
    ("/readthedocs/pip", "docs", "passing", "brightgreen"),
    ("/readthedocs/pip/broken", "docs", "failing", "red"),
    ("/gitlab/pipeline-status/gitlab-org/gitlab", "build", "passing", "brightgreen"),
    ("/gitlab/pipeline-status/gitlab-org/gitlab?branch=broken", "build", "failing", "red"),
    ("/gitlab/v/release/gitlab-org/gitlab", "release", "v17.5.2", "blue"),
    ("/gitlab/pipeline-status/group/sub/project", "build", "passing", "brightgreen"),
    ("/discord/102860784329052160", "chat", "1.2k online", "brightgreen"),
    ("/discord/102860784329052160.svg", "chat", "1.2k online", "brightgreen"),
    ("/gitter/room/nwjs/nw.js", "chat", "on gitter", "brightgreen"),
    ("/youtube/channel/subscribers/UC_x5XG1OV2P6uZZ5FSM9Ttw", "subscribers", "1.2M", "red"),
    ("/youtube/channel/views/UC_x5XG1OV2P6uZZ5FSM9Ttw", "views", "988M", "red"),
    ("/librariesio/dependents/npm/got", "dependents", "12k", "brightgreen"),
    ("/librariesio/dependent-repos/npm/got", "dependent repos", "678", "brightgreen"),
    ("/librariesio/sourcerank/npm/got", "sourcerank", "27", "brightgreen"),
    ("/librariesio/dependents/npm/@babel/core", "dependents", "12k", "brightgreen"),
    ("/librariesio/github/pallets/flask", "dependencies", "1 out of date", "orange"),
    ("/conda/dn/conda-forge/numpy", "downloads", "3.3k", "brightgreen"),
    ("/aur/version/yay", "aur", "v12.4.2-1", "blue"),
    ("/aur/version/stale", "aur", "v12.4.2-1", "orange"),
    ("/aur/votes/yay", "votes", "2.3k", "brightgreen"),
    ("/cocoapods/v/Alamofire", "pod", "v5.10.2", "blue"),
    ("/cocoapods/l/Alamofire", "license", "MIT", "green"),
    ("/cocoapods/p/Alamofire", "platform", "ios | osx | tvos", "lightgrey"),
    ("/hexpm/v/phoenix", "hex", "v1.7.14", "blue"),
    ("/hexpm/dt/phoenix", "downloads", "99M", "brightgreen"),
    ("/hexpm/l/phoenix", "license", "MIT", "green"),
    ("/bundlephobia/minzip/react", "minzipped size", "2.58 kB", "blue"),
    ("/bundlephobia/min/@babel/core/7.26.0", "minified size", "6.4 kB", "blue"),
    ("/appveyor/build/gruntjs/grunt", "build", "passing", "brightgreen"),
    ("/appveyor/ci/gruntjs/grunt/broken", "build", "failing", "red"),
    ("/codacy/grade/e27821fb6289410b8f58338c7e0bc686", "code quality", "A", "brightgreen"),
    ("/codacy/grade/e27821fb6289410b8f58338c7e0bc686/dev", "code quality", "B", "green"),
    ("/codacy/coverage/e27821fb6289410b8f58338c7e0bc686", "coverage", "87%", "yellowgreen"),
    ("/jsdelivr/npm/hm/jquery", "jsdelivr", "123M/month", "brightgreen"),
    ("/jsdelivr/npm/hw/@babel/core", "jsdelivr", "30M/week", "brightgreen"),
    ("/jsdelivr/gh/hd/jquery/jquery", "jsdelivr", "4.6M/day", "brightgreen"),
    ("/jsdelivr/npm/hy/jquery", "jsdelivr", "1.5G/year", "brightgreen"),
]


@pytest.mark.parametrize(("path", "label", "message", "colour"), CASES)
def test_route(client, path, label, message, colour):
    assert badge(client, path) == (label, message, to_svg_color(colour), 200)


ERRORS = [
    ("/nuget/v/missing", "nuget", "package not found", "red"),
    ("/gem/v/missing", "gem", "not found", "red"),
    ("/gem/dv/rails/0.0.1", "downloads", "version not found", "red"),
    ("/crates/v/missing", "crates.io", "not found", "red"),
    ("/packagist/v/missing/pkg", "packagist", "not found", "red"),
    ("/maven-central/v/com.missing/thing", "maven-central", "artifact not found", "red"),
    (
        "/maven-central/v/com.google.guava/guava/99",
        "maven-central",
        "version prefix not found",
        "red",
    ),
    (
        "/docker/image-size/library/nginx/nosuchtag",
        "image size",
        "repository or tag not found",
        "red",
    ),
    ("/codecov/c/github/missing/repo", "coverage", "repository not found", "red"),
    ("/readthedocs/missing", "docs", "project or version not found", "red"),
    ("/discord/1", "chat", "inaccessible", "lightgrey"),  # 403: the upstream layer's rule
    ("/discord/2", "chat", "invalid server", "red"),
    ("/discord/abc", "chat", "invalid server", "red"),
    ("/twitter/url", "tweet", "invalid query parameter: url", "red"),
    ("/aur/version/missing", "aur", "package not found", "red"),
    ("/codacy/grade/missing", "code quality", "project or branch not found", "red"),
    ("/jsdelivr/npm/hm/missing-pkg", "jsdelivr", "package not found", "red"),
    ("/bundlephobia/min/missing-pkg", "minified size", "package or version not found", "red"),
    ("/maven-metadata/v", "maven", "invalid query parameter: metadataUrl", "red"),
    (
        "/maven-metadata/v?metadataUrl=https%3A%2F%2F10.0.0.1%2Fm.xml",
        "maven",
        "address not allowed",
        "red",
    ),
]


@pytest.mark.parametrize(("path", "label", "message", "colour"), ERRORS)
def test_errors(client, path, label, message, colour):
    assert badge(client, path) == (label, message, to_svg_color(colour), 200)


def test_twitter_is_social_and_static(client):
    label, message, _, status = badge(client, "/twitter/follow/shields_io")
    assert (label, message, status) == ("Follow @shields_io", "", 200)
    assert badge(client, "/twitter/url?url=https%3A%2F%2Fshields.io")[:2] == ("Tweet", "")
    assert badge(client, "/twitter/url/https/shields.io")[:2] == ("Tweet", "")
    flat = badge(client, "/twitter/follow/shields_io?style=flat")
    assert flat[0] == "follow @shields_io"


def test_website_up_and_down(client, site):
    up = badge(client, f"/website?url={quote(site + '/ok', safe='')}")
    assert up[:3] == ("website", "up", to_svg_color("brightgreen"))
    down = badge(
        client,
        f"/website.svg?url={quote(site + '/down', safe='')}&down_message=offline&down_color=orange",
    )
    assert down[:3] == ("website", "offline", to_svg_color("orange"))
    refused = badge(client, "/website?url=https%3A%2F%2F169.254.169.254%2F")
    assert refused[:2] == ("website", "address not allowed")


@pytest.mark.parametrize("route", retired.ROUTES, ids=lambda r: r.example)
def test_retired_routes_answer_the_deprecation_badge(client, route):
    assert badge(client, route.example) == (
        route.label,
        "no longer available",
        to_svg_color("lightgrey"),
        200,
    )


def test_maven_metadata_reads_a_users_metadata_url_through_safe_fetch(client, fake):
    url = quote(f"{fake.url}/maven/com/google/guava/guava/maven-metadata.xml", safe="")
    assert badge(client, f"/maven-metadata/v?metadataUrl={url}") == (
        "maven",
        "v33.3.1-jre",
        to_svg_color("blue"),
        200,
    )
    path = f"/maven-metadata/v?metadataUrl={url}&versionPrefix=32&label=guava"
    assert badge(client, path)[:2] == ("guava", "v32.1.3-jre")


def test_website_legacy_path_form(client, site):
    host = site.removeprefix("http://")
    up = badge(client, f"/website-online-offline-blue-orange/http/{host}/ok")
    assert up[:3] == ("website", "online", to_svg_color("blue"))
    down = badge(client, f"/website-up--and--running-gone/http/{host}/down.svg")
    assert down[:3] == ("website", "gone", to_svg_color("red"))
    up = badge(client, f"/website-up--and--running-gone/http/{host}/ok")
    assert up[1] == "up-and-running"
