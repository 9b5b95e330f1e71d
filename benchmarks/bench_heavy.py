"""Worst cases of the heavy renders (issue 11 items 1 and 2): time and peak RSS against budgets.

Each case runs in a fresh process (so its peak RSS is its own) through Flask's test client:

- layered, the attack: 64 ImageLayers of 4096x4096 1-bit PNGs (was 4.3 GB RSS and 16.5 s CPU);
  refused from the images' headers;
- layered, the worst accepted: two 4096x4096 images (the whole ``LAYERED_MAX_DECODED_PIXELS``)
  drawn 600 units wide at scale_factor 4, plus text;
- compose, the attack: 20 items of 100 + 100 wide characters, ``format=png&scale=4`` (was
  176144x80 pixels in 8.8 s); refused by the text budget;
- compose, the worst accepted: 10 such items (2,000 characters), drawn at the scale that fits
  ``COMPOSE_MAX_PNG_PIXELS``, in a raster helper process (its peak RSS is reported too);
- a static PNG badge requested while four worst-case composites draw (was 25.4 s).

Prints one table: wall seconds, CPU seconds (the worker's plus the raster helper's: the budget is
on CPU, which a busy machine does not inflate as much as wall time; the static badge's budget is
on its wall time, the wait a user sees), peak RSS growth of the worker, the helper's peak RSS,
budgets and verdict. Exits 1 when a budget is missed.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024
WIDE = "W" * 100 + ":" + "W" * 100
#: case -> (seconds, peak RSS growth of the worker in MiB)
BUDGETS = {
    "layered attack (64 x 4096² 1-bit)": (0.5, 40),
    "layered worst accepted (2 x 4096², scale 4)": (3.0, 200),
    "compose attack (20 x 100:100, scale 4)": (0.5, 40),
    "compose worst accepted (10 x 100:100)": (3.0, 60),
    "static PNG while 4 composites draw": (0.5, 60),
}


def _kib(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _one_bit_png(seed: int) -> str:
    from PIL import Image

    image = Image.new("1", (4096, 4096), 0)
    image.putpixel((seed, seed), 1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _layered_body(count: int, size: int, scale: float) -> dict:
    layers: list[dict] = [
        {"type": "ImageLayer", "path": _one_bit_png(i), "size": size, "z": 20 + i}
        for i in range(count)
    ]
    if count <= 2:
        layers.append(
            {
                "type": "ShapeLayer",
                "shape": "circle",
                "fill": {"mode": "solid", "color": "#36c"},
                "params": {"radius": 250},
                "z": 10,
            }
        )
        layers.append(
            {
                "type": "TextLayer",
                "text": "Worst case accepted",
                "font": {"path": "Arial", "size": 48},
                "color": "#fff",
                "z": 40,
            }
        )
    return {"canvas": {"bg": "white", "scale_factor": scale}, "layers": layers}


def _app():
    from badgeapp import create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-heavy-"))
    (folder / "plugins").mkdir()
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "RATE_LIMIT_ENABLED": False,
        }
    )


def _compose(client, badges: list[str], scale: int = 4):
    query = {"badges": ",".join(badges), "format": "png", "scale": str(scale)}
    return client.get("/v2/compose", query_string=query)


def _helper_pids() -> list[int]:
    from badgeapp.render.raster import HEAVY_LANE

    return list(getattr(HEAVY_LANE._pool, "_processes", None) or {})


def _helper_peak() -> int:
    """Peak RSS of the raster helper processes (0 when none ran)."""
    return max((_kib(pid, "VmHWM") for pid in _helper_pids()), default=0)


def _helper_cpu() -> float:
    """CPU seconds the raster helper processes have used."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _helper_pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_case(name: str) -> dict:
    """Run one case in this (fresh) process; returns status, seconds and memory."""
    app = _app()
    client = app.test_client()
    # warm up: fonts, the render engine, the raster helper
    client.post("/api/badge/generate?format=png", json=_layered_body(0, 10, 1))
    _compose(client, ["warm:up"])
    _compose(client, ["warm" + WIDE[4:]] * 10)
    body = None
    if name.startswith("layered attack"):
        body = _layered_body(64, 50, 1)
    elif name.startswith("layered worst"):
        body = _layered_body(2, 600, 4)
    peak_before = _kib("self", "VmHWM")
    cpu_before = time.process_time() + _helper_cpu()
    started = time.perf_counter()
    if body is not None:
        response = client.post("/api/badge/generate?format=png", json=body)
        status = response.status_code
    elif name.startswith("compose attack"):
        status = _compose(client, [WIDE] * 20).status_code
    elif name.startswith("compose worst"):
        status = _compose(client, ["x" + WIDE[1:]] * 10).status_code
    else:
        threads = [
            threading.Thread(target=_compose, args=(app.test_client(), [t + WIDE[1:]] * 10))
            for t in "abcd"
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        started = time.perf_counter()
        status = client.get("/badge/build-passing-green.png").status_code
        seconds = time.perf_counter() - started
        for thread in threads:
            thread.join()
    if name.startswith(("layered", "compose")):
        seconds = time.perf_counter() - started
    return {
        "status": status,
        "seconds": seconds,
        "cpu": time.process_time() + _helper_cpu() - cpu_before,
        "peak_growth": _kib("self", "VmHWM") - peak_before,
        "helper_peak": _helper_peak(),
    }


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return 0
    header = (
        f"{'case':<46} {'status':>6} {'wall s':>7} {'CPU s':>6} {'budget':>7} {'RSS +MiB':>9} "
        f"{'budget':>7} {'helper MiB':>10}  verdict"
    )
    print(header)
    print("-" * len(header))
    missed = 0
    for name, (time_budget, rss_budget) in BUDGETS.items():
        done = subprocess.run(
            [sys.executable, __file__, "--case", name],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if done.returncode != 0:
            print(f"{name:<46} failed: {done.stderr.strip().splitlines()[-1:]}")
            missed += 1
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        growth = result["peak_growth"] / MiB
        helper = result["helper_peak"] / MiB
        measured = result["seconds"] if name.startswith("static") else result["cpu"]
        ok = measured <= time_budget and growth <= rss_budget
        missed += not ok
        print(
            f"{name:<46} {result['status']:>6} {result['seconds']:>7.2f} {result['cpu']:>6.2f} "
            f"{time_budget:>7.1f} "
            f"{growth:>9.1f} {rss_budget:>7} {helper:>10.1f}  {'meets' if ok else 'MISSES'}"
        )
    print(
        "\nBefore issue 11: layered attack 16.5 s and 4,305 MiB; compose attack 8.8 s a request; "
        "a static badge waited 25.4 s behind four composites."
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
