"""The README's layered example is the spec's complete example, and it renders as documented."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

from PIL import Image

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> dict:
    text = README.read_text()
    section = text[text.index("## Layered image badges") :]
    match = re.search(r"curl -X POST \S+/api/badge/generate .*?-d '(\{.*?\})'\n```", section, re.S)
    assert match, "README has no curl example for POST /api/badge/generate"
    return json.loads(match.group(1))


def test_readme_example_is_the_spec_example_and_renders(client, example):
    body = readme_example()
    assert body == example
    response = client.post("/api/badge/generate", json=body)
    assert response.status_code == 200
    document = response.get_json()
    assert document["success"] is True
    assert document["message"] == "Badge generated successfully"
    assert document["config"] == body
    prefix = "data:image/png;base64,"
    assert document["data"]["base64"].startswith(prefix)
    assert document["data"]["filename"] == "badge.png"
    assert document["data"]["mimeType"] == "image/png"
    png = base64.b64decode(document["data"]["base64"][len(prefix) :])
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (600, 600)
