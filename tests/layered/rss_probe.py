"""Run one layered request in a fresh process and report its status, time and memory growth.

Usage: ``python rss_probe.py BODY.json [QUERY]``; prints one JSON line with ``status``,
``seconds``, ``peak_growth`` (growth of the peak RSS, bytes, over a warmed-up baseline),
``kept_growth`` (RSS still held after the request) and the error ``detail`` if any. The tests
and ``benchmarks/bench_heavy.py`` use it: memory can only be measured honestly in a process
that ran nothing else.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def main() -> None:
    from badgeapp import create_app

    body = Path(sys.argv[1]).read_bytes()
    query = sys.argv[2] if len(sys.argv) > 2 else "format=png"
    folder = Path(tempfile.mkdtemp())
    (folder / "plugins").mkdir()
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}",
            "REDIS_URL": None,
            "RATE_LIMIT": "10000/minute",
        }
    )
    client = app.test_client()
    text = {"type": "TextLayer", "text": "warm", "font": {"path": "a", "size": 20}, "z": 1}
    warm = {"layers": [text]}
    assert client.post("/api/badge/generate?format=png", json=warm).status_code == 200
    peak_before, rss_before = _status_kib("VmHWM"), _status_kib("VmRSS")
    started = time.perf_counter()
    response = client.post(
        f"/api/badge/generate?{query}", data=body, content_type="application/json"
    )
    seconds = time.perf_counter() - started
    result = {
        "status": response.status_code,
        "seconds": seconds,
        "peak_growth": _status_kib("VmHWM") - peak_before,
        "kept_growth": _status_kib("VmRSS") - rss_before,
        "detail": response.get_json()["detail"] if response.status_code != 200 else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
