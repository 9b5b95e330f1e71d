"""Running untrusted plugin code: a worker thread pool, a time limit, a cap per plugin.

``run_plugin`` calls ``provider.resolve((), metric, ctx)`` in the pool; an exception becomes a
``plugin error`` (``PluginError``, JSON 502), a timeout ``unresponsive`` (``PluginTimeout``),
never an escaping exception. At most ``MAX_IN_FLIGHT`` calls of one plugin run at a time, so a
plugin that hangs cannot take every worker thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any

from badgeapp.badges.provider_values import context
from badgeapp.errors import BadgeError, Inaccessible
from badgeapp.providers.base import Value

log = logging.getLogger(__name__)

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="plugin")
#: calls of one plugin that may run at once (the rest are refused at once)
MAX_IN_FLIGHT = 4

_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


class PluginError(BadgeError):
    """A plugin raised something that is not a badge error (JSON: 502, the plugin failed)."""

    message = "plugin error"
    status = 502


class PluginTimeout(Inaccessible):
    """A plugin did not answer within ``PLUGIN_TIMEOUT``."""

    message = "unresponsive"
    status = 504


def _slot(name: str) -> threading.BoundedSemaphore:
    with _slots_lock:
        slot = _slots.get(name)
        if slot is None:
            slot = _slots[name] = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        return slot


def run_plugin(provider: Any, metric: str, args: Any, config: Any, timeout: float) -> Value:
    """``provider.resolve((), metric, ctx)`` in the pool, bounded by ``timeout`` seconds."""
    slot = _slot(provider.name)
    if not slot.acquire(blocking=False):
        raise PluginTimeout(detail=f"plugin {provider.name} is busy")
    ctx = context(args, config)

    def call() -> Value:
        try:
            return provider.resolve((), metric, ctx)
        finally:
            slot.release()

    try:
        future = _pool.submit(call)
    except RuntimeError as exc:  # interpreter shutting down
        slot.release()
        raise PluginError(detail="plugin pool unavailable") from exc
    try:
        value = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise PluginTimeout(detail=f"plugin {provider.name} took longer than {timeout}s") from None
    except BadgeError:
        raise
    except BaseException as exc:  # SystemExit/KeyboardInterrupt too: they come from plugin code
        log.warning("plugin %s failed on %s: %r", provider.name, metric, exc)
        raise PluginError(detail=f"plugin {provider.name} raised {type(exc).__name__}") from exc
    if not isinstance(value, Value):
        raise PluginError(detail=f"plugin {provider.name} returned {type(value).__name__}")
    return value
