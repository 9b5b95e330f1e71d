"""Open bugs found by the contract tests, as predicates over a request URL.

The route walk skips inputs that hit a documented open bug, so one known bug does not hide
the next; each one has its strict-xfail test in ``test_known_bugs.py`` and an entry in
``/work/main/.qa-findings.md``. Remove the predicate when the bug is fixed.
"""

from __future__ import annotations

from collections.abc import Callable

#: predicates over a request URL: the walk skips inputs that hit a documented open bug
KNOWN_BUGS: list[Callable[[str], bool]] = []


def known_bug(url: str) -> bool:
    return any(predicate(url) for predicate in KNOWN_BUGS)
