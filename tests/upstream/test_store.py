"""Both stores behind one interface: entries, records and owner-only locks."""

from __future__ import annotations

import time

import pytest

from badgeapp.upstream.cache import Entry


def entry(body: bytes = b'{"a": 1}') -> Entry:
    return Entry(200, body, {"link": "<x>"}, '"e1"', "Wed, 21 Oct 2015 07:28:00 GMT", 1.5)


def test_entry_round_trip(any_store):
    any_store.put("k", entry(b"\x00\xffbinary"), 60)
    got = any_store.get("k")
    assert got == entry(b"\x00\xffbinary")
    assert any_store.get("other") is None


def test_entries_expire(any_store):
    any_store.put("k", entry(), 0.05)
    time.sleep(0.1)
    assert any_store.get("k") is None


def test_records(any_store):
    any_store.put_record("r", {"remaining": 3, "reset": 10.0}, 60)
    assert any_store.get_record("r") == {"remaining": 3, "reset": 10.0}
    assert any_store.get_record("nope") is None


def test_lock_is_exclusive_and_released_only_by_its_owner(any_store):
    assert any_store.acquire("l", "me", 5)
    assert not any_store.acquire("l", "you", 5)
    assert any_store.is_locked("l")
    any_store.release("l", "you")  # not the owner: no effect
    assert any_store.is_locked("l")
    any_store.release("l", "me")
    assert not any_store.is_locked("l")
    assert any_store.acquire("l", "you", 5)


def test_lock_expires(any_store):
    assert any_store.acquire("l", "me", 0.05)
    time.sleep(0.1)
    assert not any_store.is_locked("l")
    assert any_store.acquire("l", "you", 5)


def test_memory_store_is_bounded():
    from badgeapp.upstream.cache import MemoryStore

    store = MemoryStore(max_entries=10)
    for i in range(25):
        store.put(f"k{i}", entry(), 60)
    assert store.get("k0") is None
    assert store.get("k24") is not None


@pytest.mark.redis
def test_redis_keys_carry_the_prefix(redis_store):
    redis_store.put("k", entry(), 60)
    keys = [k.decode() for k in redis_store.client.scan_iter(match=redis_store.prefix + "*")]
    assert keys == [redis_store.prefix + "e:k"]


def test_redis_down_falls_back_to_the_process_store(fake_upstream):
    """An unreachable Redis degrades to per-process state instead of breaking badges."""
    import socket

    from badgeapp.upstream.cache import RedisStore
    from badgeapp.upstream.service import Upstream

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = RedisStore(f"redis://127.0.0.1:{port}/0", prefix="down:")
    up = Upstream(store)
    url = f"{fake_upstream.url}/pypi-org/pypi/flask/json"
    assert up.get(url).json()["info"]["version"] == "3.1.0"
    assert up.get(url).status == 200
    assert fake_upstream.count("/pypi-org/") == 1  # the fallback store cached it
    assert store.acquire("l", "me", 5) and not store.acquire("l", "you", 5)
