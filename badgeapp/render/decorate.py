"""Theme decorations as markup: opacity, crisp edges, border, text glow, dark variant, animation.

``extras(look, ...)`` returns the four strings a style template splices in (defs, background
group attributes, text group attributes, overlay). Dark variants use
``@media (prefers-color-scheme: dark)`` inside the SVG; animations are CSS keyframes switched
off under ``prefers-reduced-motion``. Class names and ids carry the badge's id suffix so several
inline badges on one page do not clash. Same input, same bytes.
"""

from __future__ import annotations

import dataclasses
import functools

from badgeapp.render.look import Look
from badgeapp.render.markup import num

ANIMATIONS = ("pulse", "glow", "shimmer", "scan")


@dataclasses.dataclass(frozen=True)
class Extras:
    """Markup a look adds to a style template."""

    defs: str = ""
    bg_attrs: str = ""
    fg_attrs: str = ""
    overlay: str = ""


NO_EXTRAS = Extras()


def class_names(look: Look, sfx: str) -> tuple[str, str, str]:
    """class="..." attributes for (label rect, message rect, text group), or empty strings."""
    if not look.classes:
        return "", "", ""
    return f' class="bl{sfx}"', f' class="bm{sfx}"', f' class="fg{sfx}"'


def _dark_css(look: Look, sfx: str) -> str:
    label_bg, message_bg, text, border = look.dark or ("", "", "", "")
    rules = []
    if label_bg:
        rules.append(f".bl{sfx}{{fill:{label_bg}}}")
    if message_bg:
        rules.append(f".bm{sfx}{{fill:{message_bg}}}")
    if text:
        rules.append(
            f".fg{sfx} text{{fill:{text}}}"
            f".fg{sfx} [aria-hidden] text,.fg{sfx} text[aria-hidden]{{fill:#000}}"
        )
    if border:
        rules.append(f".bd{sfx}{{stroke:{border}}}")
    return "@media (prefers-color-scheme:dark){" + "".join(rules) + "}"


def _animation(look: Look, width: float, height: int, rx: float, sfx: str) -> tuple[str, str, str]:
    """(defs, css, overlay) of the look's animation."""
    effect, duration = look.animation or ("", 0.0)
    d = num(duration)
    if effect == "pulse":
        css = (
            f".bg{sfx},.fg{sfx}{{animation:pulse{sfx} {d}s ease-in-out infinite}}"
            f"@keyframes pulse{sfx}{{50%{{opacity:.7}}}}"
        )
        return "", css, ""
    if effect == "glow":
        color = (look.glow or look.border or ("#fff", 0))[0]
        defs = f'<filter id="gf{sfx}"><feGaussianBlur stdDeviation="1.5"/></filter>'
        overlay = (
            f'<rect class="gl{sfx}" x="1" y="1" width="{num(width - 2)}" height="{height - 2}" '
            f'rx="{num(rx)}" fill="none" stroke="{color}" stroke-width="2" '
            f'filter="url(#gf{sfx})"/>'
        )
        css = (
            f".gl{sfx}{{animation:gl{sfx} {d}s ease-in-out infinite}}"
            f"@keyframes gl{sfx}{{50%{{opacity:.1}}}}"
        )
        return defs, css, overlay
    if effect == "shimmer":
        defs = (
            f'<linearGradient id="sh{sfx}" x1="0" x2="1" y1="0" y2="0">'
            f'<stop offset="0" stop-color="#fff" stop-opacity="0"/>'
            f'<stop offset=".5" stop-color="#fff" stop-opacity=".4"/>'
            f'<stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient>'
        )
        overlay = (
            f'<rect class="sh{sfx}" x="{num(-width / 2)}" width="{num(width / 2)}" '
            f'height="{height}" fill="url(#sh{sfx})"/>'
        )
        css = (
            f".sh{sfx}{{animation:sh{sfx} {d}s linear infinite}}"
            f"@keyframes sh{sfx}{{to{{transform:translateX({num(width * 1.5)}px)}}}}"
        )
        return defs, css, overlay
    if effect == "scan":
        color = (look.glow or ("#fff", 0))[0]
        overlay = (
            f'<rect class="sc{sfx}" width="{num(width)}" height="1" fill="{color}" opacity=".5"/>'
        )
        css = (
            f".sc{sfx}{{animation:sc{sfx} {d}s linear infinite}}"
            f"@keyframes sc{sfx}{{to{{transform:translateY({height}px)}}}}"
        )
        return "", css, overlay
    return "", "", ""


@functools.lru_cache(maxsize=4096)
def extras(look: Look, width: float, height: int, rx: float, sfx: str, crisp: bool) -> Extras:
    """Decorations of ``look`` for a badge of this size (``crisp``: the style already is)."""
    if look.plain:
        return NO_EXTRAS
    defs: list[str] = []
    css: list[str] = []
    overlay: list[str] = []
    bg_attrs = ""
    fg_attrs = ""
    if look.animation is not None:
        bg_attrs += f' class="bg{sfx}"'
    if look.background_opacity != 1.0:
        # fill-opacity, not opacity: a pulse animating the group's opacity must not undo it
        bg_attrs += f' fill-opacity="{num(look.background_opacity)}"'
    if look.crisp and not crisp:
        bg_attrs += ' shape-rendering="crispEdges"'
    if look.glow is not None:
        color, radius = look.glow
        defs.append(
            f'<filter id="glow{sfx}" x="-20%" y="-50%" width="140%" height="200%">'
            f'<feGaussianBlur stdDeviation="{num(radius)}" result="b"/>'
            f'<feFlood flood-color="{color}"/><feComposite in2="b" operator="in"/>'
            f'<feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter>'
        )
        fg_attrs += f' filter="url(#glow{sfx})"'
    if look.border is not None:
        color, stroke = look.border
        overlay.append(
            f'<rect class="bd{sfx}" x="{num(stroke / 2)}" y="{num(stroke / 2)}" '
            f'width="{num(width - stroke)}" height="{num(height - stroke)}" rx="{num(rx)}" '
            f'fill="none" stroke="{color}" stroke-width="{num(stroke)}"/>'
        )
    if look.dark is not None:
        css.append(_dark_css(look, sfx))
    if look.animation is not None:
        anim_defs, anim_css, anim_overlay = _animation(look, width, height, rx, sfx)
        defs.append(anim_defs)
        css.append(anim_css)
        overlay.append(anim_overlay)
        css.append(
            "@media (prefers-reduced-motion:reduce){"
            f".bg{sfx},.fg{sfx},.gl{sfx},.sh{sfx},.sc{sfx}{{animation:none}}"
            f".sh{sfx},.sc{sfx}{{visibility:hidden}}}}"
        )
    if css:
        defs.append("<style>" + "".join(css) + "</style>")
    return Extras("".join(defs), bg_attrs, fg_attrs, "".join(overlay))
