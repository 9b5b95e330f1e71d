"""POST /api/v1/reports (uploads from CI), report history, invalidation and cache stats."""

from __future__ import annotations

import io

import pytest

from badgeapp.quality.rules import badge_message

BADGE = "/api/v1/badge"


def badge_json(client, badge_type: str, project: str = "acme/widgets", **query: str) -> dict:
    response = client.get(
        f"{BADGE}/{badge_type}/{project}", query_string={**query, "format": "json"}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# -- each format, uploaded as CI would, shows up on its badge


def test_cobertura_upload(client, upload, real_reports):
    response = upload(real_reports.cobertura.read_bytes(), content_type="application/xml")
    assert response.status_code == 201
    body = response.get_json()
    assert body["format"] == "cobertura"
    assert body["reports"][0]["metrics"] == {"coverage": real_reports.coverage_percent}
    assert body["badges"] == {"coverage": "http://localhost/api/v1/badge/coverage/acme/widgets"}
    message, color = badge_message("coverage", {"coverage": real_reports.coverage_percent})
    shown = badge_json(client, "coverage")
    assert (shown["message"], shown["color"]) == (message, color)


def test_coverage_json_upload(client, upload, real_reports):
    response = upload(real_reports.coverage_json.read_bytes(), content_type="application/json")
    assert response.status_code == 201
    assert response.get_json()["format"] == "coveragepy"
    expected = badge_message("coverage", {"coverage": real_reports.coverage_percent})[0]
    assert badge_json(client, "coverage")["message"] == expected


def test_lcov_upload_sent_as_plain_text(client, upload, real_reports):
    response = upload(real_reports.lcov.read_bytes(), content_type="text/plain")
    assert response.status_code == 201
    assert response.get_json()["format"] == "lcov"
    assert badge_json(client, "coverage")["message"].endswith("%")


def test_junit_upload(client, upload, real_reports):
    response = upload(real_reports.junit.read_bytes(), content_type="application/xml")
    assert response.status_code == 201
    assert response.get_json()["reports"][0]["metrics"] == {"tests": real_reports.junit_expected}
    shown = badge_json(client, "tests")
    assert (shown["message"], shown["color"]) == ("4 passing", "4c1")


def test_sarif_upload(client, upload, sarif_report):
    response = upload(sarif_report, content_type="application/sarif+json")
    assert response.status_code == 201
    assert response.get_json()["format"] == "sarif"
    shown = badge_json(client, "security")
    assert (shown["message"], shown["color"]) == ("2 critical", "e05d44")


def test_summary_upload_feeds_all_four_badges(client, upload):
    response = upload(
        {"coverage": 59.5, "quality": 90, "grade": "C", "tests": {"passed": 12, "failed": 1}}
    )
    assert response.status_code == 201
    assert sorted(response.get_json()["badges"]) == ["coverage", "quality", "security", "tests"]
    assert badge_json(client, "coverage")["color"] == "e05d44"
    assert badge_json(client, "quality")["color"] == "4c1"
    assert badge_json(client, "security")["message"] == "C"
    assert badge_json(client, "tests")["message"] == "12 passing"


def test_multipart_upload_like_curl_form(client, upload_key, real_reports):
    response = client.post(
        "/api/v1/reports/acme/widgets",
        data={"file": (io.BytesIO(real_reports.junit.read_bytes()), "junit.xml")},
        headers={"Authorization": f"Bearer {upload_key}"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["format"] == "junit"


def test_forced_format(upload):
    response = upload(b'{"coverage": 70}', format="summary")
    assert response.status_code == 201
    unknown = upload(b'{"coverage": 70}', format="clover")
    assert unknown.status_code == 400
    assert "clover" in unknown.get_json()["detail"]


# -- what is refused, and why


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png", 415, "unsupported report format"),
        (b"<html><p>hi</p></html>", "text/html", 415, "root <html>"),
        (b"<coverage line-rate='0.5'>", "application/xml", 400, "not well-formed XML"),
        (b'{"coverage": 101}', "application/json", 400, "above 100"),
        (b"", "application/xml", 400, "empty body"),
        (
            b'<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><coverage line-rate="1">&x;'
            b"</coverage>",
            "application/xml",
            400,
            "entity declarations",
        ),
    ],
)
def test_refused_uploads_name_the_problem(upload, body, content_type, status, words):
    response = upload(body, content_type=content_type)
    assert response.status_code == status
    assert words in response.get_json()["detail"]


def test_refused_upload_stores_nothing(client, upload):
    assert upload(b"<coverage>", content_type="application/xml").status_code == 400
    assert client.get("/api/v1/reports/acme/widgets").status_code == 404


class TestSizeCap:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "QUALITY_MAX_REPORT_BYTES": 1000}

    def test_a_body_over_the_cap_is_413(self, upload):
        assert upload({"coverage": 50}).status_code == 201  # under the cap
        big = b'{"coverage": 50' + b" " * 1000 + b"}"
        response = upload(big, content_type="application/json")
        assert response.status_code == 413
        assert response.get_json() == {"detail": "report is larger than the limit of 1000 bytes"}

    def test_multipart_file_over_the_cap_is_413(self, client, upload_key):
        response = client.post(
            "/api/v1/reports/acme/widgets",
            data={"file": (io.BytesIO(b"SF:a\n" + b"DA:1,1\n" * 400), "lcov.info")},
            headers={"Authorization": f"Bearer {upload_key}"},
        )
        assert response.status_code == 413


def test_the_default_cap_is_ten_mebibytes(upload):
    padding = b" " * (10 * 1024 * 1024)
    response = upload(b'{"coverage": 50' + padding + b"}", content_type="application/json")
    assert response.status_code == 413
    assert "10485760 bytes" in response.get_json()["detail"]


def test_upload_needs_a_key_for_that_project(client, api_key):
    url = "/api/v1/reports/acme/widgets"
    assert client.post(url, data=b'{"coverage": 1}').status_code == 401
    other = api_key("upload:acme/gadgets")
    response = client.post(
        url, data=b'{"coverage": 1}', headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 403
    for scope in ("admin", "upload:acme/*"):
        key = api_key(scope)
        response = client.post(
            url, data=b'{"coverage": 1}', headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 201, scope


def test_invalid_project_names_are_refused_on_upload(client, api_key):
    key = api_key("admin")
    response = client.post(
        "/api/v1/reports/acme/wid%20gets",
        data=b'{"coverage": 1}',
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert "Invalid project name" in response.get_json()["detail"]


# -- history per branch


def test_history_is_kept_per_branch_newest_first(client, upload):
    for value, branch in ((60, "main"), (70, "main"), (20, "dev")):
        assert upload({"coverage": value}, branch=branch).status_code == 201
    assert upload({"tests": {"passed": 3}}).status_code == 201
    main = client.get("/api/v1/reports/acme/widgets?branch=main&kind=coverage").get_json()
    assert [r["metrics"]["coverage"] for r in main["reports"]] == [70.0, 60.0]
    assert {r["branch"] for r in main["reports"]} == {"main"}
    everything = client.get("/api/v1/reports/acme/widgets").get_json()["reports"]
    assert [r["kind"] for r in everything] == ["tests", "coverage", "coverage", "coverage"]
    limited = client.get("/api/v1/reports/acme/widgets?limit=1").get_json()["reports"]
    assert len(limited) == 1
    assert client.get("/api/v1/reports/acme/widgets?kind=speed").status_code == 400
    assert client.get("/api/v1/reports/acme/widgets?limit=x").status_code == 400
    assert badge_json(client, "coverage")["message"] == "70%"
    assert badge_json(client, "coverage", branch="dev")["message"] == "20%"


# -- invalidation and stats


def _warm(client) -> None:
    for query in ("", "?style=plastic", "?label=cov"):
        assert client.get(f"{BADGE}/coverage/acme/widgets{query}").status_code == 200
    assert client.get(f"{BADGE}/tests/acme/widgets").status_code == 200


def test_invalidate_one_badge_type_then_all(client, upload, upload_key):
    assert upload({"coverage": 90, "tests": {"passed": 5}}).status_code == 201
    _warm(client)
    auth = {"Authorization": f"Bearer {upload_key}"}
    one = client.post(f"{BADGE}/invalidate/acme/widgets?badge_type=coverage", headers=auth)
    assert one.status_code == 200
    assert one.get_json() == {
        "project_id": "acme/widgets",
        "badge_type": "coverage",
        "invalidated": 3,
    }
    rest = client.post(f"{BADGE}/invalidate/acme/widgets", headers=auth)
    assert rest.get_json() == {"project_id": "acme/widgets", "badge_type": None, "invalidated": 1}
    bad = client.post(f"{BADGE}/invalidate/acme/widgets?badge_type=speed", headers=auth)
    assert bad.status_code == 400
    assert bad.get_json() == {"detail": "Invalid badge_type parameter"}


def test_invalidation_needs_a_key(client, api_key):
    assert client.post(f"{BADGE}/invalidate/acme/widgets").status_code == 401
    other = api_key("upload:someone/else")
    response = client.post(
        f"{BADGE}/invalidate/acme/widgets", headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 403


def test_cache_stats(client, upload):
    empty = client.get(f"{BADGE}/cache/stats").get_json()
    assert empty == {
        "total_entries": 0,
        "active_entries": 0,
        "expired_entries": 0,
        "default_ttl": 300,
    }
    assert upload({"coverage": 90, "tests": {"passed": 5}}).status_code == 201
    _warm(client)
    stats = client.get(f"{BADGE}/cache/stats").get_json()
    assert stats == {
        "total_entries": 4,
        "active_entries": 4,
        "expired_entries": 0,
        "default_ttl": 300,
    }


class TestUploadRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WRITE_LIMIT": "2/minute"}

    def test_uploads_share_the_write_limit_and_get_the_spec_429(self, upload):
        assert upload({"coverage": 1}).status_code == 201
        assert upload({"coverage": 2}).status_code == 201
        refused = upload({"coverage": 3})
        assert refused.status_code == 429
        body = refused.get_json()
        assert body == {"detail": "Rate limit exceeded", "retry_after": body["retry_after"]}
        assert 1 <= body["retry_after"] <= 61
        assert refused.headers["Retry-After"] == str(body["retry_after"])


def test_uploads_in_any_case_update_one_project(client, api_key):
    key = api_key("upload:Acme/Widgets")
    response = client.post(
        "/api/v1/reports/Acme/Widgets",
        json={"coverage": 33},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    assert badge_json(client, "coverage", "acme/widgets")["message"] == "33%"
    # one entry whatever the case and the format: the key holds what the badge says
    assert client.get("/api/v1/badge/coverage/ACME/WIDGETS").headers["X-Cache"] == "HIT"
    gone = client.post(
        "/api/v1/badge/invalidate/Acme/Widgets", headers={"Authorization": f"Bearer {key}"}
    )
    assert gone.get_json()["invalidated"] == 1
