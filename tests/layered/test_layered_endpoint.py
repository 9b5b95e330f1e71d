"""POST /api/badge/generate through the Flask test client: the spec's example, formats, errors."""

from __future__ import annotations

import io
import json
import logging
import textwrap
from pathlib import Path
from typing import Any

import pytest
from layered_builders import body, close, png_from_response, rgb, shape_layer, text_layer
from PIL import Image

URL = "/api/badge/generate"


def test_complete_example_renders_as_the_spec_says(client, example):
    response = client.post(URL, json=example)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    payload = response.get_json()
    assert list(payload) == ["success", "message", "data", "config"]
    assert payload["success"] is True
    assert payload["message"] == "Badge generated successfully"
    assert payload["data"]["filename"] == "badge.png"
    assert payload["data"]["mimeType"] == "image/png"
    assert payload["config"] == example
    image = png_from_response(payload)
    assert image.size == (600, 600)

    # the hexagon's vertical gradient: gold near its top, orange-red near its bottom
    top, bottom = rgb(image, 300, 70), rgb(image, 300, 530)
    assert close(top, (255, 215, 0), 12) and close(bottom, (255, 69, 0), 12)
    assert top != bottom
    # outside the hexagon: the white background
    assert rgb(image, 20, 20) == (255, 255, 255)
    # "Achievement" in white across the centre of the badge
    centre_band = [rgb(image, x, y) for x in range(160, 440) for y in range(280, 320)]
    assert sum(p == (255, 255, 255) for p in centre_band) > 300
    # "Badge Earned" in white near y 400..430
    lower_band = [rgb(image, x, y) for x in range(220, 380) for y in range(400, 430)]
    assert sum(p == (255, 255, 255) for p in lower_band) > 60


def test_icon_is_drawn_at_y_100_with_its_opacity(client, example):
    with_icon = png_from_response(client.post(URL, json=example).get_json())
    example["layers"] = [layer for layer in example["layers"] if layer["type"] != "ImageLayer"]
    without_icon = png_from_response(client.post(URL, json=example).get_json())

    # the star (max 100x100, top at y 100) changes pixels between y 100 and 200 only
    diff = [
        (x, y)
        for x in range(200, 400, 2)
        for y in range(40, 260, 2)
        if rgb(with_icon, x, y) != rgb(without_icon, x, y)
    ]
    assert diff
    assert min(y for _, y in diff) >= 100 and max(y for _, y in diff) < 200
    assert min(x for x, _ in diff) >= 250 and max(x for x, _ in diff) < 350
    # the star's white body at 90 % opacity: almost white, tinted by the gradient beneath
    r, g, b = rgb(with_icon, 300, 160)
    _, g0, b0 = rgb(without_icon, 300, 160)
    assert (r, g, b) != (255, 255, 255)
    assert abs(b - round(0.9 * 255 + 0.1 * b0)) <= 3
    assert abs(g - round(0.9 * 255 + 0.1 * g0)) <= 3


def test_scale_factor_two_doubles_the_canvas(client, example):
    example["canvas"]["scale_factor"] = 2
    image = png_from_response(client.post(URL, json=example).get_json())
    assert image.size == (1200, 1200)
    assert close(rgb(image, 600, 140), (255, 215, 0), 14)
    assert rgb(image, 40, 40) == (255, 255, 255)


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?format=png", {}), ("", {"Accept": "image/png"})],
)
def test_png_itself_for_format_png_or_accept(client, example, query, headers):
    response = client.post(URL + query, json=example, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert 'filename="badge.png"' in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG" and image.size == (600, 600)


def test_accept_any_gets_json(client, example):
    response = client.post(URL, json=example, headers={"Accept": "*/*"})
    assert response.mimetype == "application/json"


def test_unknown_format_is_422(client, example):
    response = client.post(URL + "?format=gif", json=example)
    assert response.status_code == 422
    assert response.get_json() == {
        "detail": [{"loc": ["query", "format"], "msg": 'must be "json" or "png"'}]
    }


def test_cors_preflight(client):
    response = client.options(
        URL,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_validation_errors_name_the_field(client, example):
    example["layers"][3]["font"]["size"] = "big"
    example["layers"][1]["fill"]["start_color"] = "not-a-colour"
    example["layers"].append({"type": "SparkleLayer", "z": 1})
    response = client.post(URL, json=example)

    assert response.status_code == 422
    detail = response.get_json()["detail"]
    locs = [error["loc"] for error in detail]
    assert ["body", "layers", 3, "font", "size"] in locs
    assert ["body", "layers", 1, "fill", "start_color"] in locs
    assert ["body", "layers", 5, "type"] in locs
    assert all(isinstance(error["msg"], str) and error["msg"] for error in detail)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"{not json", "application/json"), (b"[1, 2]", "application/json"), (b"", "text/plain")],
)
def test_body_that_is_not_a_json_object_is_422(client, data, content_type):
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"] == ["body"]


def test_missing_layers_is_422(client):
    response = client.post(URL, json={"canvas": {"bg": "white"}})
    assert response.status_code == 422
    assert response.get_json()["detail"] == [{"loc": ["body", "layers"], "msg": "field required"}]


def test_body_over_two_mebibytes_is_refused(client):
    filler = "x" * (2 * 1024 * 1024)
    data = json.dumps(body(text_layer("hi"), shape_layer()) | {"padding": filler})
    response = client.post(URL, data=data, content_type="application/json")
    assert response.status_code == 413
    assert "larger than" in response.get_json()["detail"][0]["msg"]


def test_font_path_never_opens_a_server_file(client):
    """/etc/passwd as a font renders with the default font, like any unknown name."""
    layers = [shape_layer("circle"), text_layer("Hello")]
    default = client.post(URL + "?format=png", json=body(*layers))
    layers[1]["font"]["path"] = "/etc/passwd"
    odd = client.post(URL + "?format=png", json=body(*layers))
    assert odd.status_code == 200
    assert odd.data == default.data


@pytest.fixture
def broken_font_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A drop-in plugin that registers a font family whose file is not a font."""
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"this is not a font")
    plugin = Path(app_config["BADGEAPP_PLUGINS_DIR"]) / "brokenfont.py"
    plugin.write_text(
        textwrap.dedent(
            f"""
            from badgeapp import hookimpl

            @hookimpl
            def badgeapp_fonts():
                return [{{"name": "Broken", "files": {{"regular": {str(not_a_font)!r}}}}}]
            """
        )
    )
    return app_config


def test_render_failure_is_the_spec_500_and_logged(broken_font_config, caplog):
    from badgeapp import create_app

    client = create_app(broken_font_config).test_client()
    layer = text_layer("Hello", font={"path": "Broken.ttf", "size": 30})
    with caplog.at_level(logging.ERROR):
        response = client.post(URL, json=body(layer))
    assert response.status_code == 500
    detail = response.get_json()["detail"]
    assert detail.startswith("Failed to generate badge: ")
    assert any("layered badge render failed" in record.getMessage() for record in caplog.records)


def test_the_generator_is_rate_limited_per_client(app_config):
    from badgeapp import create_app

    client = create_app({**app_config, "RENDER_LIMIT": "2/minute"}).test_client()
    answers = [client.post(URL, json=body(text_layer("x"))) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[2].get_json()
    assert refused["error"] == "RateLimitExceeded" and 1 <= refused["retryAfter"] <= 61
    assert answers[2].headers["Retry-After"] == str(refused["retryAfter"])


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000,
        b'{"layers": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"layers": [], "x": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}",
    ],
)
def test_deeply_nested_json_is_422(client, data):
    response = client.post(URL, data=data, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"] == ["body"]
