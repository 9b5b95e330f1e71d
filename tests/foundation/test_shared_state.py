"""Shared state of the embedded default (badgeapp/state/): generation counters and rate limits
that every worker process of a host sees (issue 10 item 3)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from badgeapp.badges import invalidation
from badgeapp.state.generations import FileGenerations


def test_a_bump_in_one_store_is_seen_by_another_on_its_next_sync(tmp_path):
    one, two = FileGenerations(str(tmp_path)), FileGenerations(str(tmp_path))
    before = two.generation("quality:acme/widgets")
    epoch = two.epoch()
    one.bump("quality:acme/widgets")
    assert two.sync() == ["quality:acme/widgets"]
    assert two.generation("quality:acme/widgets") == before + 1
    assert two.epoch() != epoch
    assert two.sync() == []  # nothing new: one memory read, no rows
    one.bump("*")
    two.sync()
    assert two.generation("nice:abc") == 1  # "*" moves every scope


def _bump_in_child(folder: str) -> None:
    FileGenerations(folder).bump("nice:fromchild")


def test_another_process_invalidation_runs_listeners_here(tmp_path, app):
    seen: list[str] = []
    invalidation.on_invalidate(seen.append)
    with app.app_context():
        before = invalidation.generation("nice:fromchild")
        child = multiprocessing.get_context("spawn").Process(
            target=_bump_in_child, args=(app.instance_path,)
        )
        child.start()
        child.join(30)
        assert child.exitcode == 0
        assert invalidation.generation("nice:fromchild") == before + 1
    assert "nice:fromchild" in seen


def test_sqlite_limits_are_shared_by_two_storages(tmp_path):
    uri = f"badgeapp-sqlite:///{tmp_path / 'limits.db'}"
    one, two = storage_from_string(uri), storage_from_string(uri)
    item = parse("3/minute")
    moving_one, moving_two = MovingWindowRateLimiter(one), MovingWindowRateLimiter(two)
    hits = [moving_one.hit(item, "nice", "1.2.3.4"), moving_two.hit(item, "nice", "1.2.3.4")]
    hits += [moving_one.hit(item, "nice", "1.2.3.4"), moving_two.hit(item, "nice", "1.2.3.4")]
    assert hits == [True, True, True, False]
    assert moving_two.hit(item, "nice", "5.6.7.8")  # another visitor
    stats = moving_one.get_window_stats(item, "nice", "1.2.3.4")
    assert stats.remaining == 0
    fixed_one, fixed_two = FixedWindowRateLimiter(one), FixedWindowRateLimiter(two)
    assert [fixed_one.hit(item, "f"), fixed_two.hit(item, "f")] == [True, True]
    assert [fixed_one.hit(item, "f"), fixed_two.hit(item, "f")] == [True, False]
    one.reset()
    assert moving_two.hit(item, "nice", "1.2.3.4")


def test_redis_generations_are_shared_and_read_incrementally(redis_url, redis_prefix):
    import redis

    from badgeapp.state.generations import RedisGenerations

    client = redis.Redis.from_url(redis_url)
    one, two = RedisGenerations(client, redis_prefix), RedisGenerations(client, redis_prefix)
    one.bump("quality:a/b")
    two.sync()
    assert two.generation("quality:a/b") == 1
    one.bump("nice:x")
    assert two.sync() == ["nice:x"]  # only the scope changed since two last looked
    assert (two.generation("nice:x"), two.generation("quality:a/b")) == (1, 1)
    dead = redis.Redis(port=1, socket_connect_timeout=0.2)
    one.client = dead
    one.bump("nice:x")  # Redis away: counted locally, no exception
    assert one.generation("nice:x") == 2


OPENERS = 8
ROUNDS = 40


def _open_together(folder: str, barrier: multiprocessing.synchronize.Barrier, failures) -> None:
    """Open a fresh shared file per round at the same moment as the other processes."""
    for round_ in range(ROUNDS):
        barrier.wait()
        try:
            FileGenerations(f"{folder}/{round_}").bump("open:together")
        except Exception as error:  # reported to the parent
            failures.put(repr(error))


def test_workers_booting_together_all_open_a_new_shared_file(tmp_path):
    """gunicorn's workers boot at once and each opens the instance folder's SQLite files. Turning
    WAL on needs the exclusive lock, which SQLite refuses at once ("database is locked") to one of
    two processes doing it together; no worker may fail to boot for it."""
    context = multiprocessing.get_context("fork")
    barrier, failures = context.Barrier(OPENERS, timeout=60), context.Queue()
    for round_ in range(ROUNDS):
        (tmp_path / str(round_)).mkdir()
    openers = [
        context.Process(target=_open_together, args=(str(tmp_path), barrier, failures))
        for _ in range(OPENERS)
    ]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(120)
    assert [opener.exitcode for opener in openers] == [0] * OPENERS
    reported = []
    while not failures.empty():
        reported.append(failures.get())
    assert reported == []
    assert FileGenerations(str(tmp_path / "0")).generation("open:together") == OPENERS
