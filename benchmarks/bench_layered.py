"""Benchmark of the layered badge generator: the spec's complete example at scale 1 and 2.

Prints the median and 90th-percentile milliseconds of (a) the compositor alone (validation,
drawing, PNG encoding) and (b) the whole ``POST /api/badge/generate`` through Flask's test client
(JSON parsing, base64 envelope). Target: median <= 30 ms at scale 1 for the whole request.
Exits 1 when the target is missed.
"""

from __future__ import annotations

import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from badgeapp import create_app  # noqa: E402
from badgeapp.builtin.assets import BUILTIN_ASSETS  # noqa: E402
from badgeapp.builtin.fonts import badgeapp_fonts  # noqa: E402
from badgeapp.layered import AssetLibrary, FontBook, parse_request, render_png  # noqa: E402
from badgeapp.layered.examples import COMPLETE_EXAMPLE  # noqa: E402
from badgeapp.storage import migrate  # noqa: E402

TARGET_MS = 30.0
ROUNDS = 60
WARMUP = 5


def measure(run: Callable[[], object]) -> tuple[float, float]:
    for _ in range(WARMUP):
        run()
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def example(scale: float) -> dict:
    body = copy.deepcopy(COMPLETE_EXAMPLE)
    body["canvas"]["scale_factor"] = scale
    return body


def main() -> int:
    fonts = FontBook(badgeapp_fonts())
    assets = AssetLibrary([BUILTIN_ASSETS])
    folder = tempfile.mkdtemp(prefix="bench-layered-")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": f"{folder}/instance",
            "BADGEAPP_PLUGINS_DIR": folder,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "RATE_LIMIT_ENABLED": False,
        }
    )
    migrate.upgrade(app)  # as `make run` does: analytics and storage have their tables
    client = app.test_client()
    rows = []
    for scale in (1, 2):
        body = example(scale)

        def library(body: dict = body) -> bytes:
            return render_png(parse_request(body), fonts, assets)

        def endpoint(body: dict = body) -> object:
            response = client.post("/api/badge/generate", json=body)
            assert response.status_code == 200, response.get_data(as_text=True)
            return response

        for name, run in (("compositor", library), ("POST /api/badge/generate", endpoint)):
            median, p90 = measure(run)
            rows.append((name, scale, median, p90))

    print(f"{'what':<28} {'scale':>5} {'median ms':>10} {'p90 ms':>8}")
    for name, scale, median, p90 in rows:
        print(f"{name:<28} {scale:>5} {median:>10.1f} {p90:>8.1f}")
    endpoint_scale1 = next(r[2] for r in rows if r[0].startswith("POST") and r[1] == 1)
    verdict = "meets" if endpoint_scale1 <= TARGET_MS else "MISSES"
    print(f"\nscale 1 request median {endpoint_scale1:.1f} ms: {verdict} {TARGET_MS:g} ms target")
    return 0 if endpoint_scale1 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
