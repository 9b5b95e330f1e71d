"""The process's background thread: periodic tasks held weakly, stopped by ``False``."""

from __future__ import annotations

import gc
import os
import threading
import time

from badgeapp import background, create_app


class Ticker:
    def __init__(self, stop_after: int | None = None, fail: bool = False) -> None:
        self.calls = 0
        self.stop_after = stop_after
        self.fail = fail
        self.called = threading.Event()

    def tick(self) -> bool:
        self.calls += 1
        self.called.set()
        if self.fail:
            raise RuntimeError("boom")
        return self.stop_after is None or self.calls < self.stop_after


def wait_for(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_a_task_runs_until_it_returns_false():
    ticker = Ticker(stop_after=3)
    background.every(0.01, ticker.tick)
    assert wait_for(lambda: ticker.calls == 3)
    time.sleep(0.1)
    assert ticker.calls == 3


def test_a_failing_task_goes_on():
    ticker = Ticker(fail=True)
    background.every(0.01, ticker.tick)
    assert wait_for(lambda: ticker.calls >= 3)
    ticker.fail, ticker.stop_after = False, 0  # the next call stops it


def test_a_task_whose_object_is_gone_is_dropped():
    before = background.pending()
    ticker = Ticker()
    background.every(0.02, ticker.tick, first=0)
    assert ticker.called.wait(5)
    assert background.pending() >= before + 1
    del ticker
    gc.collect()
    assert wait_for(lambda: background.pending() <= before)


def test_apps_no_longer_used_leave_no_polling_behind(app_config):
    """A test's or a reloaded app's analytics and stored-theme polls end with the app."""
    before = background.pending()
    for _ in range(6):
        application = create_app({**app_config, "ANALYTICS_FLUSH_SECONDS": 0.05})
        client = application.test_client()
        assert client.get("/badge/a-b-green").status_code == 200
    assert background.pending() >= 2  # the latest app: analytics flush and stored-theme poll
    names = [thread.name for thread in threading.enumerate()]
    assert names.count("badgeapp-background") == 1
    del application, client
    gc.collect()
    # Of six apps' twelve tasks, most are gone: the shared flask_caching.Cache object keeps the
    # latest app until the next is made, and a captured log record's traceback may hold others.
    assert wait_for(lambda: background.pending() <= before + 6, seconds=10)


def test_a_forked_child_starts_with_no_tasks():
    ticker = Ticker()
    background.every(60, ticker.tick)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it inherited, then leave at once
        os.write(write, str(background.pending()).encode())
        os._exit(0)
    os.close(write)
    inherited = int(os.read(read, 16) or b"-1")
    os.waitpid(pid, 0)
    os.close(read)
    assert inherited == 0
    ticker.stop_after = 0


def test_an_apps_tasks_stop_once_its_database_is_disposed_of(app):
    from badgeapp.analytics.hooks import get_flusher
    from badgeapp.storage import db

    flusher = get_flusher(app)
    assert app.test_client().get("/badge/a-b-green").status_code == 200
    db.ping(app)  # the engine exists
    assert flusher._tick() is True and not db.is_disposed(app)
    db.dispose(app)
    assert db.is_disposed(app) and flusher._tick() is False
    db.ping(app)  # used again: a new engine, the app is live again
    assert not db.is_disposed(app)
