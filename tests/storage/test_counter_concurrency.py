"""Counts are never lost: concurrent increments from several processes, SQLite and PostgreSQL.

Four processes with five threads each (every thread with its own connection) add 50 each:
exactly +1,000. A fresh engine (a restarted server) then reads the same count.
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy.orm import Session

from badgeapp import create_app
from badgeapp.storage import buttons, db, migrate
from badgeapp.storage.db import make_engine

PROCESSES, THREADS, PER_THREAD = 4, 5, 50


def _increment_many(url: str, public_id: str, start: multiprocessing.synchronize.Event) -> None:
    """One worker process: THREADS threads, PER_THREAD atomic increments each."""
    engine = make_engine(url)
    errors: list[BaseException] = []
    start.wait(60)

    def run() -> None:
        try:
            for _ in range(PER_THREAD):
                with Session(engine) as session, session.begin():
                    assert buttons.increment(session, public_id) is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    if errors:
        raise SystemExit(f"{len(errors)} thread(s) failed: {errors[0]!r}")


def _run_workers(url: str, public_id: str) -> None:
    # spawn, not fork: a fork of this many-threaded test process can inherit a held lock
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_increment_many, args=(url, public_id, start), daemon=True)
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    try:
        for worker in workers:
            worker.join(120)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
    assert [w.exitcode for w in workers] == [0] * PROCESSES


def _check(app_config: dict, url: str) -> None:
    application = create_app({**app_config, "DATABASE_URL": url})
    migrate.upgrade(application)
    with db.session_scope(application) as session:
        public_id = buttons.create_button(session).public_id
        buttons.increment(session, public_id, by=7)
    db.dispose(application)

    _run_workers(url, public_id)

    restarted = create_app({**app_config, "DATABASE_URL": url})
    with db.session_scope(restarted) as session:
        assert buttons.get_count(session, public_id) == 7 + PROCESSES * THREADS * PER_THREAD
    db.dispose(restarted)


def test_concurrent_increments_sqlite(app_config, tmp_path):
    _check(app_config, f"sqlite:///{tmp_path / 'counts.db'}")


@pytest.mark.postgres
def test_concurrent_increments_postgres(app_config, postgres_url):
    _check(app_config, postgres_url)


def test_increment_of_an_unknown_button_changes_nothing(app):
    with db.session_scope(app) as session:
        assert buttons.increment(session, "missing") is None
        assert buttons.get_count(session, "missing") is None
