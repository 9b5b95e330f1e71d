"""The ``for-the-badge`` style: 28 px, upper-case, letter-spaced, square (badge-maker forTheBadge).

Widths are not rounded to odd pixels: label uses "10px Verdana", message "bold 10px Verdana",
plus 1.25 px per UTF-16 unit, so widths can be fractional.
"""

from __future__ import annotations

from badgeapp.render.decorate import class_names, extras
from badgeapp.render.look import Look, Parts, look_text_colors
from badgeapp.render.markup import escape, js_upper, num, utf16_len
from badgeapp.render.styles.box import FONT_FAMILY, LOGO_HEIGHT, logo_markup
from badgeapp.render.styles.frame import accessible_text, frame
from badgeapp.render.widths import text_width

HEIGHT = 28
TEXT_MARGIN = 12
LOGO_MARGIN = 9
LOGO_TEXT_GUTTER = 6
LETTER_SPACING = 1.25


def _width(text: str, font: str) -> float:
    if not text:
        return 0
    return int(text_width(text, font)) + LETTER_SPACING * utf16_len(text)


def render(parts: Parts, look: Look) -> str:
    """Draw a for-the-badge badge."""
    label = js_upper(parts.label)
    message = js_upper(parts.message)
    logo = parts.logo
    color = parts.color or look.default_color
    out_label_color = parts.label_color or look.default_label_color
    label_w = _width(label, "10px Verdana")
    message_w = _width(message, "bold 10px Verdana")

    has_label = bool(label)
    needs_label_rect = has_label or bool(logo and parts.label_color)
    gutter = LOGO_TEXT_GUTTER - LOGO_MARGIN if not has_label and not message else LOGO_TEXT_GUTTER
    label_min_x = LOGO_MARGIN + LOGO_HEIGHT + gutter if logo else TEXT_MARGIN
    label_rect: float = 0
    if needs_label_rect:
        if has_label:
            label_rect = label_min_x + label_w + TEXT_MARGIN
        else:
            label_rect = 2 * LOGO_MARGIN + LOGO_HEIGHT
        message_min_x = label_rect + TEXT_MARGIN
        message_rect = 2 * TEXT_MARGIN + message_w
    elif logo:
        message_min_x = TEXT_MARGIN + LOGO_HEIGHT + gutter
        message_rect = 2 * TEXT_MARGIN + LOGO_HEIGHT + gutter + message_w
    else:
        message_min_x = TEXT_MARGIN
        message_rect = 2 * TEXT_MARGIN + message_w
    both_links = bool(parts.left_link and parts.right_link)

    def fill(background: str) -> str:
        text_color = look_text_colors(look, background)[0]
        # shields <= 5 always wrote the fill; v6 omits the inherited white
        return "" if text_color == "#fff" and not look.classic else f' fill="{text_color}"'

    label_el = ""
    if has_label:
        label_el = (
            f'<text transform="scale(.1)" x="{num(10 * (label_min_x + 0.5 * label_w))}" y="175" '
            f'textLength="{num(10 * label_w)}"{fill(out_label_color)}>{escape(label)}</text>'
        )
        if both_links:
            label_el = (
                f'<a target="_blank" href="{escape(parts.left_link)}"><rect '
                f'width="{num(label_rect)}" height="{HEIGHT}" fill="rgba(0,0,0,0)"/>{label_el}</a>'
            )
    bold = ' font-weight="bold"'
    message_attrs = fill(color) + bold if look.classic else bold + fill(color)
    message_el = (
        f'<text transform="scale(.1)" x="{num(10 * (message_min_x + 0.5 * message_w))}" '
        f'y="175" textLength="{num(10 * message_w)}"{message_attrs}>'
        f"{escape(message)}</text>"
    )
    if parts.right_link:
        message_el = (
            f'<a target="_blank" href="{escape(parts.right_link)}"><rect '
            f'width="{num(message_rect)}" height="{HEIGHT}" x="{num(label_rect)}" '
            f'fill="rgba(0,0,0,0)"/>{message_el}</a>'
        )

    width = label_rect + message_rect
    extra = extras(look, width, HEIGHT, 0, parts.id_suffix, True)
    left_class, right_class, fg_class = class_names(look, parts.id_suffix)
    if needs_label_rect:
        rects = (
            f'<rect width="{num(label_rect)}" height="{HEIGHT}" '
            f'fill="{escape(out_label_color)}"{left_class}/><rect x="{num(label_rect)}" '
            f'width="{num(message_rect)}" height="{HEIGHT}" fill="{escape(color)}"{right_class}/>'
        )
    else:
        rects = (
            f'<rect width="{num(message_rect)}" height="{HEIGHT}" fill="{escape(color)}"'
            f"{right_class}/>"
        )
    font = escape(look.font_family or FONT_FAMILY)
    body = (
        f'{extra.defs}<g shape-rendering="crispEdges"{extra.bg_attrs}>{rects}</g>'
        f'<g fill="#fff" text-anchor="middle" font-family="{font}" '
        f'text-rendering="geometricPrecision" font-size="100"{fg_class}{extra.fg_attrs}>'
        f"{logo_markup(logo, LOGO_MARGIN, HEIGHT)}{label_el}{message_el}</g>{extra.overlay}"
    )
    accessible = parts.title if parts.title is not None else accessible_text(label, message)
    return frame(width, HEIGHT, accessible, parts.left_link, parts.right_link, body)
