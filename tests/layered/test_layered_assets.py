"""Image paths stay inside the asset folders; data URIs and decompression bombs are handled."""

from __future__ import annotations

import os
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from layered_builders import body, bomb_png, data_uri, image_layer, png_bytes, rgb
from PIL import Image

from badgeapp.layered import AssetError, AssetLibrary
from badgeapp.layered.assets import MAX_DATA_BASE64_CHARS, decode_image

URL = "/api/badge/generate"


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "/etc/hostname.png",
        "../../instance/config.py",
        "../icons/star.png",
        "icons/../../../etc/passwd.png",
        "icons/./star.png",
        "%2e%2e/%2e%2e/etc/passwd.png",
        "..%2fetc%2fpasswd.png",
        "icons\\..\\..\\secret.png",
        "icons/star.png\x00.txt",
        "C:/Windows/win.ini.png",
        "layers.py",
        "icons/star.txt",
        ".hidden.png",
    ],
)
def test_unsafe_paths_are_refused(assets, path):
    with pytest.raises(AssetError):
        assets.load(path)


@pytest.mark.parametrize("path", ["/etc/passwd", "../../instance/config.py", "%2e%2e/x.png"])
def test_unsafe_paths_are_422_naming_the_path(client, path):
    response = client.post(URL, json=body(image_layer(path)))
    assert response.status_code == 422
    (error,) = response.get_json()["detail"]
    assert error["loc"] == ["body", "layers", 0, "path"]


def test_symlink_that_leaves_the_folder_is_refused(assets, asset_dir, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(png_bytes())
    os.symlink(outside, asset_dir / "planted.png")
    with pytest.raises(AssetError, match="leads out"):
        assets.load("planted.png")
    os.symlink(tmp_path, asset_dir / "linked-dir")
    with pytest.raises(AssetError, match="leads out"):
        assets.load("linked-dir/outside.png")


def test_symlink_inside_the_folder_is_fine(assets, asset_dir):
    (asset_dir / "real.png").write_bytes(png_bytes())
    os.symlink(asset_dir / "real.png", asset_dir / "alias.png")
    _, image = assets.load("alias.png")
    assert image.size == (8, 8)


def test_missing_image_is_reported(assets):
    with pytest.raises(AssetError, match="no image"):
        assets.load("icons/unicorn.png")


def test_builtin_icons_are_there(assets):
    for name in ("star", "trophy", "check", "heart", "shield"):
        _, image = assets.load(f"icons/{name}.png")
        assert image.mode == "RGBA" and image.size == (256, 256)


def test_instance_assets_are_served(client, app):
    """An operator's image in instance/assets is usable by its relative path."""
    folder = Path(app.instance_path) / "assets"
    folder.mkdir(exist_ok=True)
    (folder / "logo.png").write_bytes(png_bytes((10, 10), (0, 0, 255, 255)))
    layer = image_layer("logo.png", size={"width": 100, "height": 100}, position={"x": 0, "y": 0})
    response = client.post(URL + "?format=png", json=body(layer))
    assert response.status_code == 200
    image = Image.open(BytesIO(response.data))
    assert rgb(image, 50, 50) == (0, 0, 255)
    assert rgb(image, 150, 150) == (255, 255, 255)


def test_data_uri_image(render):
    layer = image_layer(data_uri(png_bytes((4, 4), (255, 0, 0, 255))), size=60)
    image = render(body(layer))
    assert rgb(image, 300, 300) == (255, 0, 0)
    assert rgb(image, 250, 300) == (255, 255, 255)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("data:image/svg+xml;base64,PHN2Zz4=", "only data:image"),
        ("data:text/html;base64,PGI+", "only data:image"),
        ("data:image/png;base64,@@@not-base64@@@", "base64"),
        ("data:image/png;base64," + "A" * (MAX_DATA_BASE64_CHARS + 4), "longer than"),
        ("data:image/png;base64," + "aGVsbG8=", "not a readable"),
    ],
)
def test_bad_data_uris_are_refused(assets, uri, message):
    with pytest.raises(AssetError, match=message):
        assets.load(uri)


def test_decompression_bomb_is_refused_before_decoding():
    tracemalloc.start()
    try:
        with pytest.raises(AssetError, match="too large"):
            decode_image(bomb_png())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_bomb_as_data_uri_is_422(client):
    response = client.post(URL, json=body(image_layer(data_uri(bomb_png()))))
    assert response.status_code == 422
    (error,) = response.get_json()["detail"]
    assert error["loc"] == ["body", "layers", 0, "path"]
    assert "too large" in error["msg"]


def test_bomb_file_in_the_asset_folder_is_refused(assets, asset_dir):
    (asset_dir / "bomb.png").write_bytes(bomb_png(50_000, 50_000))
    with pytest.raises(AssetError, match="too large"):
        assets.load("bomb.png")


def test_wide_but_short_bomb_is_refused(assets, asset_dir):
    (asset_dir / "strip.png").write_bytes(bomb_png(100_000, 1))
    with pytest.raises(AssetError, match="too large"):
        assets.load("strip.png")


def test_cache_follows_file_changes(assets, asset_dir):
    path = asset_dir / "changing.png"
    path.write_bytes(png_bytes((4, 4)))
    assert assets.load("changing.png")[1].size == (4, 4)
    path.write_bytes(png_bytes((6, 6)))
    os.utime(path, ns=(1, 10**18))
    assert assets.load("changing.png")[1].size == (6, 6)


def test_library_without_folders_finds_nothing():
    with pytest.raises(AssetError):
        AssetLibrary([]).load("icons/star.png")


def test_asset_dirs_hook_lists_builtin_and_instance_folders(app):
    from badgeapp.builtin.assets import BUILTIN_ASSETS
    from badgeapp.plugins import get_registry

    instance_assets = Path(app.instance_path) / "assets"
    assert instance_assets.is_dir()  # made at start-up
    with app.app_context():
        folders = get_registry().asset_dirs()
    assert str(BUILTIN_ASSETS) in folders and str(instance_assets) in folders
