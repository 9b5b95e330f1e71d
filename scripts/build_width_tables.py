"""Build the engine's character-width tables from the npm package anafanafo@2.0.0.

anafanafo (MIT, Metabolize LLC) ships per-font tables of ``[first, last, width]`` code point
ranges measured in Chrome. This script installs exactly that version with npm into a temporary
folder, checks the tables' shape and writes them, minified, to ``badgeapp/render/data/`` where
``badgeapp.render.widths`` loads them. Run it with ``python scripts/build_width_tables.py``;
the output is committed, so the server never needs node.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tempfile

PACKAGE = "anafanafo@2.0.0"
#: anafanafo table file -> our file name (the font string the engine measures with)
TABLES = {
    "verdana-11px-normal.json": "verdana-11px-normal.json",
    "verdana-10px-normal.json": "verdana-10px-normal.json",
    "verdana-10px-bold.json": "verdana-10px-bold.json",
    "helvetica-11px-bold.json": "helvetica-11px-bold.json",
}
OUT = pathlib.Path(__file__).resolve().parent.parent / "badgeapp" / "render" / "data"


def check_table(name: str, rows: list) -> None:
    """Refuse a table that is not sorted, disjoint ``[lo, hi, width]`` rows."""
    previous = -1
    for row in rows:
        lo, hi, width = row
        if not (isinstance(lo, int) and isinstance(hi, int) and lo <= hi and lo > previous):
            raise SystemExit(f"{name}: bad range {row!r}")
        if not isinstance(width, int | float) or width < 0:
            raise SystemExit(f"{name}: bad width {row!r}")
        previous = hi


def main() -> int:
    """Install anafanafo in a temporary folder and copy its tables into the package."""
    with tempfile.TemporaryDirectory(prefix="anafanafo-") as tmp:
        subprocess.run(["npm", "init", "-y"], cwd=tmp, check=True, capture_output=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", PACKAGE],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        data = pathlib.Path(tmp, "node_modules", "anafanafo", "data")
        OUT.mkdir(parents=True, exist_ok=True)
        for source, target in TABLES.items():
            rows = json.loads((data / source).read_text(encoding="utf-8"))
            check_table(source, rows)
            text = json.dumps(rows, separators=(",", ":"))
            (OUT / target).write_text(text + "\n", encoding="utf-8")
            print(f"{target}: {len(rows)} ranges")
        licence = pathlib.Path(tmp, "node_modules", "anafanafo", "LICENSE").read_text()
        (OUT / "ANAFANAFO-LICENSE").write_text(licence, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
