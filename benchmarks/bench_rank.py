"""Benchmark of the rank family's pure parts: ranks computed and cards drawn per second.

Three measures over distinct inputs (every user's statistics differ): the rank model alone
(``rank``), the rank card drawn from a result (``card``), and a trophy grid (``trophies``).
Target: a cold rank answer spends far less time here than in GitHub (well under 1 ms each, so
at least 1,000 per second for each measure). Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import pathlib
import sys
import time
from collections.abc import Callable

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from badgeapp.rank.model import STAT_NAMES, rank  # noqa: E402
from badgeapp.render.cards.palette import card_palette  # noqa: E402
from badgeapp.render.cards.rank import RankCard, draw_rank_card  # noqa: E402
from badgeapp.render.cards.rank_themes import load_card_theme  # noqa: E402
from badgeapp.render.cards.trophies import TrophyPanel, draw_trophy_grid  # noqa: E402
from badgeapp.trophies.awards import award  # noqa: E402

N = int(os.environ.get("BENCH_RANKS", "5000"))
TARGET = 1000.0
THEME = load_card_theme({"name": "dark", "background": "#151515"})
PALETTE = card_palette(None)


def stats(i: int) -> dict[str, int]:
    return {name: (i * (k + 3) * 7919) % (10 ** (k % 4 + 2)) for k, name in enumerate(STAT_NAMES)}


def one_rank(i: int) -> object:
    return rank(stats(i))


def one_card(i: int) -> object:
    p = rank(stats(i)).placement
    card = RankCard(
        f"user{i}",
        p.tier.name,
        p.division,
        p.tier.color,
        p.elo,
        p.lp,
        p.percentile,
        tuple((name[5:], v) for name, v in stats(i).items()),
    )
    return draw_rank_card(card, THEME)


def one_grid(i: int) -> object:
    trophies = award(
        stats(i), created_at="2015-01-01T00:00:00Z", owned_repositories=i % 400, organizations=i % 5
    )
    panels = [TrophyPanel(t.title, t.tier, str(t.value), t.progress) for t in trophies]
    return draw_trophy_grid(panels, 4, 3, 8, PALETTE)


def rate(run: Callable[[int], object]) -> float:
    for i in range(200):
        run(i)
    start = time.perf_counter()
    for i in range(N):
        run(i)
    return N / (time.perf_counter() - start)


def main() -> int:
    rows = [
        ("rank model", rate(one_rank)),
        ("rank card", rate(one_card)),
        ("trophy grid", rate(one_grid)),
    ]
    print(f"{'measure':<14}{'per second':>14}{'target':>10}")
    missed = 0
    for name, per_second in rows:
        ok = per_second >= TARGET
        missed += not ok
        print(f"{name:<14}{per_second:>14,.0f}{TARGET:>10,.0f} {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
