"""The rank spec's tier table: percentile -> tier, Elo band, division and LP.

A tier is reached by a percentile (share of the reference population below): Iron is the
bottom 20%, Challenger the top 0.02%. Within a tier the Elo moves linearly with the
percentile across the tier's band; the band is cut into four quarters, divisions IV (lowest)
to I, and LP (0-99) is the position inside the division. Challenger's band has no top: its
Elo keeps rising with the z-score (``CHALLENGER_ELO_PER_Z`` per standard deviation).
"""

from __future__ import annotations

import dataclasses
import math
from statistics import NormalDist


@dataclasses.dataclass(frozen=True)
class Tier:
    """One row of the tier table."""

    name: str
    min_elo: int
    max_elo: int  # inclusive; Challenger's divisions are cut over 3000..3499
    min_percentile: float  # the share of users below the tier's floor
    color: str  # emblem colour on the card


TIERS: tuple[Tier, ...] = (
    Tier("Iron", 0, 599, 0.0, "#6b6b6b"),
    Tier("Bronze", 600, 899, 20.0, "#a86b3c"),
    Tier("Silver", 900, 1199, 40.0, "#8fa3b0"),
    Tier("Gold", 1200, 1499, 60.0, "#d4a52c"),
    Tier("Platinum", 1500, 1699, 80.0, "#2fa59b"),
    Tier("Emerald", 1700, 1999, 90.0, "#1f9d55"),
    Tier("Diamond", 2000, 2399, 97.5, "#5b7fe0"),
    Tier("Master", 2400, 2599, 99.5, "#9b4fd1"),
    Tier("Grandmaster", 2600, 2999, 99.9, "#d13f3f"),
    Tier("Challenger", 3000, 3499, 99.98, "#f0c23b"),
)
TIER_NAMES = tuple(t.name for t in TIERS)
DIVISIONS = ("IV", "III", "II", "I")
#: Elo gained per standard deviation above Challenger's floor
CHALLENGER_ELO_PER_Z = 700

_NORMAL = NormalDist()
_CHALLENGER_Z = _NORMAL.inv_cdf(TIERS[-1].min_percentile / 100)


@dataclasses.dataclass(frozen=True)
class Placement:
    """Where a z-score lands: tier, division, Elo, LP and the percentile."""

    tier: Tier
    division: str
    elo: int
    lp: int
    percentile: float


def tier_of(percentile: float) -> Tier:
    """The highest tier whose floor the percentile reaches."""
    found = TIERS[0]
    for tier in TIERS:
        if percentile >= tier.min_percentile:
            found = tier
    return found


def place(z_score: float) -> Placement:
    """Tier, division, Elo and LP of a composite z-score (monotonic in ``z_score``)."""
    percentile = 100 * _NORMAL.cdf(z_score)
    tier = tier_of(percentile)
    span = tier.max_elo + 1 - tier.min_elo
    if tier is TIERS[-1]:
        elo = tier.min_elo + math.floor(CHALLENGER_ELO_PER_Z * max(0.0, z_score - _CHALLENGER_Z))
    else:
        upper = TIERS[TIERS.index(tier) + 1].min_percentile
        share = (percentile - tier.min_percentile) / (upper - tier.min_percentile)
        elo = tier.min_elo + min(span - 1, math.floor(share * span))
    position = min(1.0, (elo - tier.min_elo) / span) * 4
    index = min(3, math.floor(position))
    lp = min(99, math.floor((position - index) * 100)) if position < 4 else 99
    return Placement(tier, DIVISIONS[index], elo, lp, percentile)
