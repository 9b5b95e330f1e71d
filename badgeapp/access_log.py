"""gunicorn's access logger with users' tokens taken out of everything it logs.

Badge URLs may carry a user's GitHub token (``?token=ghp_...``); the security checklist says a
token is never logged. gunicorn.conf.py sets ``logger_class`` to ``RedactingLogger``.

Parameter names are compared after percent-decoding (the app decodes ``?to%6Ben=`` into
``token``), and a value that decodes to text carrying a token parameter (a URL passed in a
query, a ``Referer``) is redacted whole. Every logged atom is redacted, request headers
(``Referer``, ``{x-original-uri}i``...) included; ``Authorization`` and ``Cookie`` are never
logged.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from gunicorn.glogging import Logger, SafeAtoms

#: parameter names whose values are secrets (compared lower-cased, after decoding)
SECRET_PARAMS = frozenset({"token", "access_token", "key", "api_key"})
#: request headers whose whole value is a credential
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
REDACTED = "[redacted]"
#: a ``name=value`` pair of a query string, wherever it appears in a logged line
_PAIR = re.compile(r"(?P<start>^|[?&;\s\"])(?P<name>[^=&?;\s\"#]+)=(?P<value>[^&;\s\"#]*)")
#: at most this many rounds of percent-decoding (``%25`` hides ``%`` once per round)
_DECODE_ROUNDS = 4


def _decoded(text: str) -> str:
    """``text`` percent-decoded until it stops changing (a bounded number of rounds)."""
    for _ in range(_DECODE_ROUNDS):
        plain = urllib.parse.unquote_plus(text)
        if plain == text:
            break
        text = plain
    return text


def _secret_name(name: str) -> bool:
    return _decoded(name).strip().lower() in SECRET_PARAMS


def _holds_secret(value: str) -> bool:
    """True when ``value``, decoded, carries a secret parameter of its own."""
    plain = _decoded(value)
    return plain != value and any(_secret_name(m["name"]) for m in _PAIR.finditer(plain))


def _redact_pair(match: re.Match[str]) -> str:
    if _secret_name(match["name"]) or _holds_secret(match["value"]):
        return f"{match['start']}{match['name']}={REDACTED}"
    return match[0]


def redact(text: str) -> str:
    """``text`` with the value of every token-like query parameter replaced by ``[redacted]``."""
    return _PAIR.sub(_redact_pair, text)


def _header_of(atom: str) -> str | None:
    """The request header an atom shows: ``{cookie}i`` and ``{HTTP_COOKIE}e`` -> ``cookie``."""
    if not atom.startswith("{") or atom[-2:] not in ("}i", "}e"):
        return None
    name = atom[1:-2].lower()
    if atom.endswith("}e"):
        name = name.removeprefix("http_").replace("_", "-")
    return name


class RedactingAtoms(SafeAtoms):
    """gunicorn's atoms for one access-log line, each redacted when the line format reads it.

    Only the atoms the format names are ever read (a dozen of the fifty or so gunicorn makes
    for each request), so only those are redacted.
    """

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if not isinstance(value, str):
            return value
        if _header_of(key.lower()) in SECRET_HEADERS:
            return REDACTED if value != "-" else value
        return redact(value)


class RedactingLogger(Logger):
    """A gunicorn logger whose access-log atoms never hold a token."""

    atoms_wrapper_class = RedactingAtoms
