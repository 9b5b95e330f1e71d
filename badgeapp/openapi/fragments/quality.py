"""The quality family, from its own document (``badgeapp.quality.openapi``, OpenAPI 3.0)
brought to 3.1 (``nullable`` becomes a ``null`` type) and tagged."""

from __future__ import annotations

from typing import Any

from badgeapp.quality.openapi import openapi_document

TAG = {"name": "quality", "description": "Coverage, quality, security and tests badges."}


def to_31(node: Any) -> Any:
    """A 3.0 schema tree as 3.1: ``{"type": t, "nullable": true}`` -> ``{"type": [t, "null"]}``."""
    if isinstance(node, list):
        return [to_31(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: to_31(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        converted["type"] = [node["type"], "null"]
    return converted


def fragment() -> dict[str, Any]:
    document = to_31(openapi_document())
    for item in document["paths"].values():
        for operation in item.values():
            operation.setdefault("tags", ["quality"])
    return {
        "tags": [TAG],
        "paths": document["paths"],
        "components": {"schemas": document["components"]["schemas"]},
    }
