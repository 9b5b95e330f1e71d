"""The hot path: a WSGI layer in front of Flask that answers repeated requests from memory.

A GET (or HEAD) whose answer is stored is served from stored bytes and headers without
entering Flask (``If-None-Match`` gets ``304``); anything else falls through to the app, and a
storable answer is kept for the next time. The rules that keep it exactly as correct as the
slow path:

* **Key**: a structured tuple (scheme, host, script, path, the path as sent, query pairs sorted
  by name with the order of repeated names kept), never the raw query string, so ``?a=1&b=2``
  and ``?b=2&a=1`` share an entry and no two distinct requests can share one (a tuple compares
  field by field; nothing is joined into a string). An answer with ``Vary: Accept`` is keyed
  by the request's ``Accept`` as well.
* **Never shared**: requests with ``Authorization`` or a ``token`` parameter (also
  percent-encoded: the query is decoded first) are neither served from nor stored in the hot
  path; nor are answers that are not ``200``, say ``private``/``no-store``/``no-cache``, carry
  ``Set-Cookie`` or vary on anything but ``Accept``.
* **Lifetime**: an entry lives for the answer's ``max-age`` (the family default raised by
  ``cacheSeconds``; a stale value's short one), and is sent with ``Age`` so downstream caches do
  not extend it.
* **Invalidation**: entries record the invalidation epoch and the generations of the scopes
  the answer declared (``invalidation.depends_on``) plus ``plugins``. When any invalidation
  happened in any worker (a cheap memory-mapped read, or Redis), an entry that declared no
  scope is dropped; one that did survives only if its scopes are unchanged. Plugin hot reload
  is checked here too (throttled), so a changed plugin is seen without entering Flask.
* **Memory**: a ``cachetools.LRUCache`` bounded in bytes (``HOT_PATH_BYTES``); bodies over
  ``MAX_BODY`` are never kept.

**Lanes**: on a miss, a family's lane (``app.extensions[LANES_KEY]``) may answer a request it
can draw from the URL alone with its own view function, without Flask's request handling (the
custom family's plain static badges), and ``DRAWN_LISTENERS_KEY`` listeners (analytics) count
it as drawn. A lane's answer is stored the second time its request is drawn, not the first
(second-hit admission): drawing it again costs less than storing it, and a flood of one-off
URLs (a crawler, a scan) then never pushes READMEs' repeated badges out of the store. The
requests drawn once are remembered as hashes in a bounded set (``SEEN_LIMIT``; emptied when
full).

``last_good(environ)`` returns the stored answer for a request whatever its age: the limit
policy sends it (``X-Badge-Stale: 1``) to an image client that went over a limit.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import cachetools

from badgeapp.badges import invalidation

log = logging.getLogger(__name__)

#: a body larger than this is served but not kept
MAX_BODY = 256 * 1024
#: the WSGI environ key under which the app finds its hot path (for ``last_good``)
ENVIRON_KEY = "badgeapp.hot_path"
#: ``lane(environ)``: for a request it can draw, a WSGI app with a ``status_code`` (a
#: ``badge_response.Answer`` or a ``Response``), else None
Lane = Callable[[dict[str, Any]], Any]
#: fixed overhead counted per entry on top of its bytes (key, headers, bookkeeping)
ENTRY_OVERHEAD = 512
#: how many once-drawn lane requests are remembered (as hashes, about 60 bytes each)
SEEN_LIMIT = 32_768
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age=(\d+)")
_NEVER = ("private", "no-store", "no-cache")
_DROPPED_HEADERS = frozenset({"date", "age", "set-cookie", "connection", "transfer-encoding"})
_NOT_MODIFIED_DROPS = frozenset({"content-type", "content-length"})


@dataclasses.dataclass
class Stored:
    """One stored answer."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    stored_at: float
    expires_at: float
    epoch: int
    scopes: tuple[tuple[str, int], ...] | None
    size: int
    family: str | None = None


@dataclasses.dataclass(frozen=True)
class VariesOnAccept:
    """Marker stored under the base key: the answer depends on ``Accept``."""

    size: int = ENTRY_OVERHEAD


def request_key(environ: dict[str, Any]) -> tuple | None:
    """The canonical key of a request, or None when it must not use the hot path."""
    method = environ.get("REQUEST_METHOD")
    if method != "GET" and method != "HEAD":
        return None
    if environ.get("HTTP_AUTHORIZATION"):
        return None
    query = environ.get("QUERY_STRING", "")
    pairs: tuple = ()
    if query:
        try:
            decoded = parse_qsl(
                query.encode("latin-1").decode("utf-8", "surrogateescape"),
                keep_blank_values=True,
            )
        except (UnicodeError, ValueError):
            return None
        for name, _ in decoded:
            if name == "token":
                return None
        pairs = tuple(sorted(decoded, key=lambda pair: pair[0]))
    # the path as sent (still percent-encoded) when the server gives it: some routes read it
    # (``/badge/a%2Db-c`` is not ``/badge/a-b-c``), and PATH_INFO has lost the difference
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    return (
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        raw.split("?", 1)[0],
        pairs,
    )


def _max_age(cache_control: str) -> int:
    lowered = cache_control.lower()
    if any(word in lowered for word in _NEVER):
        return 0
    match = _MAX_AGE.search(lowered)
    return int(match.group(1)) if match else 0


class HotPath:
    """WSGI middleware: ``app.wsgi_app = HotPath(app.wsgi_app, flask_app, max_bytes)``."""

    def __init__(self, wsgi_app: Callable, flask_app: Any, max_bytes: int) -> None:
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self.max_bytes = max_bytes
        self.entries: cachetools.LRUCache = cachetools.LRUCache(
            maxsize=max(1, max_bytes), getsizeof=lambda entry: entry.size
        )
        self._lock = threading.Lock()
        self.hits = self.misses = self.drawn = 0
        #: hashes of the request keys a lane drew once and that were not stored
        self._seen: set[int] = set()
        #: ``listener(family, path, status)`` for each answer served from here (analytics);
        #: startup hooks add theirs to ``app.extensions[LISTENERS_KEY]`` before the install
        self.listeners: list[Callable[[str | None, str, int], None]] = (
            flask_app.extensions.setdefault(LISTENERS_KEY, [])
        )
        #: families' lanes, tried in order on a miss before Flask
        self.lanes: list[Lane] = flask_app.extensions.setdefault(LANES_KEY, [])
        #: ``listener(family, path, status)`` for each answer a lane drew
        self.drawn_listeners: list[Callable[[str | None, str, int], None]] = (
            flask_app.extensions.setdefault(DRAWN_LISTENERS_KEY, [])
        )

    # -- the store --------------------------------------------------------------------------
    def _generations(self) -> Any:
        return self.flask_app.extensions[invalidation.EXTENSION_KEY]

    def _current_epoch(self) -> int:
        registry = self.flask_app.extensions.get("badgeapp.plugins")
        if registry is not None and registry.maybe_reload():
            with self.flask_app.app_context():
                invalidation.invalidate("plugins")
        return invalidation.sync(self._generations())

    def _valid(self, entry: Stored, epoch: int, now: float) -> bool:
        if now >= entry.expires_at:
            return False
        if entry.epoch == epoch:
            return True
        if entry.scopes is None:
            return False
        store = self._generations()
        if all(store.generation(scope) == number for scope, number in entry.scopes):
            entry.epoch = epoch  # checked against this epoch: no need to look again
            return True
        return False

    def _find(self, key: tuple, environ: dict[str, Any]) -> tuple[tuple, Stored | None]:
        """The full key (with Accept when the answer varies on it) and its entry."""
        with self._lock:
            found = self.entries.get(key)
            if isinstance(found, VariesOnAccept):
                key = (*key, environ.get("HTTP_ACCEPT", ""))
                found = self.entries.get(key)
        return key, found

    def last_good(self, environ: dict[str, Any]) -> Stored | None:
        """The stored answer for this request, whatever its age (None when there is none)."""
        key = request_key(environ)
        if key is None:
            return None
        found = self._find(key, environ)[1]
        return found if isinstance(found, Stored) else None

    def clear(self) -> None:
        """Forget everything stored."""
        with self._lock:
            self.entries.clear()

    def stored_bytes(self) -> int:
        """Bytes accounted to stored entries now."""
        with self._lock:
            return int(self.entries.currsize)

    # -- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        environ[ENVIRON_KEY] = self
        key = request_key(environ)
        if key is None or self.max_bytes <= 0:
            return self.wsgi_app(environ, start_response)
        epoch = self._current_epoch()
        now = time.time()
        entry = self._find(key, environ)[1]
        conditional_on_date = "HTTP_IF_MODIFIED_SINCE" in environ and (
            "HTTP_IF_NONE_MATCH" not in environ
        )  # rare: the app compares dates
        if entry is not None and not conditional_on_date and self._valid(entry, epoch, now):
            self.hits += 1
            return self._serve(entry, environ, start_response, now)
        self.misses += 1
        return self._fall_through(key, epoch, now, environ, start_response)

    def _serve(
        self, entry: Stored, environ: dict[str, Any], start_response: Callable, now: float
    ) -> Iterable[bytes]:
        headers = [*entry.headers, ("Age", str(int(now - entry.stored_at)))]
        match = environ.get("HTTP_IF_NONE_MATCH")
        not_modified = bool(match and entry.etag and _matches(match, entry.etag))
        for listener in self.listeners:
            listener(entry.family, environ.get("PATH_INFO", ""), 304 if not_modified else 200)
        if not_modified:
            start_response(
                "304 Not Modified",
                [(k, v) for k, v in headers if k.lower() not in _NOT_MODIFIED_DROPS],
            )
            return []
        start_response(entry.status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fall_through(
        self,
        key: tuple,
        epoch: int,
        now: float,
        environ: dict[str, Any],
        start_response: Callable,
    ) -> Iterable[bytes]:
        answer = self._lane_answer(environ)
        if answer is not None:
            self.drawn += 1
            for listener in self.drawn_listeners:
                listener(environ.get(FAMILY_KEY), environ.get("PATH_INFO", ""), answer.status_code)
            if self._first_sight(key):
                return answer(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = (answer or self.wsgi_app)(environ, capture)
        if environ["REQUEST_METHOD"] != "GET" or not captured.get("status", "").startswith("200"):
            return result
        headers = captured["headers"]
        lifetime, vary_accept = self._storable(headers)
        if lifetime <= 0:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        # an invalidation while the answer was made: it may show the old data, do not keep it
        if len(body) <= MAX_BODY and invalidation.sync(self._generations()) == epoch:
            self._store(
                key, environ, captured["status"], headers, body, lifetime, epoch, now, vary_accept
            )
        return [body]

    def _first_sight(self, key: tuple) -> bool:
        """True the first time a lane draws ``key`` (remembered: the next time is stored)."""
        digest = hash(key)
        if digest in self._seen:
            self._seen.discard(digest)
            return False
        if len(self._seen) >= SEEN_LIMIT:
            self._seen.clear()
        self._seen.add(digest)
        return True

    def _lane_answer(self, environ: dict[str, Any]) -> Any:
        for lane in self.lanes:
            try:
                answer = lane(environ)
            except Exception:  # a lane never breaks a request: Flask answers it instead
                log.exception("hot path lane failed on %s", environ.get("PATH_INFO"))
                answer = None
            if answer is not None:
                return answer
        return None

    @staticmethod
    def _storable(headers: list[tuple[str, str]]) -> tuple[int, bool]:
        """(lifetime in seconds, varies on Accept); lifetime 0 when it must not be stored."""
        lifetime, vary_accept = 0, False
        for name, value in headers:
            lowered = name.lower()
            if lowered == "cache-control":
                lifetime = _max_age(value)
            elif lowered == "set-cookie":
                return 0, False
            elif lowered == "vary":
                fields = {field.strip().lower() for field in value.split(",") if field.strip()}
                if fields - {"accept"}:
                    return 0, False
                vary_accept = "accept" in fields
        return lifetime, vary_accept

    def _store(
        self,
        key: tuple,
        environ: dict[str, Any],
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
        lifetime: int,
        epoch: int,
        now: float,
        vary_accept: bool,
    ) -> None:
        kept: list[tuple[str, str]] = []
        etag = None
        size = len(body) + ENTRY_OVERHEAD + sum(len(str(part)) for part in key)
        for name, value in headers:
            lowered = name.lower()
            if lowered in _DROPPED_HEADERS:
                continue
            if lowered == "x-cache":
                value = "HIT"  # served from here, it is a hit
            elif lowered == "etag":
                etag = value
            kept.append((name, value))
            size += len(name) + len(value)
        declared = environ.get(invalidation.ENVIRON_KEY)
        scopes = None
        if declared:
            store = self._generations()
            names = sorted({*declared, "plugins"})
            scopes = tuple((name, store.generation(name)) for name in names)
        family = environ.get(FAMILY_KEY)
        entry = Stored(status, kept, body, etag, now, now + lifetime, epoch, scopes, size, family)
        if size > self.max_bytes:
            return
        with self._lock:
            if vary_accept:
                self.entries[key] = VariesOnAccept()
                key = (*key, environ.get("HTTP_ACCEPT", ""))
            self.entries[key] = entry


#: where startup hooks put their listeners of answers served from the hot path
LISTENERS_KEY = "badgeapp.hot_path.listeners"
#: where families put their lanes (see "Lanes" above)
LANES_KEY = "badgeapp.hot_path.lanes"
#: where startup hooks put their listeners of answers drawn by a lane
DRAWN_LISTENERS_KEY = "badgeapp.hot_path.drawn_listeners"
#: the WSGI environ key where the answering family (blueprint) is noted for stored answers
FAMILY_KEY = "badgeapp.family"


def _matches(header: str, etag: str) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def install(app: Any) -> HotPath | None:
    """Put the hot path in front of ``app`` (outermost WSGI layer); ``HOT_PATH_BYTES=0``: not."""
    max_bytes = int(app.config.get("HOT_PATH_BYTES", 0))
    if max_bytes <= 0:
        return None
    hot = HotPath(app.wsgi_app, app, max_bytes)
    app.wsgi_app = hot
    app.extensions[ENVIRON_KEY] = hot
    return hot
