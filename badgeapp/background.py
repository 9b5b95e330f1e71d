"""Periodic work off the request path: one daemon thread per process for every app's tasks.

``every(seconds, method)`` runs a bound method every ``seconds`` until it returns ``False`` or
its object is gone: tasks hold their object weakly, so an app that is no longer used (a test's,
or one replaced by a reload) stops its polling instead of keeping a thread of its own alive.
``at_exit`` methods (held weakly too) run once when the interpreter exits. After a fork the
child starts with no tasks; owners register again from the child (they compare ``os.getpid()``).
"""

from __future__ import annotations

import atexit
import gc
import heapq
import itertools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

log = logging.getLogger(__name__)

_lock = threading.Lock()
_wake = threading.Condition(_lock)
#: (due, sequence, interval, weak method) in due order
_tasks: list[tuple[float, int, float, weakref.WeakMethod]] = []
_at_exit: list[weakref.WeakMethod] = []
_sequence = itertools.count()
_thread_pid: int | None = None
#: how many tasks the thread is running right now (out of the heap meanwhile)
_running = 0


def every(seconds: float, method: Callable[[], bool | None], first: float | None = None) -> None:
    """Call the bound ``method`` every ``seconds``, off requests; the first call comes after
    ``first`` seconds (default: one interval).

    It stops when ``method`` returns ``False`` or its object has been garbage-collected. An
    exception is logged and the task goes on.
    """
    global _thread_pid
    with _wake:
        heapq.heappush(
            _tasks,
            (
                time.monotonic() + (seconds if first is None else first),
                next(_sequence),
                seconds,
                weakref.WeakMethod(method),
            ),
        )
        if _thread_pid != os.getpid():
            _thread_pid = os.getpid()
            threading.Thread(target=_run, name="badgeapp-background", daemon=True).start()
        _wake.notify()


def at_exit(method: Callable[[], object]) -> None:
    """Call the bound ``method`` once at interpreter exit, if its object is still alive."""
    with _lock:
        _at_exit.append(weakref.WeakMethod(method))


def pending() -> int:
    """How many periodic tasks of live objects this process has (for tests and health)."""
    with _lock:
        return _running + sum(1 for task in _tasks if task[3]() is not None)


def _run() -> None:
    global _running
    while True:
        with _wake:
            while not _tasks or _tasks[0][0] > time.monotonic():
                _wake.wait(_tasks[0][0] - time.monotonic() if _tasks else None)
            _due, sequence, seconds, ref = heapq.heappop(_tasks)
            method = ref()
            if method is None:
                continue
            _running += 1
        try:
            keep = method() is not False
        except Exception:
            log.exception("background task %r failed", method)
            keep = True
        del method
        with _wake:
            _running -= 1
            if keep:
                heapq.heappush(_tasks, (time.monotonic() + seconds, sequence, seconds, ref))


def _run_at_exit() -> None:
    gc.collect()  # objects only a reference cycle kept are gone, not flushed one last time
    with _lock:
        methods = [ref() for ref in _at_exit]
    for method in methods:
        if method is None:
            continue
        try:
            method()
        except Exception:
            log.exception("exit task %r failed", method)


def _forget_after_fork() -> None:
    global _thread_pid, _lock, _wake, _running
    _running = 0
    _lock = threading.Lock()
    _wake = threading.Condition(_lock)
    _tasks.clear()
    _at_exit.clear()
    _thread_pid = None


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(_run_at_exit)
