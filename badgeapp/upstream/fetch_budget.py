"""A cap on the cold upstream calls one piece of work (one composite image) may make.

``limited_fetches(n)`` opens a budget in the current context; ``Upstream.get`` spends one unit
on every call that would go upstream (a fresh cached answer costs nothing) and, once the budget
is spent, serves the stale answer or raises ``FetchesSpent`` instead of calling. Work handed
to other threads keeps the budget when submitted with ``contextvars.copy_context().run``. The
budget is per request and independent of any per-client rate limit.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator

from badgeapp.errors import Inaccessible


class FetchesSpent(Inaccessible):
    """The work already made as many upstream calls as it may; this value was not fetched."""

    message = "not fetched"


class FetchBudget:
    """How many upstream calls are left, shared by every thread of one piece of work."""

    def __init__(self, calls: int) -> None:
        self.limit = calls
        self.spent = 0
        self.refused = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one call; False (and counted as refused) when none is left."""
        with self._lock:
            if self.spent < self.limit:
                self.spent += 1
                return True
            self.refused += 1
            return False


_current: contextvars.ContextVar[FetchBudget | None] = contextvars.ContextVar(
    "badgeapp_fetch_budget", default=None
)


@contextlib.contextmanager
def limited_fetches(calls: int) -> Iterator[FetchBudget]:
    """Cap the upstream calls made in this context (and contexts copied from it) at ``calls``."""
    budget = FetchBudget(calls)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def current_budget() -> FetchBudget | None:
    """The budget of the current context, if one was opened."""
    return _current.get()
