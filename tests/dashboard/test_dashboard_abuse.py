"""Abuse detection in analytics: the page's "Abuse detection" section and ``abuse`` in JSON."""

from __future__ import annotations

import pytest
from dashboard_helpers import log_in, make_key

from badgeapp import create_app

ENUMERATOR = "203.0.113.7"


@pytest.fixture
def app_config(app_config, fake_upstream):
    return {**app_config, **fake_upstream.config(), "ABUSE_MAX_SUBJECTS": 3}


def enumerate_repos(client, count: int = 6) -> list[int]:
    return [
        client.get(
            f"/v2/badge/github/user{i}/repo{i}/stars", environ_base={"REMOTE_ADDR": ENUMERATOR}
        ).status_code
        for i in range(count)
    ]


def test_the_analytics_page_shows_blocks_events_and_counters(app, admin):
    assert enumerate_repos(app.test_client()) == [200] * 4 + [429] * 2
    page = admin.get("/dashboard/analytics").get_data(as_text=True)
    section = page.split('id="abuse"', 1)[1]
    assert "Abuse detection" in section
    blocks = section.split('id="abuse-blocks"', 1)[1].split("</table>", 1)[0]
    assert f"<code>{ENUMERATOR}</code>" in blocks and "<td>4</td>" in blocks
    assert " UTC</td>" in blocks
    events = section.split('id="abuse-events"', 1)[1].split("</table>", 1)[0]
    assert ENUMERATOR in events
    counters = section.split('id="abuse-counters"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">blocks</th><td>1</td>' in counters
    assert '<th scope="row">refused</th><td>2</td>' in counters


def test_a_quiet_server_says_so(admin):
    section = admin.get("/dashboard/analytics").get_data(as_text=True).split('id="abuse"', 1)[1]
    assert "No address is blocked." in section and "No block so far." in section


def test_api_analytics_has_the_abuse_key(app, client, admin_key):
    enumerate_repos(app.test_client())
    response = client.get("/api/analytics", headers={"Authorization": f"Bearer {admin_key}"})
    assert response.status_code == 200
    abuse = response.get_json()["abuse"]
    assert abuse["enabled"] is True
    assert [b["address"] for b in abuse["blocks"]] == [ENUMERATOR]
    assert abuse["blocks"][0]["subjects"] == 4
    assert abuse["events"][0]["address"] == ENUMERATOR
    assert abuse["counters"]["blocks"] == 1 and abuse["counters"]["refused"] == 2


def test_abuse_detection_switched_off(app_config):
    app = create_app({**app_config, "ABUSE_DETECTION": False})
    key = make_key(app, ["admin"])
    client = app.test_client()
    body = client.get("/api/analytics", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert body["abuse"] == {"enabled": False, "blocks": [], "events": [], "counters": {}}
    log_in(client, key)
    page = client.get("/dashboard/analytics").get_data(as_text=True)
    assert "Abuse detection is off" in page


def test_abuse_is_reported_even_when_analytics_is_off(app_config):
    app = create_app({**app_config, "ANALYTICS_ENABLED": False})
    key = make_key(app, ["admin"])
    body = app.test_client().get("/api/analytics", headers={"Authorization": f"Bearer {key}"})
    assert body.get_json()["enabled"] is False
    assert body.get_json()["abuse"]["enabled"] is True
