"""Properties over arbitrary input: always well-formed XML, only the style's elements, text escaped.

Hypothesis feeds any Unicode (surrogates and control characters included) into every field of
the spec; each badge is parsed with defusedxml and checked for its exact element vocabulary, a
fixed attribute vocabulary, safe link and logo URLs, and text that reads back as the input.
"""

from __future__ import annotations

import defusedxml.ElementTree as ET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgeapp.render import STYLES, THEME_NAMES, BadgeSpec, render_svg
from badgeapp.render.logos import resolve_logo
from badgeapp.render.markup import escape, js_capitalize, js_trim, js_upper

NS = "{http://www.w3.org/2000/svg}"
COMMON = {"svg", "title", "g", "rect", "text", "image", "a"}
ELEMENTS = {
    "flat": COMMON | {"filter", "feGaussianBlur", "linearGradient", "stop", "clipPath"},
    "plastic": COMMON | {"filter", "feGaussianBlur", "linearGradient", "stop", "clipPath"},
    "flat-square": COMMON,
    "for-the-badge": COMMON,
    "social": COMMON | {"style", "linearGradient", "stop", "path"},
}
THEME_ELEMENTS = {
    "filter",
    "feGaussianBlur",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "style",
    "linearGradient",
    "stop",
}
ATTRIBUTES = {
    "xmlns",
    "width",
    "height",
    "role",
    "aria-label",
    "aria-hidden",
    "id",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "rx",
    "d",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "opacity",
    "filter",
    "stdDeviation",
    "offset",
    "stop-color",
    "stop-opacity",
    "clip-path",
    "shape-rendering",
    "text-anchor",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "text-rendering",
    "transform",
    "textLength",
    "href",
    "target",
    "class",
    "result",
    "flood-color",
    "in",
    "in2",
    "operator",
}

any_text = st.text(st.characters(exclude_categories=()), max_size=40)
colors = st.one_of(
    st.none(),
    any_text,
    st.sampled_from(["red", "ABC", "#abcd", "rgb(1 2 3)", 'red"/><script>', "hsl(9,9%,9%)"]),
)
links = st.lists(
    st.one_of(
        any_text,
        st.sampled_from(
            ["https://x.example/?a=<b>&c='d'", "javascript:alert(1)", "HTTP://UP", "data:,x"]
        ),
    ),
    max_size=2,
)
logos = st.one_of(
    st.none(),
    any_text,
    st.sampled_from(
        [
            "github",
            "star",
            "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
            "https://evil.example/logo.svg",
            'data:image/svg+xml,<svg onload="x"/>',
        ]
    ),
)
specs = st.builds(
    BadgeSpec,
    label=any_text,
    message=any_text,
    color=colors,
    label_color=colors,
    style=st.one_of(st.sampled_from(STYLES), st.sampled_from(THEME_NAMES), any_text),
    theme=st.one_of(st.none(), st.sampled_from(THEME_NAMES), any_text),
    logo=logos,
    logo_color=colors,
    links=links.map(tuple),
    title=st.one_of(st.none(), any_text),
    animated=st.booleans(),
    id_suffix=st.one_of(st.just(""), st.sampled_from(["1", "a-b_c"]), any_text),
)


def readable(text: str) -> str:
    """What a parser reads back: trimmed, XML-illegal characters dropped, newlines kept."""
    return ET.fromstring(f"<t>{escape(text)}</t>").text or ""


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs)
def test_any_spec_gives_well_formed_svg_with_the_style_vocabulary(spec):
    svg = render_svg(spec)
    root = ET.fromstring(svg)
    style = spec.style if spec.style in STYLES else "flat"
    themed = spec.theme in THEME_NAMES and spec.theme != "flat"
    themed = themed or (spec.style in THEME_NAMES and spec.style != "flat" and not spec.theme)
    allowed = ELEMENTS[style] | (THEME_ELEMENTS if themed or spec.animated else set())
    tags = {element.tag.removeprefix(NS) for element in root.iter()}
    assert tags <= allowed, tags - allowed
    assert root.tag == f"{NS}svg"
    for element in root.iter():
        names = {name.split("}")[-1] for name in element.attrib}
        assert names <= ATTRIBUTES, names - ATTRIBUTES
        if element.tag == f"{NS}a":
            assert element.get("href").lower().startswith(("http://", "https://"))
        if element.tag == f"{NS}image":
            assert element.get("href").startswith(("data:image/svg+xml;", "data:image/png;"))
        if element.tag == f"{NS}style":
            assert "<" not in (element.text or "")


@settings(max_examples=300, deadline=None)
@given(label=any_text, message=any_text, style=st.sampled_from(STYLES))
def test_text_reads_back_exactly(label, message, style):
    svg = render_svg(BadgeSpec(label=label, message=message, style=style))
    root = ET.fromstring(svg)
    label, message = js_trim(label), js_trim(message)
    if style == "for-the-badge":
        label, message = js_upper(label), js_upper(message)
    if style == "social":
        label = js_capitalize(label)
    expected = {readable(label), readable(message)}
    texts = [t.text or "" for t in root.iter(f"{NS}text")]
    assert set(texts) <= expected | {""}
    per_part = {"flat": 3, "plastic": 3, "flat-square": 1, "for-the-badge": 1, "social": 2}[style]
    if style == "for-the-badge":
        count = (1 if label else 0) + 1
    elif style == "social":
        count = 1 + (1 if message else 0)
    else:
        count = (1 if label else 0) + (1 if message else 0)
    assert len(texts) == per_part * count
    if root.find(f"{NS}title") is not None:
        accessible = f"{label}: {message}" if label else message
        assert (root.find(f"{NS}title").text or "") == readable(accessible)
        assert root.get("aria-label") == readable(accessible).replace("\n", " ").replace(
            "\t", " "
        ).replace("\r", " ")


@settings(max_examples=100, deadline=None)
@given(specs)
def test_rendering_is_deterministic(spec):
    assert render_svg(spec) == render_svg(spec)


def expected_elements(spec: BadgeSpec) -> set[str]:
    """The exact element set shields' markup has for this spec (default look)."""
    label, message = js_trim(spec.label), js_trim(spec.message)
    if spec.style == "for-the-badge":
        label, message = js_upper(label), js_upper(message)
    links = [
        link if link.lower().startswith(("http://", "https://")) else "" for link in spec.links
    ]
    left, right = [*links, "", ""][:2]
    logo = spec.logo and resolve_logo(spec.logo, spec.logo_color, style=spec.style)
    tags = {"svg", "g", "rect"}
    if not (left and right):
        tags.add("title")
    if logo:
        tags.add("image")
    if spec.style in ("flat", "plastic"):
        tags |= {"filter", "feGaussianBlur", "linearGradient", "stop", "clipPath"}
    if spec.style == "social":
        tags |= {"style", "linearGradient", "stop", "text"}
        if message:
            tags.add("path")
        has_link = (left and not right) or (left and right) or (right and message)
    elif spec.style == "for-the-badge":
        tags.add("text")
        has_link = bool(left or right)
    else:
        if label or message:
            tags.add("text")
        has_link = (left and not right) or (right and message) or (left and right and label)
    if has_link:
        tags.add("a")
    return tags


@settings(max_examples=400, deadline=None)
@given(
    st.builds(
        BadgeSpec,
        label=any_text,
        message=any_text,
        color=colors,
        label_color=colors,
        style=st.sampled_from(STYLES),
        logo=logos,
        logo_color=colors,
        links=links.map(tuple),
        id_suffix=st.one_of(st.just(""), any_text),
    )
)
def test_exactly_the_elements_of_the_style(spec):
    root = ET.fromstring(render_svg(spec))
    tags = {element.tag.removeprefix(NS) for element in root.iter()}
    assert tags == expected_elements(spec)
