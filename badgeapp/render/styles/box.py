"""Geometry and markup shared by flat, flat-square and plastic (badge-maker's Badge class).

Widths, margins and text positions follow badge-maker 6.0.0 exactly; the Look decides the
shadow kind (v6 blur, classic single, none), gradient, fonts and any theme extras.
"""

from __future__ import annotations

import dataclasses
import functools

from badgeapp.render.decorate import class_names, extras
from badgeapp.render.look import Look, Parts, look_text_colors
from badgeapp.render.markup import escape, num
from badgeapp.render.styles.frame import accessible_text, frame, link_rect
from badgeapp.render.widths import preferred_width

FONT_FAMILY = "Verdana,Geneva,DejaVu Sans,sans-serif"
HORIZ_PADDING = 5
LOGO_HEIGHT = 14
BLUR_FILTER = '<filter id="blur"><feGaussianBlur stdDeviation="16"/></filter>'


@dataclasses.dataclass(frozen=True)
class BoxStyle:
    """What differs between flat, flat-square and plastic."""

    height: int
    vertical_margin: int
    shadow: bool
    #: clip radius; None means no clip and crisp edges (flat-square)
    rx: int | None
    #: default gradient stops (offset, colour or "", opacity)
    stops: tuple[tuple[str, str, str], ...]


@functools.lru_cache(maxsize=256)
def gradient_markup(gid: str, stops: tuple[tuple[str, str, str], ...]) -> str:
    """A vertical linearGradient; a stop without colour omits stop-color (black)."""
    parts = []
    for offset, color, opacity in stops:
        color_attr = f' stop-color="{escape(color)}"' if color else ""
        parts.append(f'<stop offset="{offset}"{color_attr} stop-opacity="{opacity}"/>')
    return f'<linearGradient id="{gid}" x2="0" y2="100%">{"".join(parts)}</linearGradient>'


def logo_markup(logo: str | None, x: float, height: int, width: int = LOGO_HEIGHT) -> str:
    """The logo <image>, vertically centred."""
    if not logo:
        return ""
    y = num(0.5 * (height - LOGO_HEIGHT))
    return (
        f'<image x="{num(x)}" y="{y}" width="{width}" height="{LOGO_HEIGHT}" '
        f'href="{escape(logo)}"/>'
    )


def render_box(box: BoxStyle, parts: Parts, look: Look) -> str:
    """Draw one flat/flat-square/plastic badge."""
    label, message, logo = parts.label, parts.message, parts.logo
    height = box.height
    has_logo = bool(logo)
    logo_width = LOGO_HEIGHT if has_logo else 0
    total_logo = logo_width + (3 if has_logo and label else 0)
    color = parts.color or look.default_color
    label_color = parts.label_color
    has_label = bool(label) or bool(label_color)
    if label_color is None:
        label_color = look.default_label_color
    if not (has_label or has_logo):
        label_color = color

    label_width = preferred_width(label) if label else 0
    left_width = label_width + 2 * HORIZ_PADDING + total_logo if has_label else 0
    message_width = preferred_width(message)
    message_margin = left_width - (1 if message else 0)
    if not has_label:
        message_margin += total_logo + HORIZ_PADDING if has_logo else 1
    right_width = message_width + 2 * HORIZ_PADDING
    if has_logo and not has_label:
        right_width += total_logo + (HORIZ_PADDING - 1 if message else 0)
    width = left_width + right_width
    both_links = bool(parts.left_link and parts.right_link)
    shadow = look.shadow if box.shadow else "none"
    classic = look.classic

    def text(margin: int, content: str, link: str, background: str, text_width: int, lw: int):
        if not content:
            return ""
        text_color, shadow_color = look_text_colors(look, background)
        x = num(10 * (margin + 0.5 * text_width + HORIZ_PADDING))
        y = 140 + box.vertical_margin
        length = 10 * text_width
        body = escape(content)
        if classic:
            shadow_el = (
                f'<text aria-hidden="true" x="{x}" y="{y + 10}" fill="{shadow_color}" '
                f'fill-opacity=".3" transform="scale(.1)" textLength="{length}">{body}</text>'
                if shadow == "single"
                else ""
            )
            element = (
                f'{shadow_el}<text x="{x}" y="{y}" transform="scale(.1)" fill="{text_color}" '
                f'textLength="{length}">{body}</text>'
            )
        else:
            fill = "" if text_color == "#fff" else f' fill="{text_color}"'
            if shadow == "blur":
                sy = y + 10
                element = (
                    f'<g transform="scale(.1)"><g aria-hidden="true" fill="{shadow_color}">'
                    f'<text x="{x}" y="{sy}" fill-opacity=".8" filter="url(#blur)" '
                    f'textLength="{length}">{body}</text><text x="{x}" y="{sy}" '
                    f'fill-opacity=".3" textLength="{length}">{body}</text></g>'
                    f'<text x="{x}" y="{y}" textLength="{length}"{fill}>{body}</text></g>'
                )
            else:
                element = (
                    f'<text x="{x}" y="{y}" textLength="{length}" transform="scale(.1)"{fill}>'
                    f"{body}</text>"
                )
        if not link:
            return element
        return link_rect(link, lw, margin + 1 if margin > 1 else 0, height, element)

    label_el = text(
        total_logo + 1,
        label,
        parts.left_link if (both_links or not parts.left_link) else "",
        label_color,
        label_width,
        left_width,
    )
    message_el = text(message_margin, message, parts.right_link, color, message_width, right_width)

    sfx = parts.id_suffix
    stops = box.stops if look.gradient is None else look.gradient
    defs = []
    if shadow == "blur":
        defs.append(BLUR_FILTER)
    if box.rx is not None and stops:
        defs.append(gradient_markup(f"s{sfx}", stops))
    if box.rx is not None:
        clip_fill = ' fill="#fff"' if classic else ""
        defs.append(
            f'<clipPath id="r{sfx}"><rect width="{width}" height="{height}" rx="{box.rx}"'
            f"{clip_fill}/></clipPath>"
        )
        group = f'<g clip-path="url(#r{sfx})"'
    else:
        group = '<g shape-rendering="crispEdges"'
    extra = extras(look, width, height, box.rx or 0, sfx, box.rx is None)
    left_class, right_class, fg_class = class_names(look, sfx)
    background = (
        f'{group}{extra.bg_attrs}><rect width="{left_width}" height="{height}" '
        f'fill="{escape(label_color)}"{left_class}/><rect x="{left_width}" width="{right_width}" '
        f'height="{height}" fill="{escape(color)}"{right_class}/>'
    )
    if box.rx is not None and stops:
        background += f'<rect width="{width}" height="{height}" fill="url(#s{sfx})"/>'
    font = escape(look.font_family or FONT_FAMILY)
    foreground = (
        f'<g fill="#fff" text-anchor="middle" font-family="{font}" '
        f'text-rendering="geometricPrecision" font-size="110"{fg_class}{extra.fg_attrs}>'
        f"{logo_markup(logo, HORIZ_PADDING, height)}{label_el}{message_el}</g>"
    )
    body = f"{''.join(defs)}{extra.defs}{background}</g>{foreground}{extra.overlay}"
    accessible = parts.title if parts.title is not None else accessible_text(label, message)
    return frame(width, height, accessible, parts.left_link, parts.right_link, body)
