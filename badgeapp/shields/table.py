"""Every shields route this server answers, and the dispatcher the ``shields`` family calls.

``ROUTES`` is the ordered route table (GitHub, registries, other services, retired routes);
``SERVICES`` the first path segments it covers (the family registers one URL rule for them);
``answer(path, args, config)`` matches a path and runs its handler.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from badgeapp.errors import BadgeError
from badgeapp.providers.base import Value

from . import github, registries, retired, services
from .routes import Call, Route, match

ROUTES: tuple[Route, ...] = (
    *github.ROUTES,
    *registries.ROUTES,
    *services.ROUTES,
    *retired.ROUTES,
)

#: first path segments of the routes (``github``, ``pypi``, ...)
SERVICES: tuple[str, ...] = tuple(
    sorted({r.example.lstrip("/").split("/", 1)[0].split("?", 1)[0] for r in ROUTES})
)


@dataclasses.dataclass(frozen=True)
class Answer:
    """A matched route with its parameters and either the value or the error to draw."""

    route: Route
    params: dict[str, str]
    value: Value | None
    error: BadgeError | None

    @property
    def label(self) -> str:
        """The default label: shields' for the route, computed from the value where it is."""
        return self.route.label_for(self.params, self.value)


def answer(path: str, args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    """Match ``path`` (raises ``BadgeNotFound`` when no route does) and resolve its value."""
    found, params = match(ROUTES, path)
    try:
        value = found.handler(params, Call(args, config))
    except BadgeError as error:
        return Answer(found, params, None, error)
    return Answer(found, params, value, None)
