"""Webhook replays across workers without Redis: delivery ids live in the instance folder."""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing
import time
import uuid

import pytest

from badgeapp import create_app
from badgeapp.badges.invalidation import generation, scope_of
from badgeapp.webhooks.deliveries import SqliteDeliveries, deliveries_for

SECRET = "It's a Secret to Everybody"
BODY = json.dumps({"ref": "refs/heads/main", "repository": {"full_name": "pallets/flask"}})


def delivery(client, delivery_id=None):
    """One signed push delivery for pallets/flask."""
    body = BODY.encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature,
        "Content-Type": "application/json",
    }
    return client.post("/webhook/github", data=body, headers=headers)


@pytest.fixture
def two_workers(app_config, fake_upstream):
    """Two apps over one instance folder and database, as two gunicorn workers are."""
    config = {**app_config, **fake_upstream.config(), "GITHUB_WEBHOOK_SECRET": SECRET}
    return create_app(config), create_app(config)


def test_a_delivery_handled_by_one_worker_is_a_duplicate_for_the_other(two_workers):
    first, second = two_workers
    assert deliveries_for(first) is not deliveries_for(second)  # nothing shared in memory
    scope = scope_of("github", "pallets", "flask")
    before = generation(scope)
    delivery_id = str(uuid.uuid4())

    handled = delivery(first.test_client(), delivery_id=delivery_id)
    replayed = delivery(second.test_client(), delivery_id=delivery_id)

    assert handled.status_code == replayed.status_code == 200
    assert "duplicate" not in handled.json
    assert replayed.json["duplicate"] is True
    assert generation(scope) == before + 1
    # a new delivery is still handled by either
    fresh = delivery(second.test_client())
    assert "duplicate" not in fresh.json
    assert generation(scope) == before + 2


def _worker(config: dict, delivery_id: str, results) -> None:
    """Another worker process: its own app over the same instance folder."""
    response = delivery(create_app(config).test_client(), delivery_id=delivery_id)
    results.put((response.status_code, response.get_json()))


def test_a_delivery_handled_in_another_process_is_a_duplicate_here(app_config, fake_upstream):
    config = {**app_config, **fake_upstream.config(), "GITHUB_WEBHOOK_SECRET": SECRET}
    delivery_id = str(uuid.uuid4())
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_worker, args=(config, delivery_id, results), daemon=True)
    worker.start()
    status, body = results.get(timeout=60)
    worker.join(timeout=20)
    assert status == 200 and "duplicate" not in body

    replayed = delivery(create_app(config).test_client(), delivery_id=delivery_id)
    assert replayed.status_code == 200
    assert replayed.json["duplicate"] is True


def test_the_ids_are_kept_in_the_instance_folder(two_workers):
    first, _ = two_workers
    delivery(first.test_client(), delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958")
    store = deliveries_for(first)
    assert isinstance(store, SqliteDeliveries)
    assert store.path.startswith(first.instance_path)


def test_an_expired_id_can_be_claimed_again(tmp_path):
    store = SqliteDeliveries(str(tmp_path / "webhooks.sqlite3"))
    assert store.claim("abc", 0.05)
    assert not store.claim("abc", 0.05)
    time.sleep(0.1)
    assert store.claim("abc", 60)
    assert not SqliteDeliveries(store.path).claim("abc", 60)


def _claim(path: str, delivery_id: str, start, results) -> None:
    store = SqliteDeliveries(path)
    start.wait()
    results.put(store.claim(delivery_id, 60))


def test_racing_processes_claim_an_id_once(tmp_path):
    path = str(tmp_path / "webhooks.sqlite3")
    SqliteDeliveries(path)
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_claim, args=(path, "race-1", start, results), daemon=True)
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    start.set()
    won = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=20)
    assert won.count(True) == 1


def test_an_unusable_file_handles_the_delivery_rather_than_failing(tmp_path):
    store = SqliteDeliveries(str(tmp_path / "webhooks.sqlite3"))
    store._conn().execute("DROP TABLE deliveries")  # e.g. the file was replaced meanwhile
    assert store.claim("abc", 60) is True
    assert store.claim("abc", 60) is True  # no memory, but never a 500
