"""An example pip-installable badgeapp plugin.

It contributes a provider ``dice`` with one metric ``roll`` (a deterministic roll of a die
named by the subject: ``/v2/badge/dice/<name>/roll``) and a theme ``sunset``.
Installed with ``pip install ./examples/badgeapp-plugin-example``; badgeapp finds it through
the ``badgeapp`` entry point group declared in its pyproject.toml.
"""

from __future__ import annotations

import hashlib

from badgeapp import hookimpl
from badgeapp.providers.base import ResolveContext, Value


class DiceProvider:
    """Rolls a die named by the subject; the same name always rolls the same number."""

    name = "dice"
    subject_parts = 1
    metrics = {"roll": "a roll of the six-sided die named by the subject"}

    def resolve(self, subject: tuple[str, ...], metric: str, ctx: ResolveContext) -> Value:
        digest = hashlib.sha256(subject[0].encode()).digest()
        roll = digest[0] % 6 + 1
        return Value(
            raw=roll, display=str(roll), label="dice", color="blue" if roll < 6 else "gold"
        )


@hookimpl
def badgeapp_providers() -> list[DiceProvider]:
    return [DiceProvider()]


@hookimpl
def badgeapp_themes() -> list[dict]:
    return [
        {
            "name": "sunset",
            "description": "Warm orange and purple.",
            "label_color": "#5b2a86",
            "color": "#f77f00",
            "text_color": "#ffffff",
        }
    ]
