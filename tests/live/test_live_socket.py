"""WS /ws/live/...: a real WebSocket client against the app on a real (threaded) server."""

from __future__ import annotations

import time

import pytest
import requests
import websocket

from .wsclient import WsClient

REPO = "/ws/live/github/pallets/flask"


def test_current_value_at_once(live_server):
    server = live_server()
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        message = ws.next()
    finally:
        ws.close()
    assert message == {
        "type": "value",
        "topic": "github/pallets/flask/stars",
        "provider": "github",
        "subject": "pallets/flask",
        "metric": "stars",
        "value": 12345,
        "display": "12k",
        "color": "blue",
        "badge": "/v2/badge/github/pallets/flask/stars",
        "fetched_at": message["fetched_at"],
        "stale": False,
    }
    # the badge URL in the message is a real badge
    badge = requests.get(server.http_url(message["badge"]), timeout=10)
    assert badge.status_code == 200 and "12k" in badge.text


def test_a_change_upstream_reaches_the_client_within_2_seconds(live_server, changing_upstream):
    server = live_server()
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        assert ws.next()["value"] == 12345
        changing_upstream.stars["pallets/flask"] = 12999
        changed_at = time.monotonic()
        message = ws.next(timeout=2.0)
        assert time.monotonic() - changed_at < 2.0
    finally:
        ws.close()
    assert (message["value"], message["display"]) == (12999, "13k")


def test_many_watchers_cost_one_poll_per_interval(live_server, changing_upstream):
    server = live_server(LIVE_MAX_PER_ADDRESS=0)  # 0: no cap
    clients = [WsClient(server.ws_url(REPO + "?metrics=stars")) for _ in range(30)]
    try:
        for ws in clients:
            assert ws.next()["value"] == 12345
        changing_upstream.reset_counts()
        time.sleep(3.2)
        polls = changing_upstream.count(r"^/github/repos/pallets/flask$")
    finally:
        for ws in clients:
            ws.close()
    assert 2 <= polls <= 5  # about one a second, not thirty


def test_subscribe_and_unsubscribe_by_message_on_the_metric_form(live_server):
    server = live_server()
    ws = WsClient(server.ws_url("/ws/live/stars"))
    try:
        ws.send_json({"type": "subscribe", "subjects": ["github/pallets/flask"]})
        assert ws.next()["topic"] == "github/pallets/flask/stars"
        ws.send_json({"type": "subscribe", "topics": ["pypi/flask/version"]})
        assert ws.next()["topic"] == "pypi/flask/version"
        ws.send_json({"type": "unsubscribe", "subjects": ["github/pallets/flask"]})
        ws.send_json({"type": "ping"})
        assert ws.next("pong")["type"] == "pong"
        hub = server.app.extensions["badgeapp.live"]
        assert hub.watchers("github/pallets/flask/stars") == 0
        assert hub.watchers("pypi/flask/version") == 1
    finally:
        ws.close()


def test_the_query_form_of_the_metric_socket(live_server):
    server = live_server()
    url = server.ws_url("/ws/live/forks?subject=github/pallets/flask")
    ws = WsClient(url)
    try:
        message = ws.next()
    finally:
        ws.close()
    assert (message["metric"], message["value"]) == ("forks", 2345)


@pytest.mark.parametrize(
    "message, error",
    [
        ({"type": "subscribe", "metrics": ["nope"]}, "badge not found"),
        ({"type": "subscribe", "topics": ["nosuch/a/b/stars"]}, "badge not found"),
        ({"type": "subscribe", "topics": ["github/only-owner/stars"]}, "badge not found"),
        ({"type": "subscribe", "topics": ["github/a b/c/stars"]}, "invalid parameter"),
        ({"type": "subscribe", "topics": ["plugin/system/cpu"]}, "badge not found"),
        ({"type": "subscribe", "subjects": ["github/pallets/flask"]}, None),
        ({"type": "subscribe", "metrics": "stars"}, None),
        ({"type": "subscribe", "metrics": [1, 2]}, None),
        ({"type": "dance"}, None),
        ([1, 2, 3], None),
    ],
)
def test_bad_messages_get_an_error_and_the_socket_stays_open(live_server, message, error):
    server = live_server()
    ws = WsClient(server.ws_url(REPO))
    try:
        ws.send_json(message)
        answer = ws.next(None)
        if answer["type"] == "value":  # "stars" as a string is accepted as one metric
            assert message == {"type": "subscribe", "metrics": "stars"}
        else:
            assert answer["type"] == "error"
            if error:
                assert answer["error"] == error
        ws.send("not json {")
        assert ws.next("error")["error"] == "messages are JSON objects"
        ws.send_json({"type": "ping"})
        assert ws.next("pong")
    finally:
        ws.close()


def test_subscriptions_per_socket_are_capped(live_server):
    server = live_server(LIVE_MAX_SUBSCRIPTIONS=1)
    ws = WsClient(server.ws_url(REPO + "?metrics=stars,forks"))
    try:
        first = ws.next(None)
        second = ws.next(None)
    finally:
        ws.close()
    kinds = sorted([first["type"], second["type"]])
    assert kinds == ["error", "value"]
    refused = first if first["type"] == "error" else second
    assert refused["topic"] == "github/pallets/flask/forks"


def test_heartbeats(live_server):
    server = live_server(LIVE_HEARTBEAT_SECONDS=0.5)
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        beat = ws.next("heartbeat", timeout=3)
    finally:
        ws.close()
    assert beat["at"].endswith("+00:00")


def test_a_socket_without_subscriptions_is_closed_when_idle(live_server):
    server = live_server(LIVE_IDLE_TIMEOUT=0.5)
    ws = WsClient(server.ws_url(REPO))
    assert ws.closed_with() == 1000
    # a watching socket stays open past the idle timeout
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        ws.next()
        time.sleep(1.0)
        ws.send_json({"type": "ping"})
        assert ws.next("pong")
    finally:
        ws.close()


def test_connections_per_address_are_capped(live_server):
    server = live_server(LIVE_MAX_PER_ADDRESS=2)
    first = WsClient(server.ws_url(REPO + "?metrics=stars"))
    second = WsClient(server.ws_url(REPO + "?metrics=stars"))
    third = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        assert third.closed_with() == 1008
        first.next()
        first.close()
        time.sleep(0.5)
        again = WsClient(server.ws_url(REPO + "?metrics=stars"))
        assert again.next()["value"] == 12345  # a slot freed by the close
        again.close()
    finally:
        second.close()


def test_origins_outside_the_allow_list_are_refused(live_server):
    server = live_server(LIVE_ALLOWED_ORIGINS="https://example.org")
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        WsClient(server.ws_url(REPO + "?metrics=stars"), headers={"Origin": "https://evil.example"})
    assert refused.value.status_code == 403
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"), headers={"Origin": "https://example.org"})
    try:
        assert ws.next()["value"] == 12345
    finally:
        ws.close()


def test_plain_http_on_a_socket_route_asks_for_the_upgrade(live_server):
    server = live_server()
    response = requests.get(server.http_url(REPO), timeout=10)
    assert response.status_code == 426
    assert response.headers["Upgrade"] == "websocket"
    assert response.json()["error"] == "UpgradeRequired"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        WsClient(server.ws_url("/v2/badge/github/pallets/flask/stars"))
    assert refused.value.status_code == 400


def test_shutdown_closes_sockets_cleanly(live_server):
    server = live_server()
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    ws.next()
    server.app.extensions["badgeapp.live"].close()
    assert ws.closed_with() == 1001


def test_a_webhook_pushes_the_new_value_to_watchers_at_once(live_server, changing_upstream):
    import hashlib
    import hmac
    import json

    secret = "webhook-secret"
    server = live_server(LIVE_MIN_INTERVAL=600, LIVE_MAX_INTERVAL=600, GITHUB_WEBHOOK_SECRET=secret)
    ws = WsClient(server.ws_url(REPO + "?metrics=stars"))
    try:
        assert ws.next()["value"] == 12345
        changing_upstream.stars["pallets/flask"] = 54321
        assert ws.poll(timeout=1.5) is None  # the next poll is 10 minutes away
        body = json.dumps({"repository": {"full_name": "pallets/flask"}}).encode()
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        response = requests.post(
            server.http_url("/webhook/github"),
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-GitHub-Event": "star",
                "X-GitHub-Delivery": "d0b7a1e2-0000-4000-8000-000000000001",
                "X-Hub-Signature-256": signature,
            },
            timeout=10,
        )
        assert response.status_code == 200
        message = ws.next(timeout=2.0)
    finally:
        ws.close()
    assert (message["value"], message["display"]) == (54321, "54k")


def test_an_oversized_message_closes_the_socket(live_server):
    server = live_server(LIVE_MAX_MESSAGE_BYTES=200)
    ws = WsClient(server.ws_url(REPO))
    ws.send_json({"type": "subscribe", "topics": ["x" * 500]})
    assert ws.closed_with() == 1009
