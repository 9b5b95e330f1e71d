"""The rank model: six statistics -> a weighted performance index, a z-score and a placement.

Each statistic x is compared with a reference distribution: ``ln(1 + x)`` is taken as normally
distributed with mean ``ln(1 + median)`` and standard deviation ``sigma``, so the stat's
z-score is ``z = (ln(1 + x) - ln(1 + median)) / sigma``. The weighted performance index is the
weighted mean of the z-scores, ``WPI = sum(w * z) / sum(w)``. The statistics of one person are
correlated (taken as a common correlation ``RHO = 0.6``), so the WPI's standard deviation in the
reference population is ``sd = sqrt(RHO + (1 - RHO) * sum(w^2) / sum(w)^2)``; the composite
z-score is ``zScore = WPI / sd`` and the percentile is ``100 * Phi(zScore)``. The tier
table (``tiers.place``) turns that into tier, division, Elo and LP. Every term grows with its
statistic, so more of any statistic never lowers the rank.

Two reference tables: all-time (the default) and one calendar year (``?season=``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

from .tiers import Placement, place

#: the six ranked statistics, in the spec's order (AggregatedStats names)
STAT_NAMES = (
    "totalCommits",
    "totalMergedPRs",
    "totalCodeReviews",
    "totalIssuesClosed",
    "totalStars",
    "totalFollowers",
)


@dataclasses.dataclass(frozen=True)
class Reference:
    """A statistic's reference distribution and weight."""

    median: float
    sigma: float
    weight: float


#: assumed correlation between any two statistics of one person
RHO = 0.6

#: all-time reference distributions (README: "Rank model")
ALL_TIME: Mapping[str, Reference] = {
    "totalCommits": Reference(300, 1.6, 2),
    "totalMergedPRs": Reference(20, 1.7, 3),
    "totalCodeReviews": Reference(5, 1.9, 2),
    "totalIssuesClosed": Reference(10, 1.6, 1),
    "totalStars": Reference(15, 2.0, 4),
    "totalFollowers": Reference(10, 1.5, 1),
}
#: one calendar year (a season)
SEASON: Mapping[str, Reference] = {
    "totalCommits": Reference(120, 1.6, 2),
    "totalMergedPRs": Reference(6, 1.7, 3),
    "totalCodeReviews": Reference(2, 1.9, 2),
    "totalIssuesClosed": Reference(3, 1.6, 1),
    "totalStars": Reference(2, 2.0, 4),
    "totalFollowers": Reference(10, 1.5, 1),
}


@dataclasses.dataclass(frozen=True)
class RankResult:
    """The spec's RankResult plus the per-stat breakdown."""

    placement: Placement
    wpi: float
    z_score: float
    breakdown: dict[str, dict[str, float]]

    def to_json(self) -> dict:
        """The ``rank`` object of the JSON answer."""
        p = self.placement
        return {
            "tier": p.tier.name,
            "division": p.division,
            "elo": p.elo,
            "lp": p.lp,
            "percentile": round(p.percentile, 2),
            "wpi": round(self.wpi, 4),
            "zScore": round(self.z_score, 4),
            "breakdown": self.breakdown,
        }


def stat_z(value: float, ref: Reference) -> float:
    """The z-score of one statistic against its reference distribution."""
    return (math.log1p(max(0.0, value)) - math.log1p(ref.median)) / ref.sigma


def rank(stats: Mapping[str, float], *, season: bool = False) -> RankResult:
    """Rank six statistics (``STAT_NAMES``; missing ones count as 0)."""
    table = SEASON if season else ALL_TIME
    total_w = sum(ref.weight for ref in table.values())
    squares = sum(ref.weight**2 for ref in table.values())
    spread = math.sqrt(RHO + (1 - RHO) * squares / total_w**2)
    weighted = 0.0
    breakdown: dict[str, dict[str, float]] = {}
    for name in STAT_NAMES:
        ref = table[name]
        value = float(stats.get(name, 0) or 0)
        z = stat_z(value, ref)
        weighted += ref.weight * z
        breakdown[name] = {
            "value": value,
            "median": ref.median,
            "weight": ref.weight,
            "z": round(z, 4),
            "contribution": round(ref.weight * z / total_w, 4),
        }
    wpi = weighted / total_w
    z_score = wpi / spread
    return RankResult(place(z_score), wpi, z_score, breakdown)
