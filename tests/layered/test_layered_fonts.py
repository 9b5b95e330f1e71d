"""Fonts: names map to registered families (never to server files); the fonts hook."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from layered_builders import body, text_layer
from PIL import Image

from badgeapp import create_app
from badgeapp.builtin.fonts import badgeapp_fonts
from badgeapp.layered.fonts import FontBook, font_key
from badgeapp.plugins import get_registry

URL = "/api/badge/generate?format=png"


def test_builtin_fonts_hook_ships_dejavu():
    families = {family["name"]: family for family in badgeapp_fonts()}
    assert set(families) == {"DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif"}
    assert families["DejaVu Sans"]["default"] is True
    for family in families.values():
        assert set(family["files"]) == {"regular", "bold", "italic", "bold_italic"}
        for path in family["files"].values():
            assert Path(path).is_file()
            assert Path(path).read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType file


def test_fonts_come_through_the_registry(app):
    with app.app_context():
        names = [family["name"] for family in get_registry().fonts()]
    assert "DejaVu Sans" in names


@pytest.mark.parametrize(
    ("requested", "family", "style"),
    [
        ("/System/Library/Fonts/Arial.ttf", "DejaVu Sans", "regular"),
        ("Arial.ttf", "DejaVu Sans", "regular"),
        ("C:\\Windows\\Fonts\\arialbd.ttf", "DejaVu Sans", "bold"),
        ("Helvetica-Bold", "DejaVu Sans", "bold"),
        ("Helvetica Neue Bold Italic.otf", "DejaVu Sans", "bold_italic"),
        ("DejaVu Sans", "DejaVu Sans", "regular"),
        ("DejaVuSans-Oblique.ttf", "DejaVu Sans", "italic"),
        ("Times New Roman.ttf", "DejaVu Serif", "regular"),
        ("Georgia Bold", "DejaVu Serif", "bold"),
        ("/usr/share/fonts/Courier New.ttf", "DejaVu Sans Mono", "regular"),
        ("monospace", "DejaVu Sans Mono", "regular"),
        ("Comic Sans MS.ttf", "DejaVu Sans", "regular"),
        ("/etc/passwd", "DejaVu Sans", "regular"),
        ("../../instance/config.py", "DejaVu Sans", "regular"),
        ("Mystery-Bold.ttf", "DejaVu Sans", "bold"),
    ],
)
def test_font_names_resolve_to_registered_families(fonts, requested, family, style):
    face = fonts.resolve(requested)
    assert (face.family, face.style) == (family, style)
    assert face.file in {path for f in badgeapp_fonts() for path in f["files"].values()}


def test_font_key_uses_the_base_name_only():
    assert font_key("/System/Library/Fonts/Arial.ttf") == "arial"
    assert font_key("C:\\Fonts\\Times New Roman.TTF") == "timesnewroman"
    assert font_key("Helvetica-Bold") == "helveticabold"


def test_font_book_without_fonts_uses_pillows_own_font():
    book = FontBook([])
    with pytest.raises(LookupError):
        book.resolve("Arial")
    assert book.font("Arial", 30).getlength("Hello") > 30


def test_bold_name_draws_heavier_text(client):
    def ink(font_path: str) -> int:
        layer = text_layer("Heavy", font={"path": font_path, "size": 60})
        image = Image.open(io.BytesIO(client.post(URL, json=body(layer)).data)).convert("L")
        return sum(image.histogram()[:128])

    assert ink("Arial-Bold.ttf") > 1.15 * ink("Arial.ttf")


def test_plugin_font_is_usable_by_name(app_config):
    """A family registered by a plugin through the hook is chosen by its name or alias."""
    serif = next(f for f in badgeapp_fonts() if f["name"] == "DejaVu Serif")["files"]["regular"]
    plugin = Path(app_config["BADGEAPP_PLUGINS_DIR"]) / "housefont.py"
    plugin.write_text(
        textwrap.dedent(
            f"""
            from badgeapp import hookimpl

            @hookimpl
            def badgeapp_fonts():
                return [{{"name": "House Font", "files": {{"regular": {serif!r}}},
                         "aliases": ["house", "Arial"]}}]
            """
        )
    )
    client = create_app(app_config).test_client()

    def png(font_path: str) -> bytes:
        layer = text_layer("Plugins", font={"path": font_path, "size": 50})
        response = client.post(URL, json=body(layer))
        assert response.status_code == 200
        return response.data

    assert png("House Font") == png("house.ttf") == png("DejaVu Serif")
    # the plugin's alias takes over the built-in one; unknown names keep the default family
    assert png("/System/Library/Fonts/Arial.ttf") == png("House Font")
    assert png("Unknown Font") == png("DejaVu Sans") != png("House Font")
