"""Issue 11 item 9: layered error answers carry no internals (heap addresses, paths, modules).

A bad image used to answer ``not a readable ... image (cannot identify image file <_io.BytesIO
object at 0x7f61...>)``. Every error body below is scanned for addresses, object reprs, file
paths and module names.
"""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from layered_builders import body, data_uri, image_layer, png_bytes

import badgeapp.families.layered as layered_family
from badgeapp.public_text import public_message, scrub

URL = "/api/badge/generate"
INTERNALS = re.compile(
    r"0x[0-9a-fA-F]{4,}|object at|<_io\.|Traceback|site-packages|/usr/|/home/|/tmp/|/work/"
    r"|\b\w+\.py\b|badgeapp\.\w|PIL\.\w"
)


def truncated_png() -> bytes:
    data = png_bytes((64, 64), (1, 2, 3, 255))
    return data[: len(data) // 2]


def bad_crc_png() -> bytes:
    header = struct.pack(">IIBBBBB", 4, 4, 8, 6, 0, 0, 0)
    chunk = struct.pack(">I", len(header)) + b"IHDR" + header + b"\0\0\0\0"
    idat = zlib.compress(b"\0" * 17 * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk
        + struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    )


BAD_IMAGES = {
    "not an image": b"hello, world",
    "gif header only": b"GIF89a",
    "truncated png": truncated_png(),
    "png with a bad checksum": bad_crc_png(),
    "jpeg soi only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "random bytes": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(BAD_IMAGES))
def test_bad_image_errors_name_the_field_and_no_internals(client, name):
    response = client.post(URL + "?format=png", json=body(image_layer(data_uri(BAD_IMAGES[name]))))
    assert response.status_code == 422, response.data
    text = response.get_data(as_text=True)
    assert not INTERNALS.search(text), text
    (error,) = response.get_json()["detail"]
    assert error["loc"] == ["body", "layers", 0, "path"]
    assert "image" in error["msg"]


def test_the_issue_example_no_longer_leaks_a_heap_address(client):
    response = client.post(URL, json=body(image_layer(data_uri(b"not a png at all"))))
    msg = response.get_json()["detail"][0]["msg"]
    assert msg == "not a readable PNG, JPEG, GIF or WebP image"


def test_unexpected_failures_answer_500_without_the_exception_text(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("<_io.BytesIO object at 0x7f61dead> in /usr/lib/python3/x.py")

    monkeypatch.setattr(layered_family, "render_png", broken)  # a broken plugin font, say
    response = client.post(URL, json=body(image_layer()))
    assert response.status_code == 500
    assert response.get_json() == {"detail": "Failed to generate badge: internal error"}
    assert "0x7f61dead" in caplog.text  # the full text goes to the log


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("cannot identify image file <_io.BytesIO object at 0x7f61abcdef12>", "0x7f61"),
        ("failed in /usr/lib/python3/dist-packages/PIL/PngImagePlugin.py", "/usr/"),
        ("bad thing at 0xdeadbeefcafe", "0xdead"),
        ("broken module PngImagePlugin.py", ".py"),
    ],
)
def test_scrub_takes_internals_out(text, leak):
    assert leak not in scrub(text)
    assert scrub(text)


def test_public_message_keeps_plain_reasons():
    assert public_message(OSError("image file is truncated (3 bytes not processed)")) == (
        "image file is truncated (3 bytes not processed)"
    )
    assert public_message(ValueError("<x object at 0x12345678>")) == "the data"
    assert public_message(ValueError("")) == "ValueError"
