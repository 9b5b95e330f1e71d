"""Fixtures for the layered badge tests: the compositor as a library, and the spec's example."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from badgeapp.builtin.assets import BUILTIN_ASSETS
from badgeapp.builtin.fonts import badgeapp_fonts
from badgeapp.layered import AssetLibrary, FontBook, parse_request
from badgeapp.layered.compose import compose
from badgeapp.layered.examples import COMPLETE_EXAMPLE


@pytest.fixture(scope="session")
def fonts() -> FontBook:
    book = FontBook(badgeapp_fonts())
    assert book.default == "DejaVu Sans", "the built-in fonts must be installed (matplotlib)"
    return book


@pytest.fixture
def asset_dir(tmp_path: Path) -> Path:
    """An operator asset folder (like ``instance/assets``) for one test."""
    folder = tmp_path / "assets"
    folder.mkdir()
    return folder


@pytest.fixture
def assets(asset_dir: Path) -> AssetLibrary:
    return AssetLibrary([BUILTIN_ASSETS, asset_dir])


@pytest.fixture
def render(fonts: FontBook, assets: AssetLibrary) -> Callable[[dict[str, Any]], Image.Image]:
    """Validate and compose a request body with the library; returns the RGBA canvas."""

    def run(body: dict[str, Any]) -> Image.Image:
        return compose(parse_request(body), fonts, assets)

    return run


@pytest.fixture
def example() -> dict[str, Any]:
    """A fresh copy of the spec's complete example."""
    return copy.deepcopy(COMPLETE_EXAMPLE)
