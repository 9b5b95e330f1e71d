"""Abuse detection: enumeration of subjects is blocked; README bursts and camo are not."""

from __future__ import annotations

import pytest

from badgeapp import create_app
from badgeapp.security.abuse import EXTENSION, abuse_report
from badgeapp.security.abuse_store import MemoryAbuseStore, RedisAbuseStore, SqliteAbuseStore

CAMO = "github-camo (876de43e)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"


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


def get(client, path, address="203.0.113.7", agent=BROWSER):
    return client.get(path, environ_base={"REMOTE_ADDR": address}, headers={"User-Agent": agent})


def label_of(response) -> str:
    return response.get_data(as_text=True).split('aria-label="', 1)[1].split('"', 1)[0]


def test_enumeration_is_blocked(abuse_app):
    client = abuse_app.test_client()
    statuses = [
        get(client, f"/v2/badge/github/user{i}/repo{i}/stars").status_code for i in range(25)
    ]
    assert statuses[:21] == [200] * 21  # the 21st distinct subject triggers the block
    assert statuses[21:] == [429] * 4
    refused = get(client, "/v2/badge/github/user99/repo99/stars")
    assert refused.mimetype == "image/svg+xml"
    assert label_of(refused) == "429: rate limited"
    assert refused.headers["Cache-Control"] == "no-store"
    json_refusal = get(client, "/v2/badge/github/user98/repo98/stars.json")
    assert json_refusal.status_code == 429
    assert json_refusal.get_json()["error"] == "RateLimited"
    # warm subjects (cached answers) are still served to the blocked address
    assert get(client, "/v2/badge/github/user3/repo3/forks").status_code == 200
    # and other addresses are not affected
    assert get(client, "/v2/badge/github/user50/repo50/stars", "198.51.100.1").status_code == 200
    report = abuse_report(abuse_app)
    assert [b["address"] for b in report["blocks"]] == ["203.0.113.7"]
    assert report["events"][0]["subjects"] == 21
    assert report["counters"]["blocks"] == 1 and report["counters"]["refused"] >= 5


def test_readme_burst_is_not_blocked(abuse_app):
    """A README page: 40 badges (many metrics, several formats) of 3 subjects, loaded 5 times."""
    client = abuse_app.test_client()
    metrics = ["stars", "forks", "watchers", "open_issues", "license", "release", "size"]
    repos = ["pallets/flask", "pallets/click", "pallets/jinja"]
    for _ in range(5):
        for repo in repos:
            for metric in metrics:
                for suffix in ("", ".svg"):
                    response = get(client, f"/v2/badge/github/{repo}/{metric}{suffix}")
                    assert response.status_code == 200, (repo, metric)
            assert get(client, "/badge/build-passing-brightgreen").status_code == 200
    assert abuse_report(abuse_app)["blocks"] == []


def test_camo_is_never_blocked(abuse_app):
    client = abuse_app.test_client()
    for i in range(60):
        response = get(client, f"/v2/badge/github/camo{i}/repo/stars", "140.82.112.1", CAMO)
        assert response.status_code == 200
    assert abuse_report(abuse_app)["blocks"] == []
    assert abuse_report(abuse_app)["counters"]["exempt_cold"] == 60


def test_subjects_warmed_by_others_are_not_counted(abuse_app):
    client = abuse_app.test_client()
    for i in range(30):  # camo warms 30 subjects
        get(client, f"/v2/badge/github/warm{i}/repo/stars", "140.82.112.1", CAMO)
    for i in range(30):  # a browser then views the same 30: cheap, never counted
        assert get(client, f"/v2/badge/github/warm{i}/repo/stars").status_code == 200
    assert abuse_report(abuse_app)["blocks"] == []


def test_allow_listed_addresses_are_not_counted(app_config, fake_upstream):
    app = create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "ABUSE_MAX_SUBJECTS": 5,
            "ABUSE_ALLOW_ADDRESSES": "10.0.0.0/8",
        }
    )
    client = app.test_client()
    for i in range(10):
        assert get(client, f"/v2/badge/github/o{i}/r/stars", "10.1.2.3").status_code == 200
    assert abuse_report(app)["blocks"] == []


def test_block_expires_and_window_slides(abuse_app):
    detector = abuse_app.extensions[EXTENSION]
    now = [1_000_000.0]
    detector.clock = lambda: now[0]
    client = abuse_app.test_client()
    for i in range(20):  # 20 distinct subjects, one a minute: the window forgets the oldest
        assert get(client, f"/v2/badge/github/slow{i}/r/stars").status_code == 200
        now[0] += 60
    for i in range(20, 40):
        assert get(client, f"/v2/badge/github/slow{i}/r/stars").status_code == 200
        now[0] += 60
    assert abuse_report(abuse_app)["blocks"] == []
    for i in range(21):  # a burst: blocked
        get(client, f"/v2/badge/github/fast{i}/r/stars")
    assert get(client, "/v2/badge/github/fast99/r/stars").status_code == 429
    now[0] += 901  # the block has expired
    assert get(client, "/v2/badge/github/fast98/r/stars").status_code == 200
    assert abuse_report(abuse_app)["blocks"] == []


def test_unknown_routes_and_static_badges_are_not_counted(abuse_app):
    client = abuse_app.test_client()
    for i in range(40):
        assert get(client, f"/badge/x{i}-y-green").status_code == 200
        assert get(client, f"/v2/badge/nosuchprovider/o{i}/r/stars").status_code == 404
        assert get(client, f"/v2/badge/github/o{i}/r/nosuchmetric").status_code == 404
    assert abuse_report(abuse_app)["counters"].get("counted", 0) == 0


def test_detection_can_be_switched_off(app_config, fake_upstream):
    app = create_app(
        {**app_config, **fake_upstream.config(), "ABUSE_DETECTION": False, "ABUSE_MAX_SUBJECTS": 1}
    )
    client = app.test_client()
    for i in range(5):
        assert get(client, f"/v2/badge/github/off{i}/r/stars").status_code == 200
    assert abuse_report(app)["enabled"] is False


def test_invalid_allow_list_stops_start_up(app_config):
    from badgeapp import ConfigError

    with pytest.raises(ConfigError, match="ABUSE_ALLOW_ADDRESSES"):
        create_app({**app_config, "ABUSE_ALLOW_ADDRESSES": "not-an-address"})


def _exercise(store):
    assert not store.is_warm("github/a/b", 100.0)
    store.mark_warm("github/a/b", 100.0, 10)
    assert store.is_warm("github/a/b", 105.0) and not store.is_warm("github/a/b", 111.0)
    for i in range(5):
        assert store.note_subject("1.2.3.4", f"s{i}", 100.0 + i, 60, cap=4) == min(i + 1, 4)
    assert store.note_subject("1.2.3.4", "s0", 106.0, 60, cap=4) == 4  # same subject again
    assert store.note_subject("1.2.3.4", "s9", 200.0, 60, cap=4) == 1  # the window slid
    store.block("1.2.3.4", 200.0, 300.0, 4)
    assert store.blocked_until("1.2.3.4", 250.0) == 300.0
    assert store.blocked_until("1.2.3.4", 301.0) is None
    assert [b["address"] for b in store.blocks(250.0)] == ["1.2.3.4"]
    assert store.blocks(301.0) == []
    assert store.events(10)[0]["subjects"] == 4
    store.incr("blocks")
    store.incr("blocks")
    assert store.counters()["blocks"] == 2


def test_memory_store():
    _exercise(MemoryAbuseStore())


def test_sqlite_store_is_shared_by_processes(tmp_path):
    import multiprocessing

    path = str(tmp_path / "security.sqlite3")
    _exercise(SqliteAbuseStore(path))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.starmap(_note_in_process, [(path, f"p{i}") for i in range(6)])
    assert sorted(counts) == [1, 2, 3, 4, 5, 6]


def _note_in_process(path: str, subject: str) -> int:
    return SqliteAbuseStore(path).note_subject("9.9.9.9", subject, 1000.0, 60, cap=100)


@pytest.mark.redis
def test_redis_store(redis_url, redis_prefix):
    _exercise(RedisAbuseStore(redis_url, redis_prefix + "abuse:"))


@pytest.mark.redis
def test_enumeration_blocked_across_apps_sharing_redis(
    app_config, fake_upstream, redis_url, redis_prefix
):
    config = {
        **app_config,
        **fake_upstream.config(),
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "ABUSE_MAX_SUBJECTS": 10,
    }
    first, second = create_app(config).test_client(), create_app(config).test_client()
    for i in range(11):  # alternate between two "workers"
        get(first if i % 2 else second, f"/v2/badge/github/r{i}/x/stars")
    assert get(first, "/v2/badge/github/r50/x/stars").status_code == 429
    assert get(second, "/v2/badge/github/r51/x/stars").status_code == 429


def test_json_clients_enumerating_missing_repos_are_counted(abuse_app, fake_upstream):
    """Missing repositories cost upstream calls too: a 404 JSON answer is still counted."""
    fake_upstream.fail(r"/repos/gone", status=404)
    client = abuse_app.test_client()
    for i in range(21):
        response = get(client, f"/v2/badge/github/gone{i}/repo/stars.json")
        assert response.status_code == 404 and response.get_json()["error"] == "NotFound"
    assert get(client, "/v2/badge/github/gone99/repo/stars.json").status_code == 429
