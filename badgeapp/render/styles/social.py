"""The ``social`` style: GitHub-like button, capitalised bold Helvetica label and a count bubble.

Geometry and markup follow badge-maker 6.0.0's ``social`` renderer; a theme only adds its
extras (defs, overlay, text-group attributes) and display font.
"""

from __future__ import annotations

import dataclasses
import functools

from badgeapp.render.decorate import class_names, extras
from badgeapp.render.look import Look, Parts
from badgeapp.render.markup import escape, js_capitalize, num
from badgeapp.render.styles.box import logo_markup
from badgeapp.render.styles.frame import accessible_text, frame
from badgeapp.render.widths import preferred_width

FONT = "bold 11px Helvetica"
FONT_FAMILY = "Helvetica Neue,Helvetica,Arial,sans-serif"
EXTERNAL_HEIGHT = 20
INTERNAL_HEIGHT = 19
LABEL_PADDING = 5
MESSAGE_PADDING = 4
GUTTER = 6


@functools.lru_cache(maxsize=256)
def _social_look(look: Look) -> Look:
    """Social keeps its own light button: a theme adds its outline and animation only."""
    if look.plain:
        return look
    return dataclasses.replace(
        look, dark=None, text_color=None, glow=None, background_opacity=1.0, crisp=False
    )


def render(parts: Parts, look: Look) -> str:
    """Draw a social badge."""
    look = _social_look(look)
    label = js_capitalize(parts.label)
    message = parts.message
    logo = parts.logo
    sfx = parts.id_suffix
    total_logo = (14 + (3 if parts.label else 0)) if logo else 0
    label_w = preferred_width(label, FONT)
    message_w = preferred_width(message, FONT)
    label_rect = label_w + total_logo + 2 * LABEL_PADDING
    message_rect = message_w + 2 * MESSAGE_PADDING
    left, right = parts.left_link, parts.right_link
    both_links = bool(left and right)
    half = "0.5" if look.classic else ".5"  # shields <= 5 printed the halves with a zero
    label_text = escape(label)
    message_text = escape(message)

    bubble = ""
    if message:
        main_x = num(label_rect + GUTTER + 0.5)
        bubble = (
            f'<rect x="{main_x}" y="{half}" width="{message_rect}" height="{INTERNAL_HEIGHT}" '
            f'rx="2" fill="#fafafa"/><rect x="{label_rect + GUTTER}" y="7.5" width="{half}" '
            f'height="5" '
            f'stroke="#fafafa"/><path d="M{main_x} 6.5 l-3 3v1 l3 3" fill="#fafafa"/>'
        )

    lx = num(10 * (total_logo + label_w / 2 + LABEL_PADDING))
    label_rect_el = (
        f'<rect id="llink{sfx}" stroke="#d5d5d5" fill="url(#a{sfx})" x=".5" y=".5" '
        f'width="{label_rect}" height="{INTERNAL_HEIGHT}" rx="2"/>'
    )
    label_shadow = (
        f'<text aria-hidden="true" x="{lx}" y="150" fill="#fff" transform="scale(.1)" '
        f'textLength="{10 * label_w}">{label_text}</text>'
    )
    label_el = (
        f'<text x="{lx}" y="140" transform="scale(.1)" textLength="{10 * label_w}">'
        f"{label_text}</text>"
    )
    if both_links:
        label_part = (
            f'<a target="_blank" href="{escape(left)}">{label_shadow}{label_el}{label_rect_el}</a>'
        )
    else:
        label_part = f"{label_rect_el}{label_shadow}{label_el}"

    message_part = ""
    if message:
        mx = num(10 * (label_rect + GUTTER + message_rect / 2))
        message_part = (
            f'<text aria-hidden="true" x="{mx}" y="150" fill="#fff" transform="scale(.1)" '
            f'textLength="{10 * message_w}">{message_text}</text><text id="rlink{sfx}" '
            f'x="{mx}" y="140" transform="scale(.1)" textLength="{10 * message_w}">'
            f"{message_text}</text>"
        )
        if right:
            message_part = (
                f'<a target="_blank" href="{escape(right)}"><rect width="{message_rect + 1}" '
                f'x="{label_rect + GUTTER}" height="{INTERNAL_HEIGHT + 1}" '
                f'fill="rgba(0,0,0,0)"/>{message_part}</a>'
            )

    style = (
        f"<style>a:hover #llink{sfx}{{fill:url(#b{sfx});stroke:#ccc}}"
        f"a:hover #rlink{sfx}{{fill:#4183c4}}</style>"
    )
    gradients = (
        f'<linearGradient id="a{sfx}" x2="0" y2="100%"><stop offset="0" stop-color="#fcfcfc" '
        f'stop-opacity="0"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<linearGradient id="b{sfx}" x2="0" y2="100%"><stop offset="0" stop-color="#ccc" '
        f'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
    )
    width = label_rect + 1 + (GUTTER + message_rect if message else 0)
    extra = extras(look, width, EXTERNAL_HEIGHT, 2, sfx, False)
    background = (
        f'<g stroke="#d5d5d5"{extra.bg_attrs}><rect stroke="none" fill="#fcfcfc" x="{half}" '
        f'y="{half}" '
        f'width="{label_rect}" height="{INTERNAL_HEIGHT}" rx="2"/>{bubble}</g>'
    )
    fg_class = class_names(look, sfx)[2]
    font = escape(look.font_family or FONT_FAMILY)
    foreground = (
        f'<g aria-hidden="{"false" if both_links else "true"}" fill="#333" text-anchor="middle" '
        f'font-family="{font}" text-rendering="geometricPrecision" font-weight="700" '
        f'font-size="110px" line-height="14px"{fg_class}{extra.fg_attrs}>{label_part}'
        f"{message_part}</g>"
    )
    body = (
        f"{style}{gradients}{extra.defs}{background}"
        f"{logo_markup(logo, LABEL_PADDING, EXTERNAL_HEIGHT)}{foreground}{extra.overlay}"
    )
    accessible = parts.title if parts.title is not None else accessible_text(label, message)
    return frame(width, EXTERNAL_HEIGHT, accessible, left, right, body)
