"""Open bugs found by the contract tests, as predicates over a request URL.

The route walk skips inputs that hit a documented open bug, so one known bug does not hide
the next; each one has its strict-xfail test in ``test_known_bugs.py`` and an entry in
``/work/main/.qa-findings.md``. Remove the predicate when the bug is fixed.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable

_QUALITY_STYLES = ("flat", "flat-square", "plastic")
_BRANCH = re.compile(r"^[^\x00-\x20\x7f~^:?*\[\\]{1,255}$")


def _quality_400_as_json(url: str) -> bool:
    """Finding 8: a quality badge with a style or branch the spec refuses answers its 400 as
    JSON even to an image client (a broken image)."""
    path, _, query = url.partition("?")
    if not path.startswith("/api/v1/badge/"):
        return False
    args = urllib.parse.parse_qs(query, keep_blank_values=True)
    style = args.get("style", [None])[0]
    branch = args.get("branch", [""])[0]
    return (style is not None and style not in _QUALITY_STYLES) or bool(
        branch and not _BRANCH.match(branch)
    )


#: predicates over a request URL: the walk skips inputs that hit a documented open bug
KNOWN_BUGS: list[Callable[[str], bool]] = [_quality_400_as_json]


def known_bug(url: str) -> bool:
    return any(predicate(url) for predicate in KNOWN_BUGS)
