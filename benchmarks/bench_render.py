"""Benchmark of the badge engine: badges per second beside pybadges, anybadge and badge-maker.

Three measures, each over distinct badges (every label and message differs, so no cache helps):
``flat`` badges, ``all styles`` (round robin over the five), and ``with logo``. Our engine and
the Python peers run in this process; badge-maker 6.0.0 runs under node (installed with npm into
``benchmarks/.peers/badge-maker/``), timed inside node after a warm-up pass. Target: at least twice
badge-maker's rate for distinct flat badges. Exits 1 when the target is missed.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
from collections.abc import Callable

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from badgeapp.render import STYLES, BadgeSpec, render_svg  # noqa: E402
from badgeapp.render.logos import resolve_logo  # noqa: E402

N = int(os.environ.get("BENCH_BADGES", "20000"))
PEERS = ROOT / "benchmarks" / ".peers" / "badge-maker"
ORACLE = ROOT / "tests" / "render" / "badge_maker_oracle.mjs"
TARGET = 2.0


def texts(i: int) -> tuple[str, str]:
    return f"build {i}", f"passing {i * 7 % 100003}"


def rate(run: Callable[[int], object], count: int = N) -> float:
    """Badges per second of ``run(i)`` for i in range(count), after a short warm-up."""
    for i in range(count, count + 500):
        run(i)
    start = time.perf_counter()
    for i in range(count):
        run(i)
    return count / (time.perf_counter() - start)


def ours() -> dict[str, float]:
    logo = "github"

    def flat(i: int) -> str:
        label, message = texts(i)
        return render_svg(BadgeSpec(label=label, message=message, color="green"))

    def styles(i: int) -> str:
        label, message = texts(i)
        spec = BadgeSpec(label=label, message=message, color="green", style=STYLES[i % 5])
        return render_svg(spec)

    def with_logo(i: int) -> str:
        label, message = texts(i)
        return render_svg(BadgeSpec(label=label, message=message, color="green", logo=logo))

    return {"flat": rate(flat), "all styles": rate(styles), "with logo": rate(with_logo)}


def pybadges_rates() -> dict[str, float | None]:
    try:
        import pybadges
    except ImportError:
        return {"flat": None, "all styles": None, "with logo": None}
    logo = resolve_logo("github", None)

    def flat(i: int) -> str:
        label, message = texts(i)
        return pybadges.badge(left_text=label, right_text=message, right_color="#67ac09")

    def with_logo(i: int) -> str:
        label, message = texts(i)
        return pybadges.badge(left_text=label, right_text=message, logo=logo)

    count = max(N // 10, 1000)
    return {"flat": rate(flat, count), "all styles": None, "with logo": rate(with_logo, count)}


def anybadge_rates() -> dict[str, float | None]:
    try:
        import anybadge
    except ImportError:
        return {"flat": None, "all styles": None, "with logo": None}

    def flat(i: int) -> str:
        label, message = texts(i)
        return anybadge.Badge(label, message, default_color="green").badge_svg_text

    styles = ["default", "gitlab-scoped"]

    def all_styles(i: int) -> str:
        label, message = texts(i)
        badge = anybadge.Badge(label, message, default_color="green", style=styles[i % 2])
        return badge.badge_svg_text

    count = max(N // 10, 1000)
    return {"flat": rate(flat, count), "all styles": rate(all_styles, count), "with logo": None}


def badge_maker_rates() -> dict[str, float | None]:
    none = {"flat": None, "all styles": None, "with logo": None}
    if not shutil.which("node") or not shutil.which("npm"):
        return none
    modules = PEERS / "node_modules"
    if not (modules / "badge-maker").exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=PEERS, check=True, capture_output=True)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "badge-maker@6.0.0"],
            cwd=PEERS,
            capture_output=True,
        )
        if done.returncode != 0:
            return none
    logo = resolve_logo("github", None)

    def run(cases: list[dict]) -> float:
        out = subprocess.run(
            ["node", str(ORACLE), str(modules), "--warm"],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            check=True,
        )
        return len(cases) / json.loads(out.stdout)["seconds"]

    flat, styles, with_logo = [], [], []
    for i in range(N):
        label, message = texts(i)
        base = {"label": label, "message": message, "color": "green"}
        flat.append(base)
        styles.append({**base, "style": STYLES[i % 5]})
        with_logo.append({**base, "logoBase64": logo})
    return {"flat": run(flat), "all styles": run(styles), "with logo": run(with_logo)}


def main() -> int:
    rows = {
        "badgeapp": ours(),
        "pybadges": pybadges_rates(),
        "anybadge": anybadge_rates(),
        "badge-maker 6.0.0 (node)": badge_maker_rates(),
    }
    columns = ["flat", "all styles", "with logo"]
    print(f"distinct badges per second ({N} badges per measure, one process each)")
    print(f"{'renderer':<26}" + "".join(f"{c:>14}" for c in columns))
    for name, values in rows.items():
        cells = "".join(
            f"{values[c]:>14,.0f}" if values.get(c) else f"{'n/a':>14}" for c in columns
        )
        print(f"{name:<26}{cells}")
    node_flat = rows["badge-maker 6.0.0 (node)"]["flat"]
    if not node_flat:
        print("badge-maker not available: target not checked")
        return 0
    ratio = rows["badgeapp"]["flat"] / node_flat
    verdict = "met" if ratio >= TARGET else "MISSED"
    print(f"flat: {ratio:.2f}x badge-maker (target {TARGET:.0f}x): {verdict}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
