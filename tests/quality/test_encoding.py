"""Compressed uploads (Content-Encoding: gzip, deflate) and zip bombs."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgeapp.quality.encoding import decode_body
from badgeapp.quality.errors import MalformedReport, ReportTooLarge, UnsupportedReport


@given(st.binary(max_size=5000), st.sampled_from(["gzip", "deflate", "GZIP"]))
def test_round_trip_within_the_cap(data, encoding):
    packed = gzip.compress(data) if encoding.lower() == "gzip" else zlib.compress(data)
    assert decode_body(packed, encoding, limit=5000) == data


@given(st.integers(1, 4096))
def test_output_never_passes_the_cap(limit):
    bomb = gzip.compress(bytes(limit + 1))
    with pytest.raises(ReportTooLarge, match="decompressed"):
        decode_body(bomb, "gzip", limit)


def test_identity_and_missing_encoding_pass_through():
    assert decode_body(b"abc", None, 10) == b"abc"
    assert decode_body(b"abc", "identity", 10) == b"abc"


@pytest.mark.parametrize(
    ("body", "encoding", "error", "words"),
    [
        (b"not gzip at all", "gzip", MalformedReport, "not valid gzip"),
        (gzip.compress(b"x" * 100)[:-12], "gzip", MalformedReport, "truncated"),
        (b"\x1b\x00", "br", UnsupportedReport, "unsupported Content-Encoding 'br'"),
    ],
)
def test_bad_encodings(body, encoding, error, words):
    with pytest.raises(error, match=words):
        decode_body(body, encoding, 1000)


class TestCompressedUploads:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "QUALITY_MAX_REPORT_BYTES": 64 * 1024}

    def test_gzipped_report_is_read(self, client, upload_key, real_reports):
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data=gzip.compress(real_reports.cobertura.read_bytes()),
            headers={"Authorization": f"Bearer {upload_key}", "Content-Encoding": "gzip"},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["format"] == "cobertura"

    def test_zip_bomb_is_413(self, client, upload_key):
        bomb = gzip.compress(b'{"coverage": 1' + b" " * (8 * 1024 * 1024) + b"}")
        assert len(bomb) < 64 * 1024  # small on the wire
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data=bomb,
            headers={"Authorization": f"Bearer {upload_key}", "Content-Encoding": "gzip"},
        )
        assert response.status_code == 413
        assert response.get_json() == {
            "detail": "decompressed report is larger than the limit of 65536 bytes"
        }

    def test_unknown_encoding_is_415(self, client, upload_key):
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data=b"\x28\xb5\x2f\xfd",
            headers={"Authorization": f"Bearer {upload_key}", "Content-Encoding": "zstd"},
        )
        assert response.status_code == 415
        assert "zstd" in response.get_json()["detail"]
