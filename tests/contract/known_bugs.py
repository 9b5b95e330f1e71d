"""Open bugs found by the contract tests, as predicates over a request URL.

The route walk skips inputs that hit a documented open bug, so one known bug does not hide
the next; each one has its strict-xfail test in ``test_known_bugs.py`` and an entry in
``/work/main/.qa-findings.md``. Remove the predicate when the bug is fixed.
"""

from __future__ import annotations

import urllib.parse


def _compose_control_char(url: str) -> bool:
    """Finding 1: a C0 control (other than tab/LF/CR) anywhere in a compose request."""
    if not url.startswith("/v2/compose"):
        return False
    text = urllib.parse.unquote(url)
    return any(ord(c) < 32 and c not in "\t\n\r" for c in text) or "\ufffe" in text


#: predicates over a request URL: the walk skips inputs that hit a documented open bug
KNOWN_BUGS = [_compose_control_char]


def known_bug(url: str) -> bool:
    return any(predicate(url) for predicate in KNOWN_BUGS)
