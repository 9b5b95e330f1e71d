"""A small WebSocket test client over websocket-client: JSON messages, close codes, timeouts."""

from __future__ import annotations

import contextlib
import json
import struct
import time
from typing import Any

import pytest
import websocket
from websocket import ABNF


class Closed(Exception):
    """The server closed the socket; ``code`` is its close code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class WsClient:
    """``WsClient(url, headers)``: ``send``/``send_json``, ``next(kind)``, ``closed_with()``."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        headers = dict(headers or {})
        origin = headers.pop("Origin", None)  # websocket-client sends its own Origin otherwise
        self.ws = websocket.create_connection(url, header=headers, origin=origin, timeout=10)

    def send(self, text: str) -> None:
        self.ws.send(text)

    def send_json(self, message: Any) -> None:
        self.ws.send(json.dumps(message))

    def receive(self, timeout: float) -> str | None:
        """One text message, or None (timeout or a control frame); ``Closed`` on close."""
        self.ws.settimeout(max(0.01, timeout))
        try:
            opcode, data = self.ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            return None
        except websocket.WebSocketConnectionClosedException:
            raise Closed(1006) from None
        if opcode == ABNF.OPCODE_CLOSE:
            raise Closed(struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005)
        if opcode == ABNF.OPCODE_TEXT:
            return data.decode()
        return None

    def next(self, kind: str | None = "value", timeout: float = 5.0) -> dict:
        """The next message of type ``kind`` (any when None); fails after ``timeout`` s."""
        found = self.poll(kind, timeout)
        if found is None:
            pytest.fail(f"no {kind or 'message'} within {timeout} s")
        return found

    def poll(self, kind: str | None = "value", timeout: float = 5.0) -> dict | None:
        """Like ``next`` but None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            text = self.receive(left)
            if text is None:
                continue
            message = json.loads(text)
            if kind is None or message.get("type") == kind:
                return message
        return None

    def closed_with(self, timeout: float = 5.0) -> int:
        """Read until the server closes the socket; its close code."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self.receive(deadline - time.monotonic())
        except Closed as closed:
            return closed.code
        pytest.fail("the server did not close the socket")

    def close(self) -> None:
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self.ws.close(timeout=1)
