"""More shields URLs from real README files, host swapped: same text, same colours.

A second corpus beside ``tests/families/test_shields_corpus.py`` (none repeated): label-less
badges with ``%23`` colours, ``colorB`` overriding the path colour, ``colorA``/``colorB`` with
retired ``popout`` styles, emoji labels, ``--``/``__`` escapes, ``style=style=flat``, upper-case
colour names that shields rejects, ``/static/v1.svg``. Each URL was found in a public README
through the code index (the line it came from is the comment above it); unusual parts are
kept as found.

The expected colours are worked out here from shields' rules (reference/shields-rendering.md
section 3, badge-maker's ``normalizeColor``), independently of the engine: a named colour is
either palette's value (classic or v6), three or six hex digits without ``#`` are hex, CSS
colours with ``#``/names pass lower-cased, anything else (``GREEN``) falls back to
brightgreen; ``colorB``/``color`` in the query win over the path colour; ``labelColor``
defaults to grey. The SVG's background rectangles must have those colours (compared as RGB),
and its accessible text must be ``label: message``. Retired style names draw exactly the flat
badge.
"""

from __future__ import annotations

import re
import urllib.parse

import defusedxml.ElementTree as SafeET
import pytest
from PIL import ImageColor

from .checks import check_response

SVG = "{http://www.w3.org/2000/svg}"
SHAPES = ("flat", "flat-square", "plastic", "for-the-badge", "social")

# badge-maker lib/color.js: classic (<= 5.0.2) and v6 palettes, and the aliases
PALETTES = {
    "brightgreen": ("#4c1", "#4b0"),
    "green": ("#97ca00", "#67ac09"),
    "yellow": ("#dfb317", "#d8b800"),
    "yellowgreen": ("#a4a61d", "#95991a"),
    "orange": ("#fe7d37", "#ea7233"),
    "red": ("#e05d44", "#dd4343"),
    "blue": ("#007ec6", "#007ec6"),
    "grey": ("#555", "#555"),
    "lightgrey": ("#9f9f9f", "#939393"),
}
ALIASES = {
    "gray": "grey",
    "lightgray": "lightgrey",
    "success": "brightgreen",
    "important": "orange",
    "critical": "red",
    "informational": "blue",
    "inactive": "lightgrey",
}
_HEX = re.compile(r"^([\da-f]{3}){1,2}$", re.IGNORECASE)
_CSS_HEX = re.compile(r"^#([\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$", re.IGNORECASE)


def shields_colors(value: str | None, fallback: str) -> set[tuple[int, ...]]:
    """The RGB(A) values shields may draw for ``value`` (two when the palettes differ)."""
    if value is not None:
        name = ALIASES.get(value, value)
        if name in PALETTES:
            return {ImageColor.getrgb(hex_) for hex_ in PALETTES[name]}
        if _HEX.match(value):
            return {ImageColor.getrgb("#" + value.lower())}
        if _CSS_HEX.match(value) or (value.islower() and value.isalpha()):
            try:
                return {ImageColor.getrgb(value.lower())}
            except ValueError:
                pass
    return shields_colors(fallback, fallback)


def _rgb(fill: str) -> tuple[int, ...]:
    return ImageColor.getrgb(fill.strip())


def background_fills(data: bytes) -> list[str]:
    """The fills of the badge's background rectangles, left to right."""
    root = SafeET.fromstring(data)
    clip_rects = {id(rect) for clip in root.iter(SVG + "clipPath") for rect in clip.iter()}
    fills = []
    for rect in root.iter(SVG + "rect"):
        fill = rect.get("fill") or ""
        if id(rect) in clip_rects or not fill or fill.startswith("url(") or "rgba" in fill:
            continue
        fills.append(fill)
    return fills


# (url after https://img.shields.io, label, message, path colour, label colour)
# Colours here are what the URL asks for; the query's color/colorB and labelColor/colorA win.
CORPUS: list[tuple[str, str, str]] = [
    # victorHZDias README: label-less, colour as %23hex
    (
        "/badge/-LinkedIn-%230077B5?style=for-the-badge&logo=linkedin&logoColor=white",
        "",
        "LinkedIn",
    ),
    # hmlendea README: heart, %23 colour
    ("/badge/-%E2%99%A5%20Donate-%23ff69b4", "", "\u2665 Donate"),
    # sanmitha-shetty/musify: colorB overrides the path colour
    ("/badge/-LinkedIn-black.svg?style=for-the-badge&logo=linkedin&colorB=555", "", "LinkedIn"),
    # adtommo/anaroo
    ("/badge/-Alpha-F97316?style=for-the-badge", "", "Alpha"),
    # shields-react-query-domain: a logo name with a space
    (
        "/badge/-React%20Query-FF4154?style=for-the-badge&logo=react%20query&logoColor=white",
        "",
        "React Query",
    ),
    # ant-design/x: labelColor without a label still draws the left part
    (
        "/badge/-Ant%20Design-blue?labelColor=black&logo=antdesign&style=flat-square",
        "",
        "Ant Design",
    ),
    # sirpdboy/openwrt: CJK with a colon, no label
    ("/badge/-%E7%9B%AE%E5%BD%95:-696969.svg", "", "\u76ee\u5f55:"),
    # a security tool README
    ("/badge/-Python-blue?logo=python", "", "Python"),
    # ericksonlopes: an empty first query parameter ("?&")
    ("/badge/-Python-3776AB?&logo=Python&logoColor=FFFFFF", "", "Python"),
    # seldon-core docs
    ("/badge/-source-cccccc?style=flat-square", "", "source"),
    # Hugging Face Spaces badges (many READMEs)
    ("/badge/%F0%9F%A4%97%20Hugging%20Face-Spaces-blue", "\U0001f917 Hugging Face", "Spaces"),
    # athrael-soju/Narwhal: emoji message, two segments
    ("/badge/%F0%9F%8F%86%20Recognition-d4a017", "", "\U0001f3c6 Recognition"),
    # maozepstein/Circuit-Designer: emoji plus underscores
    (
        "/badge/%F0%9F%9A%80_Launch_Circuit_Designer_Pro-Click_Here-blue?style=for-the-badge"
        "&logoColor=white",
        "\U0001f680 Launch Circuit Designer Pro",
        "Click Here",
    ),
    # freyavoice: "--" inside the message
    (
        "/badge/%F0%9F%A4%97%20Hugging%20Face-freya--tts-yellow",
        "\U0001f917 Hugging Face",
        "freya-tts",
    ),
    # bokeh app launcher: retired style popout (drawn flat)
    ("/badge/launch-bokeh%20app-579ACA.svg?style=popout", "launch", "bokeh app"),
    # Forest10/ss-heroku: retired popout-square with colorA
    ("/badge/build-sucess-cccfff.svg?style=popout-square&colorA=006699", "build", "sucess"),
    # ansible-role-kea-dhcp: "--" in the label, "__" in the message
    ("/badge/ansible--galaxy-kea__dhcp-blue.svg?style=popout-square", "ansible-galaxy", "kea_dhcp"),
    # sr.ht READMEs: ?label= replaces the path label
    (
        "/badge/style-todo.sr.ht-green.svg?longCache=true&style=popout-square&label=issues",
        "issues",
        "todo.sr.ht",
    ),
    # a Spring Boot image host README
    ("/badge/language-java-yellow.svg?longCache=true&style=popout-square", "language", "java"),
    # rsbuild-plugin-open-graph: colorA and colorB on a static badge
    (
        "/badge/License-MIT-blue.svg?style=flat-square&colorA=564341&colorB=EDED91",
        "License",
        "MIT",
    ),
    # MKII open hardware: colour names in colorA/colorB, ?label=
    (
        "/badge/contributions-welcome-brightgreen.svg?style=flat&label=Contributions"
        "&colorA=red&colorB=black",
        "Contributions",
        "welcome",
    ),
    # intuit/auto: two segments, so "auto" is the (invalid) colour; colorB and label save it
    (
        "/badge/release-auto.svg?style=flat-square&colorA=888888&colorB=9B065A&label=auto",
        "auto",
        "release",
    ),
    # a Yocto layer: commas in the message, plastic
    (
        "/badge/Supported%20lang-c,shell,bitbake-blue.svg?style=plastic",
        "Supported lang",
        "c,shell,bitbake",
    ),
    ("/badge/python-3.x-orange.svg?style=plastic", "python", "3.x"),
    # Scent-inel
    ("/badge/FastAPI-0.136-green?style=for-the-badge", "FastAPI", "0.136"),
    # React Router badge: underscore in a two-segment badge
    (
        "/badge/React_Router-CA4245?style=for-the-badge&logo=react-router&logoColor=white",
        "",
        "React Router",
    ),
    # Stand-In project page
    ("/badge/Project_Page-Link-green", "Project Page", "Link"),
    ("/badge/LinkedIn-Erickson_Lopes-blue", "LinkedIn", "Erickson Lopes"),
    ("/badge/Project%20Page-PixCell-blue.svg", "Project Page", "PixCell"),
    ("/badge/version-2.0-green", "version", "2.0"),
    # a percent sign, escaped
    ("/badge/python-100%25-blue", "python", "100%"),
    # Alura challenge READMEs: upper-case GREEN is not a shields colour (case-sensitive)
    (
        "/static/v1?label=STATUS&message=FINALIZADO&color=GREEN&style=for-the-badge",
        "STATUS",
        "FINALIZADO",
    ),
    ("/static/v1?label=JUICE&message=smorce&color=blue&logo=github", "JUICE", "smorce"),
    (
        "/static/v1?label=license&message=MIT&color=18181B&labelColor=BEF264",
        "license",
        "MIT",
    ),
    (
        "/static/v1?label=Status&message=DESENVOLVIMENTO&color=yellow&style=for-the-badge",
        "Status",
        "DESENVOLVIMENTO",
    ),
    (
        "/static/v1?label=HF&message=PixCell-256&color=69a75b&logo=huggingface",
        "HF",
        "PixCell-256",
    ),
    (
        "/static/v1?label=Sponsor&message=%E2%9D%A4&logo=GitHub&color=%232f5d85",
        "Sponsor",
        "\u2764",
    ),
    ("/static/v1?label=Version&message=0.6.0&color=brightgreen", "Version", "0.6.0"),
    (
        "/static/v1?label=HomeLab&message=Linux&color=orange&logo=linux&logoColor=white"
        "&labelColor=grey&style=flat",
        "HomeLab",
        "Linux",
    ),
    ("/static/v1?label=Docs&message=docs.wasmer.io&color=blue", "Docs", "docs.wasmer.io"),
    # meta-sirius: emoji label and "style=style=flat" (unknown: flat)
    (
        "/static/v1?label=%F0%9F%8C%9F&message=If%20Useful&style=style=flat&color=BC4E99",
        "\U0001f31f",
        "If Useful",
    ),
    # flash.sh: /static/v1.svg with colorA/colorB
    (
        "/static/v1.svg?style=flat-square&label=License&message=MIT&logoColor=eceff4&logo=github"
        "&colorA=black&colorB=green",
        "License",
        "MIT",
    ),
]


def _first(query: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if name in query:
            return query[name][0]
    return None


def expected_colors(url: str) -> tuple[set, set]:
    """(message colours, label colours) shields would draw for ``url``."""
    path, _, raw_query = url.partition("?")
    query = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
    color = _first(query, "color", "colorB")
    if color is None and path.startswith("/badge/"):
        stem = re.sub(r"\.(svg|png|json)$", "", path[len("/badge/") :])
        color = urllib.parse.unquote(re.split(r"(?<!-)-(?!-)", stem)[-1])
    fallback = "lightgrey" if color is None else "brightgreen"
    label_color = _first(query, "labelColor", "colorA")
    return shields_colors(color, fallback), shields_colors(label_color, "grey")


def test_corpus_is_large_and_new():
    from pathlib import Path

    assert len(CORPUS) >= 30
    other = (Path(__file__).parents[1] / "families" / "test_shields_corpus.py").read_text()
    repeated = [url for url, _, _ in CORPUS if f'"{url}"' in other]
    assert not repeated, repeated


def test_expected_colours_follow_shields_rules():
    """The oracle itself, on the cases the reference spells out."""
    assert shields_colors("ABC", "brightgreen") == {(0xAA, 0xBB, 0xCC)}
    assert shields_colors("abcd", "brightgreen") == shields_colors("brightgreen", "x")
    assert shields_colors("#abcd", "x") == {(0xAA, 0xBB, 0xCC, 0xDD)}
    assert shields_colors("Aqua", "brightgreen") == shields_colors("brightgreen", "x")
    assert shields_colors("aqua", "x") == {(0, 255, 255)}
    assert shields_colors("success", "x") == shields_colors("brightgreen", "x")
    assert expected_colors("/badge/a-b-%23ff69b4")[0] == {(255, 105, 180)}
    assert expected_colors("/badge/a-b-red?colorB=555")[0] == {(0x55, 0x55, 0x55)}


@pytest.mark.parametrize(("url", "label", "message"), CORPUS, ids=[u[:60] for u, _, _ in CORPUS])
def test_real_readme_url_draws_what_shields_draws(cclient, url, label, message):
    response = cclient.get(url)
    assert response.status_code == 200, url
    assert check_response(response) == "svg"
    root = SafeET.fromstring(response.data)
    expected_text = f"{label}: {message}" if label else message
    # for-the-badge upper-cases what it draws (aria-label included in badge-maker)
    assert root.get("aria-label", "").casefold() == expected_text.casefold()
    fills = background_fills(response.data)
    assert fills, response.data[:300]
    message_colors, label_colors = expected_colors(url)
    assert _rgb(fills[-1]) in message_colors, (fills, message_colors)
    query = urllib.parse.parse_qs(url.partition("?")[2])
    if label or "labelColor" in query or "colorA" in query:
        assert len(fills) >= 2, fills
        assert _rgb(fills[0]) in label_colors, (fills, label_colors)
    style = _first(query, "style")
    if style is not None and style not in SHAPES:
        # retired or unknown style names draw exactly the flat badge
        flat_url = re.sub(r"([?&])style=[^&]*", r"\1style=flat", url)
        assert cclient.get(flat_url).data == response.data


def _with_suffix(url: str, suffix: str) -> str | None:
    """``url`` with ``.svg``/``.png`` on its badge path (None when it already has one)."""
    path, sep, query = url.partition("?")
    if path.endswith((".svg", ".png", ".json")):
        path = path.rsplit(".", 1)[0]
    if not (path.startswith("/badge/") or path == "/static/v1"):
        return None
    return path + suffix + sep + query


@pytest.mark.parametrize(("url", "label", "message"), CORPUS, ids=[u[:60] for u, _, _ in CORPUS])
def test_suffixes_draw_the_same_badge(cclient, url, label, message):
    """With or without ``.svg`` the bytes are the same; ``.png`` is that badge at scale 2."""
    import io

    from PIL import Image

    plain_url, svg_url, png_url = (_with_suffix(url, s) for s in ("", ".svg", ".png"))
    assert plain_url and svg_url and png_url
    plain = cclient.get(plain_url)
    assert cclient.get(svg_url).data == plain.data
    root = SafeET.fromstring(plain.data)
    png = cclient.get(png_url)
    assert check_response(png) == "png"
    with Image.open(io.BytesIO(png.data)) as image:
        width, height = image.size
    assert height == round(2 * float(root.get("height")))
    assert abs(width - 2 * float(root.get("width"))) <= 1


#: shields' global parameters apply to every shields-like family, not just static badges
FAMILY_URLS = [
    "/v2/badge/custom?label=a&value=b",
    "/v2/badge/github/a/b/stars",
    "/v2/badge/plugin/echo/cpu",
]


@pytest.mark.parametrize("url", FAMILY_URLS)
def test_legacy_parameters_work_in_every_family(cclient, url):
    """``colorA``/``colorB`` are the legacy names of ``labelColor``/``color`` (the new names
    win), and retired styles (``popout``) draw the flat badge."""
    legacy = cclient.get(url + "&colorA=123456&colorB=abcdef".replace("&", "?", "?" not in url))
    modern = cclient.get(url + "&labelColor=123456&color=abcdef".replace("&", "?", "?" not in url))
    assert legacy.data == modern.data
    both = cclient.get(url + "&colorB=abcdef&color=fedcba".replace("&", "?", "?" not in url))
    if not SafeET.fromstring(both.data).get("aria-label", "").endswith("inaccessible"):
        # (an error badge keeps its own colour whatever is asked, as shields' isError does)
        assert _rgb(background_fills(both.data)[-1]) == (0xFE, 0xDC, 0xBA)
    popout = cclient.get(url + "&style=popout".replace("&", "?", "?" not in url))
    flat = cclient.get(url + "&style=flat".replace("&", "?", "?" not in url))
    assert popout.data == flat.data
