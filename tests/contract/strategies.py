"""Hypothesis strategies for what a user can type into a badge URL or an API body.

Text mixes arbitrary Unicode with a list of known troublemakers (path tricks, percent
escapes, markup and script injections, shields' separator escapes, control characters,
emoji sequences, very long runs). Segments are sent percent-encoded, half-encoded (raw
``%`` escapes kept) or raw, the three ways READMEs carry them.
"""

from __future__ import annotations

import urllib.parse

from hypothesis import strategies as st

TROUBLE = [
    "",
    " ",
    "..",
    "../..",
    "../../etc/passwd",
    ".",
    "%",
    "%%",
    "%2",
    "%2e%2e",
    "%2F",
    "%2f%2f",
    "%00",
    "%ff%fe",
    "%C3%28",
    "%E2%9D%A4",
    "%F0%9F%A6%84",
    "%20",
    "%2D",
    "%5F",
    "🦄",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "\uff46\uff55\uff4c\uff4c",
    "a" * 300,
    "x" * 3000,
    "-",
    "--",
    "---",
    "_",
    "__",
    "___",
    "-_-",
    ".svg",
    ".png",
    ".json",
    ".gif",
    "x.svg",
    "x.png",
    "x.json",
    "x.jpg",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+",
    "&amp;",
    "&#x3c;script&#x3e;",
    "]]>",
    "<![CDATA[x]]>",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "&e;",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "\t",
    "\x7f",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "%s%n",
    "NaN",
    "-1",
    "0",
    "1e309",
    "99999999999999999999999",
    "true",
    "null",
    "[]",
    "{}",
]

#: the common engine parameters, legacy names and the families' own
PARAMS = [
    "label",
    "message",
    "value",
    "color",
    "colorA",
    "colorB",
    "labelColor",
    "style",
    "theme",
    "logo",
    "icon",
    "logoColor",
    "logoSize",
    "logoWidth",
    "link",
    "animated",
    "format",
    "scale",
    "cacheSeconds",
    "maxAge",
    "token",
    "badges",
    "layout",
    "gap",
    "columns",
    "branch",
    "badge_type",
    "kind",
    "limit",
    "workflow",
    "season",
    "force",
]

#: values that mean something to one parameter or another
MEANINGFUL = [
    "svg",
    "png",
    "json",
    "JSON",
    ".png",
    "flat",
    "flat-square",
    "plastic",
    "for-the-badge",
    "social",
    "neon",
    "cyberpunk",
    "plastic-old",
    "popout",
    "github",
    "star",
    "travis",
    "#fff",
    "#ff000080",
    "rgb(0 255 0)",
    "hsl(120,100%,50%)",
    "url(https://evil.example/x)",
    "red;fill:url(https://evil.example/x)",
    "https://example.com/a",
    "http://[::1]:80/",
    "grid",
    "vertical",
    "horizontal",
    "4",
    "41",
    "-4",
    "a:b,c:d:red",
    "github/a/b/stars,plugin/echo/x,pypi/x/version,a:b",
    "plugin/echo/%3Cscript%3E",
    "," * 50,
    "a:b," * 40,
    "ghp_" + "A" * 36,
]

TEXT = st.one_of(
    st.sampled_from(TROUBLE),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=20),
)
VALUE = st.one_of(TEXT, st.sampled_from(MEANINGFUL))
NAME = st.one_of(st.sampled_from(PARAMS), st.sampled_from(PARAMS), st.text(max_size=8))

#: how a piece of user text is put into a URL
ENCODINGS = ("quoted", "half", "raw")
_HALF_SAFE = "%-_.~!$&'()*+,;=:@"


def encode(text: str, how: str, *, slash: bool = False) -> str:
    """Put ``text`` into a URL path: fully quoted, quoted but keeping ``%`` escapes, or raw
    (only what a URL cannot carry at all is escaped)."""
    safe = ("/" if slash else "") + (_HALF_SAFE if how == "half" else "")
    if how == "raw":
        safe += "%-_.~!$&'()*+,;=:@<>\"{}|\\^`[]"
        text = "".join(c for c in text if c not in "?#") if not slash else text.replace("?", "")
        text = text.replace("#", "")
    return urllib.parse.quote(text, safe=safe)


def query_string(pairs: list[tuple[str, str]], how: str) -> str:
    """``pairs`` as a query string; ``half``/``raw`` keep the user's own ``%`` escapes."""
    if how == "quoted":
        return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
    parts = []
    for name, value in pairs:
        safe = "%-_.~!$'()*+,;:@/" if how == "half" else "%-_.~!$'()*+,;:@/<>\"{}|\\^`[]"
        key, text = urllib.parse.quote(name, safe=safe), urllib.parse.quote(value, safe=safe)
        parts.append(f"{key}={text}")
    return "&".join(parts)


QUERY = st.tuples(
    st.lists(st.tuples(NAME, VALUE), max_size=8),
    st.sampled_from(ENCODINGS),
)
