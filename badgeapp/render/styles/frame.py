"""The outer <svg> every style shares: size, accessibility (role, aria-label, title) and links.

As badge-maker's renderBadge: with both links set there is no title/role/aria-label (each half
is its own link); a left link alone wraps the whole body in one <a>.
"""

from __future__ import annotations

from badgeapp.render.markup import escape, num

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="'


def accessible_text(label: str, message: str) -> str:
    """'LABEL: MESSAGE', or the message alone without a label."""
    return f"{label}: {message}" if label else message


def frame(
    width: float,
    height: int,
    accessible: str,
    left_link: str,
    right_link: str,
    body: str,
) -> str:
    """Wrap ``body`` in the <svg> element with shields' accessibility and link rules."""
    if left_link and not right_link:
        body = f'<a target="_blank" href="{escape(left_link)}">{body}</a>'
    size = f'{SVG_OPEN}{num(width)}" height="{height}"'
    if left_link and right_link:
        return f"{size}>{body}</svg>"
    text = escape(accessible)
    return f'{size} role="img" aria-label="{text}"><title>{text}</title>{body}</svg>'


def link_rect(link: str, width: float, x: float, height: int, content: str) -> str:
    """A link over one half: a transparent rect to catch clicks, then the content."""
    return (
        f'<a target="_blank" href="{escape(link)}"><rect width="{num(width)}" x="{num(x)}" '
        f'height="{height}" fill="rgba(0,0,0,0)"/>{content}</a>'
    )
