"""Bugs the contract tests found in files this area does not own, one strict xfail each.

Each test states the contract in the plainest request that breaks it; the reason names the
finding in ``.qa-findings.md``. When the owner fixes the bug the test passes, strict xfail
turns that into a failure, and the marker (and the walk's ``KNOWN_BUGS`` filter) must go.
"""

from __future__ import annotations

import pytest

from .checks import check_response


@pytest.mark.parametrize("url", ["/v2/compose?badges=a%00:b", "/v2/compose?badges=%1B"])
def test_compose_title_with_control_character_is_valid_xml(cclient, url):
    """Finding 1 (fixed in a5cee8b): kept as a regression test."""
    check_response(cclient.get(url))
