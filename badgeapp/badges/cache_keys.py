"""Cache keys built from a structured, escaped form: never by joining user text with separators.

``structured_key("quality", org, repo, kind, style, color, label, branch)`` hashes the JSON
array of its parts (JSON escapes every quote and backslash, and keeps the boundary between
parts), so two different tuples of parts never give one key, whatever the parts contain:
``?label=:branch=dev`` cannot land on the key of ``?branch=dev``.
"""

from __future__ import annotations

import hashlib
import json


def canonical(*parts: object) -> str:
    """The unambiguous text of ``parts`` (a JSON array; non-JSON values by ``repr``)."""
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=repr)


def structured_key(*parts: object) -> str:
    """A short hex key for ``parts`` (BLAKE2b-160 of ``canonical``)."""
    return hashlib.blake2b(canonical(*parts).encode("utf-8"), digest_size=20).hexdigest()
