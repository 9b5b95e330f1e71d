"""Issue 11 items 11-15, 20 and 21 as a user or an attacker meets them: key scopes on the command
line, the access log, over-long URLs through real gunicorn, what /health tells the public,
nosniff on JSON, plugin name clashes, JSON 404s, and the command line's version and port."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
import requests
from defusedxml import ElementTree

from badgeapp import create_app
from badgeapp.access_log import RedactingLogger, redact
from badgeapp.cli import cli, run_defaults
from badgeapp.storage import apikeys, db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def admin_key(app) -> str:
    with db.session_scope(app) as session:
        return apikeys.create_key(session, "ops", ["admin"])[1]


# -- item 11: unknown scopes are refused where keys are made -------------------------------


def test_keys_create_refuses_an_unknown_scope_and_lists_the_valid_ones(runner):
    result = runner.invoke(cli, ["keys", "create", "--name", "ci", "--scope", "bogus"])
    assert result.exit_code != 0
    assert "bogus" in result.output
    for scope in apikeys.SCOPES.values():
        assert scope in result.output
    assert "bdg_" not in result.output  # no key was made


@pytest.mark.parametrize("scope", ["upload", "admin:everything", "buttons:x", "Upload:a/b"])
def test_scopes_without_their_target_or_with_a_stray_one_are_refused(scope):
    with pytest.raises(apikeys.InvalidScope, match="valid scopes are"):
        apikeys.normalise_scopes([scope])


def test_known_scopes_are_accepted(runner):
    result = runner.invoke(
        cli,
        ["keys", "create", "--name", "ci", "--scope", "upload:acme/*", "--scope", "buttons"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("bdg_")


def test_scope_targets_compare_in_any_case():
    assert apikeys.scope_allows(["upload:acme/widgets"], "upload:ACME/WIDGETS")
    assert apikeys.scope_allows(["upload:ACME/*"], "upload:acme/gadgets")
    assert not apikeys.scope_allows(["upload:acme/widgets"], "upload:acme/gadgets")


# -- item 12: the access log never holds a token ---------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "GET /badge/a-b-c?to%6Ben=ghp_SECRET HTTP/1.1",
        "GET /badge/a-b-c?%74%6F%6B%65%6E=ghp_SECRET HTTP/1.1",
        "GET /badge/a-b-c?TOKEN=ghp_SECRET&x=1 HTTP/1.1",
        "GET /badge/a-b-c?api%5Fkey=ghp_SECRET HTTP/1.1",
        "https://example.com/readme?token=ghp_SECRET",
        "GET /x?next=https%3A%2F%2Fa.example%2F%3Ftoken%3Dghp_SECRET HTTP/1.1",
        "GET /x?next=https%253A%252F%252Fa%252F%253Ftoken%253Dghp_SECRET HTTP/1.1",
    ],
)
def test_redact_after_decoding(line):
    assert "ghp_SECRET" not in redact(line)
    assert "[redacted]" in redact(line)


def test_innocent_lines_are_untouched():
    line = "GET /badge/build-passing-green?label=a%20b&style=flat HTTP/1.1"
    assert redact(line) == line


def test_every_logged_header_is_redacted():
    """gunicorn's atoms for a request with a token in a Referer, a custom header and a cookie."""
    from gunicorn.config import Config

    logger = RedactingLogger(Config())
    headers = [
        ("REFERER", "https://example.com/?token=ghp_SECRET"),
        ("X-ORIGINAL-URI", "/badge/x?to%6Ben=ghp_SECRET"),
        ("AUTHORIZATION", "Bearer bdg_12345678_SECRET"),
        ("COOKIE", "session=SECRET"),
        ("USER-AGENT", "curl/8"),
    ]
    req = types.SimpleNamespace(headers=headers)
    resp = types.SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/badge/x?to%6Ben=ghp_SECRET",
        "PATH_INFO": "/badge/x",
        "QUERY_STRING": "to%6Ben=ghp_SECRET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://example.com/?token=ghp_SECRET",
        "HTTP_AUTHORIZATION": "Bearer bdg_12345678_SECRET",
    }
    import datetime as dt

    # what the access-log format reads: any atom, by name, through the logger's wrapper
    atoms = logger.atoms_wrapper_class(logger.atoms(resp, req, environ, dt.timedelta(seconds=0.01)))
    leaked = {name: atoms[name] for name in atoms if "SECRET" in str(atoms[name])}
    assert not leaked, leaked
    line_format = "%(r)s %(f)s %({cookie}i)s %({HTTP_AUTHORIZATION}e)s"  # gunicorn's % format
    assert "SECRET" not in line_format % atoms
    assert atoms["{user-agent}i"] == "curl/8"
    assert atoms["f"] == "https://example.com/?token=[redacted]"


@pytest.mark.slow
def test_gunicorn_access_log_redacts_encoded_names_and_referers(serve_gunicorn):
    server = serve_gunicorn(workers=1, threads=2)
    requests.get(
        server.base_url + "/badge/a-b-green?to%6Ben=ghp_encodedsecret1",
        headers={"Referer": "https://example.com/page?token=ghp_referersecret2"},
        timeout=10,
    )
    deadline = time.monotonic() + 5
    while "a-b-green" not in server.log():
        assert time.monotonic() < deadline, server.log()[-2000:]
        time.sleep(0.1)
    log = server.log()
    assert "ghp_encodedsecret1" not in log and "ghp_referersecret2" not in log
    assert "[redacted]" in log


# -- item 13: an over-long URL meets the app's 414 badge, never gunicorn's HTML ---------------


def raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 GET over a plain socket (requests would refuse nothing, but this shows
    exactly what gunicorn answers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        # the server may answer and close before it has read everything
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return status, {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.slow
@pytest.mark.parametrize("query_bytes", [7_700, 8_191, 20_000])
def test_over_long_queries_get_the_414_badge_through_gunicorn(serve_gunicorn, query_bytes):
    """Past the app's limit (7,680), at gunicorn's line limit (8,190) and far beyond: always
    the ``invalid parameter`` badge with status 414, never an HTML page."""
    server = serve_gunicorn(workers=1, threads=2)
    port = int(server.base_url.rsplit(":", 1)[1])
    query = "label=" + "x" * (query_bytes - len("label="))
    assert len(query) == query_bytes
    status, headers, body = raw_get(port, "/badge/build-passing-green?" + query)
    assert status == 414
    assert headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(body)
    assert root.get("aria-label") == "invalid parameter"
    assert b"<html" not in body.lower()


@pytest.mark.slow
def test_a_query_under_the_limit_is_served(serve_gunicorn):
    server = serve_gunicorn(workers=1, threads=2)
    port = int(server.base_url.rsplit(":", 1)[1])
    status, _, body = raw_get(port, "/badge/build-passing-green?label=" + "x" * 7_500)
    assert status == 200, body[:300]


# -- item 14: the public /health tells a status, not where the services live ------------------


@pytest.fixture
def broken_services_app(app_config):
    return create_app(
        {
            **app_config,
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/secretdb?connect_timeout=1",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )


def test_public_health_holds_no_hosts_ports_or_names(broken_services_app, caplog):
    with caplog.at_level(logging.WARNING, logger="badgeapp.families.health"):
        response = broken_services_app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert set(body) == {"status", "version", "timestamp", "services"}
    assert body["services"] == {
        "cache": "unavailable",
        "database": "unavailable",
        "plugins": "operational",
        "github": "not configured",
    }
    text = json.dumps({key: value for key, value in body.items() if key != "timestamp"})
    for secret in ("127.0.0.1", ":1", "secretdb", "nobody", "6379", "5432"):
        assert secret not in text, secret
    assert "secretdb" in caplog.text or "127.0.0.1" in caplog.text  # operators have the log


def test_admin_key_sees_the_details(app, client):
    key = admin_key(app)
    body = client.get("/health", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert body["details"]["database"] == {"status": "operational", "backend": "sqlite"}
    assert body["details"]["plugins"]["clashes"] == []
    assert isinstance(body["services"]["database"], str)


def test_a_key_without_the_admin_scope_or_a_bad_key_sees_no_details(app, client):
    with db.session_scope(app) as session:
        uploader = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
    for header in (f"Bearer {uploader}", "Bearer bdg_00000000_" + "x" * 40, "Basic abc"):
        response = client.get("/health", headers={"Authorization": header})
        assert response.status_code == 200
        assert "details" not in response.get_json()


# -- item 15: nosniff everywhere; plugin name clashes are refused and reported ----------------


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/plugins/list",
        "/api/v1/badge/cache/stats",
        "/api/v1/badge/openapi.json",
        "/api/nothing-here",
        "/badge/build-passing-green",
        "/api/v1/reports/acme/widgets",
    ],
)
def test_every_response_says_nosniff(client, path):
    assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


def test_nosniff_on_a_post_error(client):
    response = client.post("/api/v1/reports/acme/widgets", data=b"x")
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"


PACKAGE_PLUGIN = """
from badgeapp import hookimpl
from badgeapp.plugins import FileProvider


@hookimpl
def badgeapp_providers():
    return [FileProvider("clash", lambda metric: "from-package", {"answer": "the package's"})]
"""


@pytest.fixture
def installed_clash_package(tmp_path, monkeypatch):
    """A pip-installed plugin named ``clash``: a module plus its dist-info with an entry point,
    on sys.path, as pip leaves it in site-packages."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "clash_pkg.py").write_text(PACKAGE_PLUGIN)
    info = site / "badgeapp_clash-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: badgeapp-clash\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[badgeapp]\nclash = clash_pkg\n")
    monkeypatch.syspath_prepend(str(site))
    return site


def test_a_drop_in_file_named_like_a_pip_plugin_is_refused_and_reported(
    app_config, installed_clash_package
):
    plugins = Path(app_config["BADGEAPP_PLUGINS_DIR"])
    (plugins / "clash.py").write_text('def get_metric(metric):\n    return "from-file"\n')
    app = create_app({**app_config, "LOAD_ENTRYPOINT_PLUGINS": True})
    client = app.test_client()
    rows = [r for r in client.get("/plugins/list").get_json()["plugins"] if r["name"] == "clash"]
    by_source = {row["source"]: row for row in rows}
    assert set(by_source) == {"package", "file"}
    assert by_source["package"]["error"] is None
    assert by_source["package"]["hooks"] == ["badgeapp_providers"]  # still registered
    assert by_source["package"]["clash"]
    assert "name clash" in by_source["file"]["error"]
    assert by_source["file"]["clash"]
    health = client.get("/health").get_json()
    assert health["services"]["plugins"] == "degraded"
    details = client.get(
        "/health", headers={"Authorization": f"Bearer {admin_key(app)}"}
    ).get_json()["details"]
    assert details["plugins"]["clashes"] == ["clash"]
    badge = client.get("/v2/badge/plugin/clash/answer")
    assert ElementTree.fromstring(badge.data).get("aria-label") == "answer: from-package"


def test_removing_the_clashing_file_keeps_the_package(app_config, installed_clash_package):
    plugins = Path(app_config["BADGEAPP_PLUGINS_DIR"])
    clash_file = plugins / "clash.py"
    clash_file.write_text('def get_metric(metric):\n    return "from-file"\n')
    app = create_app(
        {**app_config, "LOAD_ENTRYPOINT_PLUGINS": True, "PLUGINS_RELOAD_INTERVAL": 0.0001}
    )
    client = app.test_client()
    clash_file.unlink()
    time.sleep(0.01)
    rows = [r for r in client.get("/plugins/list").get_json()["plugins"] if r["name"] == "clash"]
    assert [(r["source"], r["error"], r["clash"]) for r in rows] == [("package", None, None)]
    assert client.get("/health").get_json()["services"]["plugins"] == "operational"
    badge = client.get("/v2/badge/plugin/clash/answer")
    assert ElementTree.fromstring(badge.data).get("aria-label") == "answer: from-package"


# -- item 20: ?format=json on an unknown badge path is a JSON 404 -----------------------------


@pytest.mark.parametrize("path", ["/badge/no/such/badge/here", "/v2/badge/nothing", "/nope"])
def test_format_json_on_an_unknown_path_is_the_json_404(client, path):
    response = client.get(path + "?format=json")
    assert response.status_code == 404
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["code"] == 404 and body["error"] and body["message"] and body["requestId"]
    image = client.get(path)
    assert image.status_code == 404 and image.content_type.startswith("image/svg+xml")


# -- item 21: the command line's version and port; the README says where commands live ------


def test_version_is_badgeapp_s():
    result = subprocess.run(
        [str(BIN / "badgeapp"), "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    import importlib.metadata

    assert first == f"badgeapp {importlib.metadata.version('badgeapp')}"


def test_run_defaults_follow_port_and_host():
    assert run_defaults({"PORT": "8123"}) == {"run": {"port": 8123}}
    assert run_defaults({"PORT": "8123", "HOST": "0.0.0.0"}) == {
        "run": {"port": 8123, "host": "0.0.0.0"}
    }
    assert run_defaults({}) == {}
    assert run_defaults({"PORT": "junk"}) == {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_badgeapp_run_listens_on_port(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
    }
    process = subprocess.Popen(
        [str(BIN / "badgeapp"), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/badge/run-ok-green", timeout=5)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "badgeapp run did not listen on PORT"
                time.sleep(0.2)
        assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_readme_says_where_the_commands_live():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/" in quick_start
    assert "source .venv/bin/activate" in quick_start or ". .venv/bin/activate" in quick_start
    command_line = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/" in command_line
