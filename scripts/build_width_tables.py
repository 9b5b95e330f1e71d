"""Build the engine's character-width tables from anafanafo@2.0.0, and node's upper-case map.

anafanafo (MIT, Metabolize LLC) ships per-font tables of ``[first, last, width]`` code point
ranges measured in Chrome. This script installs exactly that version with npm into a temporary
folder, checks the tables' shape and writes them, minified, to ``badgeapp/render/data/`` where
``badgeapp.render.widths`` loads them. Run it with ``python scripts/build_width_tables.py``;
the output is committed, so the server never needs node.

It also writes ``js-uppercase.json``: every code point whose JavaScript ``toUpperCase`` differs
from itself, as node (its ICU Unicode version) maps it. ``for-the-badge`` upper-cases text before
measuring it, and Python's own Unicode tables may be older or newer than node's; using node's map
keeps widths equal to badge-maker's.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tempfile

PACKAGE = "anafanafo@2.0.0"
UPPERCASE_JS = """
const out = []
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue
  const s = String.fromCodePoint(cp)
  const u = s.toUpperCase()
  if (u !== s) out.push([cp, u])
}
process.stdout.write(JSON.stringify({unicode: process.versions.unicode, map: out}))
"""
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
    upper = subprocess.run(
        ["node", "-e", UPPERCASE_JS], check=True, capture_output=True, text=True
    ).stdout
    doc = json.loads(upper)
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    (OUT / "js-uppercase.json").write_text(text + "\n", encoding="utf-8")
    print(f"js-uppercase.json: {len(doc['map'])} code points (Unicode {doc['unicode']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
