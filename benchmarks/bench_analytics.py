"""Benchmark: what analytics recording costs a cached badge.

The same app twice (``ANALYTICS_ENABLED`` true and false), each answering one cached badge
(``/v2/badge/custom?label=build&value=passing``, rendered once, then from the render cache)
through its WSGI app in this process. Rounds alternate between the two apps; each side's best
round is compared (the best round is the one least disturbed by other work on the machine).
Also measured alone: the recording itself (the ``after_request`` hook's dict increments) per
answer, against the time of one cached answer.

Exits 1 if recording costs 5% or more of a cached answer's time. The end-to-end comparison is
printed too; on a busy machine it swings by more than the cost being measured (both ways), so
the gate is the isolated measure.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from badgeapp import create_app  # noqa: E402
from badgeapp.analytics.hooks import get_flusher, record  # noqa: E402
from badgeapp.storage import migrate  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))
PATH = "/v2/badge/custom?label=build&value=passing"
LIMIT = 0.05


def make_app(folder: Path, enabled: bool):
    app = create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "REDIS_URL": None,
            "RATE_LIMIT_ENABLED": False,
            "ANALYTICS_ENABLED": enabled,
            "ANALYTICS_FLUSH_SECONDS": 5.0,  # the default
        }
    )
    migrate.upgrade(app)
    return app


def one_round(client) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.get(PATH)
        assert response.status_code == 200
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp) / name for name in ("on", "off")]
        for folder in folders:
            (folder / "plugins").mkdir(parents=True)
        on, off = make_app(folders[0], True), make_app(folders[1], False)
        clients = {"on": on.test_client(), "off": off.test_client()}
        for client in clients.values():  # warm: render once, import everything
            one_round(client)
        times: dict[str, list[float]] = {"on": [], "off": []}
        for i in range(ROUNDS):
            for name in ("off", "on") if i % 2 == 0 else ("on", "off"):
                times[name].append(one_round(clients[name]))
        best = {name: min(values) for name, values in times.items()}
        rate = {name: REQUESTS / seconds for name, seconds in best.items()}
        overhead = (best["on"] - best["off"]) / best["off"]

        flusher = get_flusher(on)
        with on.test_request_context(PATH):
            from flask import request

            request.blueprint  # noqa: B018 (resolve the endpoint once)
            on.preprocess_request()
            response = on.response_class(b"x")
            calls = REQUESTS * 10
            started = time.perf_counter()
            for _ in range(calls):
                record(flusher.recorder, flusher, response)
            per_record = (time.perf_counter() - started) / calls
        per_answer = best["off"] / REQUESTS
        share = per_record / per_answer
        flusher.stop()

    print(f"cached badge {PATH}, {REQUESTS} answers x {ROUNDS} rounds (best round)")
    print(f"{'analytics':<12}{'answers/s':>12}{'us/answer':>12}")
    for name in ("off", "on"):
        print(f"{name:<12}{rate[name]:>12.0f}{best[name] / REQUESTS * 1e6:>12.1f}")
    print(f"end-to-end cost of recording: {overhead * 100:+.2f}% of the time per answer")
    print(
        f"recording alone: {per_record * 1e6:.2f} us per answer = {share * 100:.2f}% "
        f"of a cached answer ({per_answer * 1e6:.1f} us)"
    )
    ok = share < LIMIT
    print("OK: under 5%" if ok else "FAIL: 5% or more")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
