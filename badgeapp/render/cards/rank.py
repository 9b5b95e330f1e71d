"""The 400x120 rank card and its error card, drawn as SVG text (pure: no Flask, no I/O).

``draw_rank_card(card, theme)`` draws the tier emblem, tier + division, Elo, the LP bar, the
percentile and the six statistics; ``draw_error_card(title, message, code, theme)`` draws the
same frame with an error's name, message and status, so an ``<img>`` never breaks. Every piece
of user text is escaped; numbers are shortened (``12.5k``).
"""

from __future__ import annotations

import dataclasses
import textwrap

from badgeapp.render.markup import escape

from .rank_themes import CardTheme

WIDTH, HEIGHT = 400, 120
BAR_X, BAR_W = 110, 274


@dataclasses.dataclass(frozen=True)
class RankCard:
    """What the card shows (already computed by the rank service)."""

    username: str
    tier: str
    division: str
    tier_color: str
    elo: int
    lp: int
    percentile: float
    stats: tuple[tuple[str, int], ...]  # (label, value), six of them
    season: int | None = None


def short_number(value: int) -> str:
    """``5420`` -> ``5.4k``, ``12500`` -> ``12.5k``, ``2300000`` -> ``2.3M``."""
    n = abs(int(value))
    sign = "-" if value < 0 else ""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if n >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{text}{suffix}"
    return f"{sign}{n}"


def top_share(percentile: float) -> str:
    """``97.5`` -> ``Top 2.5%`` (the share of users at or above)."""
    share = max(0.0, 100.0 - percentile)
    if share >= 10:
        text = f"{share:.0f}"
    elif share >= 0.1:
        text = f"{share:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{max(share, 0.01):.2f}"
    return f"Top {text}%"


def _frame(theme: CardTheme, title: str, body: str) -> str:
    font = escape(theme.font_family)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" rx="6" '
        f'fill="{theme.background}" stroke="{theme.border}"/>'
        f'<g font-family="{font}">{body}</g></svg>'
    )


def _emblem(color: str, letter: str, theme: CardTheme) -> str:
    """A shield in the tier's colour with the tier's initial."""
    shield = "M0,-38 L33,-25 L33,6 Q33,30 0,42 Q-33,30 -33,6 L-33,-25 Z"
    inner = "M0,-30 L26,-20 L26,5 Q26,24 0,34 Q-26,24 -26,5 L-26,-20 Z"
    return (
        '<g transform="translate(52,50)">'
        f'<path d="{shield}" fill="{color}"/>'
        f'<path d="{shield}" fill="#000" fill-opacity="0.12" transform="translate(0,2)"/>'
        f'<path d="{shield}" fill="{color}"/>'
        f'<path d="{inner}" fill="none" stroke="#fff" stroke-opacity="0.55" stroke-width="2"/>'
        f'<text x="0" y="10" text-anchor="middle" font-size="28" font-weight="700" '
        f'fill="#fff">{escape(letter)}</text></g>'
    )


def draw_rank_card(card: RankCard, theme: CardTheme) -> str:
    """The rank card SVG (400x120)."""
    accent = theme.accent or card.tier_color
    name = card.username if len(card.username) <= 22 else card.username[:21] + "…"
    right = top_share(card.percentile)
    if card.season is not None:
        right = f"Season {card.season} · {right}"
    fill = round(BAR_W * max(0, min(99, card.lp)) / 100, 1)
    parts = [
        _emblem(card.tier_color, card.tier[:1], theme),
        f'<text x="52" y="110" text-anchor="middle" font-size="11" font-weight="600" '
        f'fill="{theme.muted}">{card.elo} Elo</text>',
        f'<text x="{BAR_X}" y="26" font-size="14" font-weight="600" '
        f'fill="{theme.title}">{escape(name)}</text>',
        f'<text x="{BAR_X + BAR_W}" y="26" text-anchor="end" font-size="11" '
        f'fill="{theme.muted}">{escape(right)}</text>',
        f'<text x="{BAR_X}" y="48" font-size="17" font-weight="700" '
        f'fill="{card.tier_color}">{escape(card.tier)} {escape(card.division)}</text>',
        f'<text x="{BAR_X + BAR_W}" y="48" text-anchor="end" font-size="11" '
        f'font-weight="600" fill="{theme.text}">{card.lp} LP</text>',
        f'<rect x="{BAR_X}" y="55" width="{BAR_W}" height="6" rx="3" fill="{theme.track}"/>',
        f'<rect x="{BAR_X}" y="55" width="{fill}" height="6" rx="3" fill="{accent}"/>',
    ]
    col_w = BAR_W / 3
    for i, (label, value) in enumerate(card.stats[:6]):
        x = round(BAR_X + (i % 3) * col_w, 1)
        y = 84 if i < 3 else 106
        parts.append(
            f'<text x="{x}" y="{y}" font-size="11"><tspan fill="{theme.muted}">'
            f'{escape(label)}</tspan><tspan dx="5" font-weight="700" '
            f'fill="{theme.text}">{short_number(value)}</tspan></text>'
        )
    title = f"{card.username}: {card.tier} {card.division}, {card.elo} Elo, {right}"
    return _frame(theme, title, "".join(parts))


def draw_error_card(
    title: str, message: str, code: int, theme: CardTheme, hint: str | None = None
) -> str:
    """An error card in the same frame: the error's name, its message, the status and a
    muted ``hint`` line at the bottom (a suggestion, or the request id)."""
    lines = textwrap.wrap(message, width=62)[:3] or [""]
    if len(textwrap.wrap(message, width=62)) > 3:
        lines[-1] = lines[-1][:59] + "…"
    parts = [
        f'<text x="16" y="26" font-size="14" font-weight="700" fill="#d73a49">'
        f"{escape(title)}</text>",
        f'<text x="384" y="26" text-anchor="end" font-size="11" '
        f'fill="{theme.muted}">HTTP {int(code)}</text>',
    ]
    for i, line in enumerate(lines):
        parts.append(
            f'<text x="16" y="{50 + 16 * i}" font-size="12" fill="{theme.text}">'
            f"{escape(line)}</text>"
        )
    if hint:
        shown = hint if len(hint) <= 70 else hint[:69] + "…"
        parts.append(
            f'<text x="16" y="106" font-size="10.5" fill="{theme.muted}">{escape(shown)}</text>'
        )
    return _frame(theme, f"{title}: {message}", "".join(parts))
