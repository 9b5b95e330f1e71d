"""gunicorn's access logger with users' tokens taken out of the logged request line.

Badge URLs may carry a user's GitHub token (``?token=ghp_...``); the security checklist says a
token is never logged. gunicorn.conf.py sets ``logger_class`` to ``RedactingLogger``.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_SECRET_PARAM = re.compile(r"(?i)(\b(?:token|access_token|key|api_key)=)[^&\s\"]*")


def redact(text: str) -> str:
    """``text`` with the value of every token-like query parameter replaced by ``[redacted]``."""
    return _SECRET_PARAM.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    """A gunicorn logger whose access-log atoms never hold a token."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "q", "U"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms
