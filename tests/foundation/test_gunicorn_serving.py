"""Real gunicorn, default config, two workers, no Redis (issue 10 "Done when", issue 11 item 3):
README-style traffic from one address is never refused, and every worker shows one state."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from badgeapp import create_app
from badgeapp.storage import apikeys, db, migrate


@pytest.fixture(scope="module")
def served(tmp_path_factory, serve_gunicorn):
    """gunicorn with the default limits (RATE_LIMIT, QUALITY_RATE_LIMIT, NICE_LIMIT=1/hour),
    2 workers, the fake upstream; returns (base URL, upload key, fake upstream)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "upstream"))
    from fake_upstream import serve_fake

    folder = tmp_path_factory.mktemp("served")
    (folder / "plugins").mkdir()
    with serve_fake() as fake:
        config = {
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
            "DATABASE_URL": f"sqlite:///{folder / 'badges.db'}",
            "REDIS_URL": "",
            "NICE_OPEN_CREATE": "true",
            **fake.config(),
        }
        setup = create_app({**config, "REDIS_URL": None})
        migrate.upgrade(setup)
        with db.session_scope(setup) as session:
            key = apikeys.create_key(session, "ci", ["upload:acme/widgets"])[1]
        db.dispose(setup)
        server = serve_gunicorn(
            workers=2,
            BADGEAPP_INSTANCE_PATH=config.pop("INSTANCE_PATH"),
            RATE_LIMIT="100/minute",  # the defaults, not the fixture's generous one
            NICE_LIMIT="1/hour",
            **config,
        )
        time.sleep(1.0)  # the second worker finishes booting
        yield server.base_url, key, fake


@pytest.mark.slow
def test_five_thousand_badge_requests_from_one_address_are_all_right(served):
    base, key, _ = served
    auth = {"Authorization": f"Bearer {key}"}
    upload = requests.post(
        f"{base}/api/v1/reports/acme/widgets", json={"coverage": 64.2}, headers=auth, timeout=10
    )
    assert upload.status_code == 201, upload.text
    urls = {
        "/badge/build-passing-brightgreen": b"passing",
        "/v2/badge/pypi/flask/version": b"v3",
        "/v2/badge/github/pallets/flask/stars": b"12k",
        "/api/v1/badge/coverage/acme/widgets": b"64.2%",
    }
    plan = [path for _ in range(1250) for path in urls]
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=16)
    session.mount("http://", adapter)

    def view(path: str) -> tuple[str, int, bytes]:
        response = session.get(base + path, headers={"Accept": "image/*"}, timeout=30)
        return path, response.status_code, response.content

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(view, plan))
    assert time.monotonic() - started < 60  # "in a minute"
    wrong = [(p, s) for p, s, body in answers if s != 200 or urls[p] not in body]
    assert not wrong, wrong[:5]
    assert all(b"rate limited" not in body for _, _, body in answers)


@pytest.mark.slow
def test_an_upload_is_seen_by_the_next_twenty_views(served):
    base, key, _ = served
    auth = {"Authorization": f"Bearer {key}"}
    url = f"{base}/api/v1/badge/coverage/acme/widgets?label=fresh"
    requests.post(f"{base}/api/v1/reports/acme/widgets", json={"coverage": 64.2}, headers=auth)
    for _ in range(8):  # both workers hold the old value now
        assert b"64.2%" in requests.get(url, timeout=10).content
    upload = requests.post(
        f"{base}/api/v1/reports/acme/widgets", json={"coverage": 70}, headers=auth, timeout=10
    )
    assert upload.status_code == 201
    with ThreadPoolExecutor(4) as pool:  # spread over the workers
        views = list(pool.map(lambda _: requests.get(url, timeout=10).content, range(20)))
    assert [b"70%" in body for body in views] == [True] * 20


@pytest.mark.slow
def test_three_nices_from_one_address_count_once(served):
    base, _, _ = served
    created = requests.post(f"{base}/api/buttons", timeout=10)
    assert created.status_code == 201, created.text
    public_id = created.json()["publicId"]
    with ThreadPoolExecutor(3) as pool:
        statuses = sorted(
            pool.map(
                lambda _: (
                    requests.post(f"{base}/api/buttons/{public_id}/nice", timeout=10).status_code
                ),
                range(3),
            )
        )
    assert statuses == [200, 429, 429]
    counts = {
        requests.get(f"{base}/api/buttons/{public_id}", timeout=10).json()["count"]
        for _ in range(6)
    }
    assert counts == {1}
    badges = {requests.get(f"{base}/badge/{public_id}.svg", timeout=10).content for _ in range(6)}
    assert len(badges) == 1 and b">1<" in next(iter(badges))
