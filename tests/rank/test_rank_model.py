"""The rank model: the README's worked example, the tier table, monotonicity (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badgeapp.rank.model import ALL_TIME, SEASON, STAT_NAMES, rank
from badgeapp.rank.tiers import DIVISIONS, TIER_NAMES, TIERS, place, tier_of

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

#: the README's worked example (section "Rank model")
EXAMPLE = {
    "totalCommits": 1850,
    "totalMergedPRs": 140,
    "totalCodeReviews": 95,
    "totalIssuesClosed": 60,
    "totalStars": 420,
    "totalFollowers": 75,
}


def test_worked_example_matches_the_readme():
    result = rank(EXAMPLE).to_json()
    assert result["wpi"] == pytest.approx(1.3422, abs=1e-4)
    assert result["zScore"] == pytest.approx(1.6243, abs=1e-4)
    assert result["percentile"] == 94.78
    assert (result["tier"], result["division"], result["elo"], result["lp"]) == (
        "Emerald",
        "II",
        1891,
        54,
    )
    stars = result["breakdown"]["totalStars"]
    assert (stars["z"], stars["contribution"]) == (1.635, 0.5031)
    for text in ("1.3422", "1.6243", "94.78", "Emerald II", "1891", "54 LP", "1.635", "0.5031"):
        assert text in README, text


def test_every_weight_and_median_is_in_the_readme():
    for name in STAT_NAMES:
        ref = ALL_TIME[name]
        assert f"| `{name}` | {ref.median:g} | {SEASON[name].median:g} | {ref.sigma:g} |" in README


def test_medians_everywhere_is_the_middle_of_silver():
    result = rank({name: ALL_TIME[name].median for name in STAT_NAMES})
    assert result.z_score == 0
    assert result.placement.percentile == 50
    assert result.placement.tier.name == "Silver"


@pytest.mark.parametrize(
    ("percentile", "tier"),
    [
        (0, "Iron"),
        (19.99, "Iron"),
        (20, "Bronze"),
        (40, "Silver"),
        (60, "Gold"),
        (80, "Platinum"),
        (90, "Emerald"),
        (97.5, "Diamond"),
        (99.5, "Master"),
        (99.9, "Grandmaster"),
        (99.98, "Challenger"),
        (100, "Challenger"),
    ],
)
def test_percentile_to_tier_follows_the_spec_table(percentile, tier):
    assert tier_of(percentile).name == tier


def test_tier_elo_bands_are_the_spec_table():
    bands = {t.name: (t.min_elo, t.max_elo) for t in TIERS}
    assert bands["Iron"] == (0, 599)
    assert bands["Diamond"] == (2000, 2399)
    assert bands["Grandmaster"] == (2600, 2999)
    assert bands["Challenger"][0] == 3000
    assert TIER_NAMES[0] == "Iron" and TIER_NAMES[-1] == "Challenger"


@given(st.floats(min_value=-6, max_value=8, allow_nan=False))
def test_placement_is_inside_its_band(z):
    p = place(z)
    assert p.division in DIVISIONS
    assert 0 <= p.lp <= 99
    assert p.elo >= p.tier.min_elo
    if p.tier.name != "Challenger":
        assert p.elo <= p.tier.max_elo
    quarter = (p.tier.max_elo + 1 - p.tier.min_elo) / 4
    if p.tier.name != "Challenger" or p.elo < 3500:
        expected = DIVISIONS[min(3, int((p.elo - p.tier.min_elo) // quarter))]
        assert p.division == expected


def _order(result):
    p = result.placement
    return (TIER_NAMES.index(p.tier.name), p.elo, DIVISIONS.index(p.division), p.lp)


stats_strategy = st.fixed_dictionaries(
    {name: st.integers(min_value=0, max_value=10**7) for name in STAT_NAMES}
)


@settings(max_examples=300)
@given(
    stats_strategy,
    st.sampled_from(STAT_NAMES),
    st.integers(min_value=1, max_value=10**6),
    st.booleans(),
)
def test_more_of_any_stat_never_lowers_the_rank(stats, name, extra, season):
    before = rank(stats, season=season)
    after = rank({**stats, name: stats[name] + extra}, season=season)
    assert after.z_score >= before.z_score
    assert after.placement.percentile >= before.placement.percentile
    assert after.placement.elo >= before.placement.elo
    assert _order(after) >= _order(before)


def test_a_season_is_ranked_against_the_season_table():
    one_year = {name: SEASON[name].median for name in STAT_NAMES}
    assert rank(one_year, season=True).placement.percentile == 50
    assert rank(one_year).placement.percentile < 50
