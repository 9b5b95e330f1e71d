"""GET /api/v1/badge/<type>/<org>/<repo>: what README readers see, as the spec describes it."""

from __future__ import annotations

import defusedxml.ElementTree as SafeET
import pytest

BADGE = "/api/v1/badge"


def svg_root(response):
    assert response.content_type.startswith("image/svg+xml")
    return SafeET.fromstring(response.data)


def aria(response) -> str:
    return svg_root(response).get("aria-label")


def fills(response) -> set[str]:
    return {el.get("fill") for el in svg_root(response).iter() if el.get("fill")}


@pytest.fixture
def project(upload):
    """acme/widgets with one summary report on main."""
    response = upload(
        {
            "coverage": 85,
            "quality": 72.5,
            "vulnerabilities": {"critical": 0, "high": 0, "medium": 3, "low": 1},
            "tests": {"passed": 1234, "failed": 2, "skipped": 5},
        }
    )
    assert response.status_code == 201, response.get_json()
    return "acme/widgets"


@pytest.mark.parametrize(
    ("badge_type", "label", "message", "fill"),
    [
        ("coverage", "coverage", "85%", "#4c1"),
        ("quality", "quality", "72.5", "#dfb317"),
        ("security", "security", "3 medium", "#007ec6"),
        ("tests", "tests", "1,234 passing", "#4c1"),
    ],
)
def test_each_badge_type_draws_the_latest_report(client, project, badge_type, label, message, fill):
    response = client.get(f"{BADGE}/{badge_type}/{project}")
    assert response.status_code == 200
    assert aria(response) == f"{label}: {message}"
    assert fill in fills(response)
    assert response.headers["Cache-Control"] == "max-age=300"
    assert response.headers["X-Badge-Type"] == badge_type


def test_json_by_format_parameter_or_accept_header(client, project):
    expected = {"schemaVersion": 1, "label": "tests", "message": "1,234 passing", "color": "4c1"}
    by_param = client.get(f"{BADGE}/tests/{project}?format=json")
    by_accept = client.get(f"{BADGE}/tests/{project}", headers={"Accept": "application/json"})
    for response in (by_param, by_accept):
        assert response.status_code == 200
        assert response.get_json() == expected
        assert response.headers["X-Badge-Type"] == "tests"
    browser = client.get(
        f"{BADGE}/tests/{project}", headers={"Accept": "image/avif,image/webp,*/*;q=0.8"}
    )
    assert browser.content_type.startswith("image/svg+xml")


@pytest.mark.parametrize("style", ["flat", "flat-square", "plastic"])
def test_the_three_spec_styles(client, project, style):
    response = client.get(f"{BADGE}/coverage/{project}?style={style}")
    assert response.status_code == 200
    assert aria(response) == "coverage: 85%"


def test_styles_draw_different_shapes(client, project):
    bodies = {
        client.get(f"{BADGE}/coverage/{project}?style={style}").data
        for style in ("flat", "flat-square", "plastic")
    }
    assert len(bodies) == 3


@pytest.mark.parametrize("style", ["neon", "for-the-badge", "FLAT", ""])
def test_other_styles_are_a_400(client, project, style):
    response = client.get(f"{BADGE}/coverage/{project}?style={style}")
    assert response.status_code == 400
    assert response.get_json() == {"detail": "Invalid style parameter"}


def test_color_and_label_override_the_computed_ones(client, project):
    response = client.get(f"{BADGE}/coverage/{project}?color=ff6b6b&label=test%20cov")
    assert aria(response) == "test cov: 85%"
    assert "#ff6b6b" in fills(response)
    assert "#4c1" not in fills(response)


def test_engine_parameters_apply(client, project):
    response = client.get(
        f"{BADGE}/coverage/{project}?labelColor=blue&link=https://example.com/cov&style=flat-square"
    )
    root = svg_root(response)
    assert "#007ec6" in fills(response)
    hrefs = {v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")}
    assert "https://example.com/cov" in hrefs


def test_cache_seconds_only_lengthens_max_age(client, project):
    longer = client.get(f"{BADGE}/coverage/{project}?cacheSeconds=3600")
    shorter = client.get(f"{BADGE}/coverage/{project}?cacheSeconds=10")
    assert longer.headers["Cache-Control"] == "max-age=3600"
    assert shorter.headers["Cache-Control"] == "max-age=300"


def test_etag_revalidation_gives_304_with_the_headers(client, project):
    first = client.get(f"{BADGE}/coverage/{project}")
    again = client.get(
        f"{BADGE}/coverage/{project}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["X-Badge-Type"] == "coverage"
    assert again.headers["Cache-Control"] == "max-age=300"


def test_unknown_project_is_404_json_for_json_clients(client):
    response = client.get(
        f"{BADGE}/coverage/nobody/nothing", headers={"Accept": "application/json"}
    )
    assert response.status_code == 404
    assert response.get_json() == {"detail": "Project not found", "project_id": "nobody/nothing"}
    by_param = client.get(f"{BADGE}/coverage/nobody/nothing?format=json")
    assert by_param.status_code == 404
    assert by_param.get_json()["project_id"] == "nobody/nothing"


def test_unknown_project_is_a_not_found_badge_for_images(client):
    response = client.get(f"{BADGE}/coverage/nobody/nothing", headers={"Accept": "image/*"})
    assert response.status_code == 404
    assert aria(response) == "coverage: not found"
    assert fills(response) & {"#e05d44", "#dd4343"}  # the engine's red
    custom = client.get(f"{BADGE}/tests/nobody/nothing?label=unit")
    assert custom.status_code == 404
    assert aria(custom) == "unit: not found"


def test_known_project_without_that_kind_of_report_is_404(client, upload):
    assert upload({"coverage": 50}).status_code == 201
    response = client.get(f"{BADGE}/security/acme/widgets?format=json")
    assert response.status_code == 404
    assert response.get_json() == {
        "detail": "No security report",
        "project_id": "acme/widgets",
        "badge_type": "security",
        "branch": "main",
    }
    assert client.get(f"{BADGE}/security/acme/widgets").status_code == 404


@pytest.mark.parametrize("path", ["..%2Fetc/passwd", "acme/wid%20gets", "acme/" + "x" * 101])
def test_impossible_project_names_are_not_found(client, path):
    response = client.get(f"{BADGE}/coverage/{path}?format=json")
    assert response.status_code == 404


def test_branch_parameter_selects_that_branch(client, upload):
    assert upload({"coverage": 91}).status_code == 201
    assert upload({"coverage": 42}, branch="feature/x").status_code == 201
    main = client.get(f"{BADGE}/coverage/acme/widgets?format=json").get_json()
    feature = client.get(f"{BADGE}/coverage/acme/widgets?branch=feature/x&format=json").get_json()
    assert (main["message"], main["color"]) == ("91%", "4c1")
    assert (feature["message"], feature["color"]) == ("42%", "e05d44")
    missing = client.get(f"{BADGE}/coverage/acme/widgets?branch=gone&format=json")
    assert missing.status_code == 404
    bad = client.get(f"{BADGE}/coverage/acme/widgets?branch=a%20b")
    assert bad.status_code == 400
    assert bad.get_json() == {"detail": "Invalid branch parameter"}


def test_grade_mode_and_vulnerability_mode(client, upload):
    assert upload({"vulnerabilities": {"critical": 2, "high": 5}}).status_code == 201
    vulns = client.get(f"{BADGE}/security/acme/widgets?format=json").get_json()
    assert (vulns["message"], vulns["color"]) == ("2 critical", "e05d44")
    assert upload({"grade": "A+"}).status_code == 201
    graded = client.get(f"{BADGE}/security/acme/widgets?format=json").get_json()
    assert (graded["message"], graded["color"]) == ("A+", "00b140")


def test_second_request_is_a_cache_hit_and_uploads_refresh_it(client, upload, project):
    url = f"{BADGE}/coverage/{project}?format=json"
    assert client.get(url).headers["X-Cache"] == "MISS"
    assert client.get(url).headers["X-Cache"] == "HIT"
    assert client.get(url + "&label=cov").headers["X-Cache"] == "MISS"  # its own key
    response = upload({"coverage": 55})
    assert response.get_json()["invalidated"] == 2
    fresh = client.get(url)
    assert fresh.headers["X-Cache"] == "MISS"
    assert fresh.get_json()["message"] == "55%"


class TestRateLimit:
    """The spec's free tier: N requests a minute per client; cached badges are not counted."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "QUALITY_RATE_LIMIT": "3/minute"}

    def test_misses_are_limited_and_hits_are_free(self, client, project):
        url = f"{BADGE}/coverage/{project}"
        for label in ("a", "b", "c"):  # three misses use the allowance
            assert client.get(f"{url}?label={label}").headers["X-Cache"] == "MISS"
        for _ in range(5):  # cached badges still come, and cost nothing
            assert client.get(f"{url}?label=a").status_code == 200
        refused = client.get(f"{url}?label=d", headers={"Accept": "application/json"})
        assert refused.status_code == 429
        body = refused.get_json()
        assert body["detail"] == "Rate limit exceeded"
        assert 0 < body["retry_after"] <= 60
        assert refused.headers["Retry-After"] == str(body["retry_after"])
        image = client.get(f"{url}?label=e")  # the limit policy: an image is never refused
        assert image.status_code == 200
        assert aria(image) == "e: rate limited"
        assert image.headers["Cache-Control"] == "no-store"


def test_project_names_are_case_insensitive(client, upload, project):
    response = client.get(f"{BADGE}/coverage/ACME/Widgets?format=json")
    assert response.status_code == 200
    assert response.get_json()["message"] == "85%"
    missing = client.get(f"{BADGE}/coverage/Nobody/Here?format=json")
    assert missing.get_json()["project_id"] == "Nobody/Here"  # echoed as given


def test_png_format(client, project):
    response = client.get(f"{BADGE}/coverage/{project}?format=png")
    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.headers["X-Badge-Type"] == "coverage"
    assert response.headers["Cache-Control"] == "max-age=300"
