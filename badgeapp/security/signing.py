"""Signed URLs: ``sig`` is an HMAC-SHA256 over the canonical path and query, ``exp`` an optional
expiry (Unix seconds) inside what is signed; the imgproxy/thumbor scheme.

Canonical form: the percent-decoded path, ``?``, then every query pair except ``sig``, decoded,
sorted, and re-encoded (``urlencode`` with ``quote``), so the order and spelling of the query do
not matter while any change of a name or value does. The host is not part of it: a signed URL
keeps working behind another host name or a CDN. The key is ``SIGNING_KEY``; unset, a key
derived from ``SECRET_KEY`` (so set one of them to the same value on every host).

When checked: a request carrying ``sig`` is always checked; a request without one is refused
when its family (blueprint name) is in ``SIGNED_FAMILIES``, or when it carries a user's token
and ``SIGN_TOKEN_REQUESTS`` is on. A missing, wrong or expired signature is answered by a 403
error badge (JSON for JSON clients), compared in constant time. ``badgeapp sign URL
[--expires 1h]`` prints a signed URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

import click
from flask import Flask, Response, current_app, request
from flask.cli import with_appcontext

from badgeapp.config import ConfigError
from badgeapp.errors import Forbidden
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import carries_credentials
from badgeapp.security.refusal import refuse

#: the query parameter holding the signature
SIG_PARAM = "sig"
#: the query parameter holding the expiry (Unix seconds; signed like any other parameter)
EXP_PARAM = "exp"
#: WSGI environ key where a path rewrite (V1 routes) keeps the path the client asked for
ORIGINAL_PATH_KEY = "badgeapp.original_path"
#: label of the error badge
ERROR_LABEL = "403"

_PURPOSE = b"badgeapp signed URLs v1"
_DURATION = re.compile(r"([0-9]{1,10})([smhdw]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def signing_key(config: Mapping[str, Any]) -> bytes:
    """``SIGNING_KEY``, or a key derived from ``SECRET_KEY`` for this one purpose."""
    key = config.get("SIGNING_KEY")
    if key:
        return str(key).encode()
    return hmac.new(str(config["SECRET_KEY"]).encode(), _PURPOSE, hashlib.sha256).digest()


def canonical(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The signed text: decoded ``path``, ``?``, the sorted query pairs without ``sig``."""
    kept = sorted((str(k), str(v)) for k, v in pairs if k != SIG_PARAM)
    return path + "?" + urllib.parse.urlencode(kept, quote_via=urllib.parse.quote)


def signature(key: bytes, path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The ``sig`` value: base64url (no padding) of HMAC-SHA256(key, canonical form)."""
    digest = hmac.new(key, canonical(path, pairs).encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def parse_duration(text: str) -> int:
    """``3600``, ``90s``, ``15m``, ``2h``, ``7d`` or ``1w`` in seconds; ``ValueError`` else."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"expected a duration such as 3600, 15m, 2h or 7d, got {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def sign_url(url: str, key: bytes, *, expires_at: int | None = None) -> str:
    """``url`` (absolute, or a path with its query) with ``sig`` (and ``exp``) added.

    An existing ``sig`` is replaced; ``expires_at`` replaces an existing ``exp``.
    """
    parts = urllib.parse.urlsplit(url)
    pairs = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k != SIG_PARAM and not (expires_at is not None and k == EXP_PARAM)
    ]
    if expires_at is not None:
        pairs.append((EXP_PARAM, str(int(expires_at))))
    path = parts.path or "/"
    pairs.append((SIG_PARAM, signature(key, urllib.parse.unquote(path), pairs)))
    query = urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def family_of(blueprint: str | None) -> str:
    """The family of a request: its blueprint's top-level name ("" for app routes)."""
    return (blueprint or "").split(".", 1)[0]


def signature_required(config: Mapping[str, Any], blueprint: str | None) -> bool:
    """Whether the current request must carry a valid signature."""
    family = family_of(blueprint)
    if family and family in config.get("SIGNED_FAMILIES", ()):
        return True
    return bool(config.get("SIGN_TOKEN_REQUESTS")) and carries_credentials()


def check(
    config: Mapping[str, Any],
    path: str,
    pairs: list[tuple[str, str]],
    *,
    required: bool,
    now: float,
) -> Forbidden | None:
    """The error refusing a request for ``path`` with query ``pairs``, or None to let it pass."""
    sigs = [v for k, v in pairs if k == SIG_PARAM]
    if not sigs:
        return Forbidden("signature required") if required else None
    expected = signature(signing_key(config), path, pairs)
    if len(sigs) != 1 or not hmac.compare_digest(expected.encode(), sigs[0].encode()):
        return Forbidden("invalid signature")
    exps = [v for k, v in pairs if k == EXP_PARAM]
    if exps:
        if len(exps) != 1 or not (exps[0].isascii() and exps[0].isdigit()):
            return Forbidden("invalid signature", detail="exp must be Unix seconds")
        if int(exps[0]) < now:
            return Forbidden("signature expired")
    return None


def check_request() -> Response | None:
    """``before_request``: refuse a request whose signature is missing (when required), wrong
    or expired. Requests that match no route are left to the 404 handler."""
    if request.url_rule is None or request.method == "OPTIONS":
        return None
    config = current_app.config
    required = signature_required(config, request.blueprint)
    if not required and SIG_PARAM not in request.args:
        return None
    path = request.environ.get(ORIGINAL_PATH_KEY) or request.path
    error = check(
        config, path, list(request.args.items(multi=True)), required=required, now=time.time()
    )
    return refuse(error, ERROR_LABEL) if error is not None else None


@click.command("sign")
@click.argument("url")
@click.option(
    "--expires",
    default=None,
    help="Lifetime of the signature: seconds, or 15m, 2h, 7d, 1w (default: never expires).",
)
@with_appcontext
def sign_command(url: str, expires: str | None) -> None:
    """Print URL (a full URL or a path with its query) signed with SIGNING_KEY."""
    expires_at = None
    if expires is not None:
        try:
            expires_at = int(time.time()) + parse_duration(expires)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--expires") from None
    click.echo(sign_url(url, signing_key(current_app.config), expires_at=expires_at))


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Check URL signatures before every view; a ``SIGNED_FAMILIES`` name that is no family
    stops start-up (a typo must not leave a family unprotected)."""
    families = {family_of(name) for name in app.blueprints}
    unknown = [name for name in app.config["SIGNED_FAMILIES"] if name not in families]
    if unknown:
        raise ConfigError(
            f"invalid configuration value for SIGNED_FAMILIES: no family {', '.join(unknown)} "
            f"(families: {', '.join(sorted(families))})"
        )
    app.before_request(check_request)


@hookimpl
def badgeapp_register_commands(cli: Any) -> None:
    """``badgeapp sign URL [--expires]``."""
    cli.add_command(sign_command)
