"""Issue 11 items 10, 11 and 16 on the quality family: multi-member gzip uploads, scopes that
compare project names as the store does (any case), and colours that agree with the badge."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from badgeapp.quality.encoding import decode_body
from badgeapp.quality.errors import ReportTooLarge
from badgeapp.quality.rules import GREEN, RED, YELLOW, badge_message

BADGE = "/api/v1/badge"


def fills(response) -> set[str]:
    assert response.content_type.startswith("image/svg+xml"), response.data[:200]
    return {el.get("fill") for el in SafeET.fromstring(response.data).iter() if el.get("fill")}


def aria(response) -> str:
    return SafeET.fromstring(response.data).get("aria-label")


# -- item 10: every gzip member is decoded --------------------------------------------------


def test_gzip_c_of_two_files_decodes_both_members(tmp_path):
    """What ``gzip -c a b`` writes: two members, one after the other (RFC 1952 2.2)."""
    gzip_tool = shutil.which("gzip")
    if gzip_tool is None:
        pytest.skip("no gzip tool")
    (tmp_path / "a").write_bytes(b"first half\n" * 100)
    (tmp_path / "b").write_bytes(b"second half\n" * 100)
    packed = subprocess.run(
        [gzip_tool, "-c", str(tmp_path / "a"), str(tmp_path / "b")],
        check=True,
        capture_output=True,
    ).stdout
    assert decode_body(packed, "gzip", 10_000) == b"first half\n" * 100 + b"second half\n" * 100


@given(st.lists(st.binary(max_size=300), min_size=1, max_size=6))
def test_any_sequence_of_members_is_their_concatenation(parts):
    packed = b"".join(gzip.compress(part) for part in parts)
    assert decode_body(packed, "gzip", 2000) == b"".join(parts)


def test_members_share_one_limit():
    """Many members each under the limit still stop at the limit of their sum (a bomb of
    small members is no way round the cap)."""
    member = gzip.compress(bytes(600))
    with pytest.raises(ReportTooLarge, match="limit of 1000 bytes"):
        decode_body(member * 2, "gzip", 1000)
    bombs = gzip.compress(bytes(1_000_000)) * 50
    with pytest.raises(ReportTooLarge):
        decode_body(bombs, "gzip", 64 * 1024)


def test_zero_padding_after_the_last_member_is_ignored():
    assert decode_body(gzip.compress(b"abc") + bytes(16), "gzip", 100) == b"abc"


class TestMultiMemberUpload:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "QUALITY_MAX_REPORT_BYTES": 64 * 1024}

    def test_report_split_over_two_members_is_read_whole(self, client, upload_key, real_reports):
        report = real_reports.cobertura.read_bytes()
        half = len(report) // 2
        body = gzip.compress(report[:half]) + gzip.compress(report[half:])
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data=body,
            headers={"Authorization": f"Bearer {upload_key}", "Content-Encoding": "gzip"},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["format"] == "cobertura"

    def test_bomb_in_the_second_member_is_413(self, client, upload_key):
        body = gzip.compress(b'{"coverage": 1') + gzip.compress(b" " * (8 * 1024 * 1024) + b"}")
        assert len(body) < 64 * 1024
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data=body,
            headers={"Authorization": f"Bearer {upload_key}", "Content-Encoding": "gzip"},
        )
        assert response.status_code == 413


# -- item 11: scopes compare project names in any case ---------------------------------------


@pytest.mark.parametrize("project", ["ACME/WIDGETS", "Acme/Widgets", "acme/widgets"])
def test_upload_scope_covers_the_project_in_any_case(upload, project):
    response = upload({"coverage": 85}, project=project)
    assert response.status_code == 201, response.get_json()


def test_upload_scope_still_refuses_other_projects(upload):
    assert upload({"coverage": 85}, project="ACME/gadgets").status_code == 403


def test_wildcard_scope_in_any_case(client, api_key):
    key = api_key("upload:Acme/*")
    response = client.post(
        "/api/v1/reports/ACME/anything",
        json={"coverage": 85},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.get_json()


# -- item 16: colours agree with what the badge says -----------------------------------------


@pytest.fixture
def coverage_45(upload):
    assert upload({"coverage": 45}).status_code == 201
    return "acme/widgets"


@pytest.mark.parametrize("color", ["zzz", "not-a-colour", "#12345", "rgb(1,2)"])
def test_invalid_color_falls_back_to_the_computed_red(client, coverage_45, color):
    response = client.get(f"{BADGE}/coverage/{coverage_45}", query_string={"color": color})
    assert response.status_code == 200
    assert aria(response) == "coverage: 45%"
    assert f"#{RED}" in fills(response)
    assert "#4b0" not in fills(response) and "#4c1" not in fills(response)


def test_valid_color_still_overrides(client, coverage_45):
    response = client.get(f"{BADGE}/coverage/{coverage_45}?color=blue")
    assert f"#{RED}" not in fills(response)


def test_eighty_point_oh_one_reads_eighty_and_is_yellow_like_eighty(client, upload):
    assert upload({"coverage": 80.01}).status_code == 201
    response = client.get(f"{BADGE}/coverage/acme/widgets")
    assert aria(response) == "coverage: 80%"
    assert f"#{YELLOW}" in fills(response)
    assert badge_message("coverage", {"coverage": 80}) == ("80%", YELLOW)
    assert badge_message("coverage", {"coverage": 80.1}) == ("80.1%", GREEN)
    assert badge_message("quality", {"quality": 85.04}) == ("85", YELLOW)


_PERCENT = st.decimals(min_value=0, max_value=100, places=3).map(float)


@given(_PERCENT, _PERCENT, st.sampled_from(["coverage", "quality"]))
@example(80.01, 80.0, "coverage")
@example(85.04, 85.0, "quality")
def test_same_shown_value_same_colour(a, b, kind):
    """The colour is a function of the text shown: two values that read the same are drawn
    the same, and a higher shown value is never a worse colour."""
    text_a, color_a = badge_message(kind, {kind: a})
    text_b, color_b = badge_message(kind, {kind: b})
    if text_a == text_b:
        assert color_a == color_b
    rank = {RED: 0, YELLOW: 1, GREEN: 2}
    shown_a, shown_b = float(text_a.rstrip("%")), float(text_b.rstrip("%"))
    if shown_a <= shown_b:
        assert rank[color_a] <= rank[color_b]
