"""The quality API's documentation page (``/api/v1/badge/docs``), rendered from its OpenAPI
document on the server: plain HTML with inline styles, no scripts and nothing fetched."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "section{border-top:1px solid #ddd;padding:.5rem 0}"
    "code{background:#f4f4f4;padding:.1rem .3rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;"
    "text-align:left;vertical-align:top}"
)


def _text(value: Any) -> str:
    return escape(str(value), quote=False)


def _parameters(parameters: list[Mapping[str, Any]]) -> str:
    if not parameters:
        return ""
    rows = "".join(
        f"<tr><td><code>{_text(p['name'])}</code></td><td>{_text(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else 'no'}</td>"
        f"<td>{_text(p.get('description', ''))}</td></tr>"
        for p in parameters
    )
    return (
        "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th>"
        f"<th>description</th></tr>{rows}</table>"
    )


def _responses(responses: Mapping[str, Mapping[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{_text(status)}</td><td>{_text(answer.get('description', ''))}</td>"
        f"<td>{_text(', '.join(answer.get('content', {})))}</td></tr>"
        for status, answer in responses.items()
    )
    return (
        "<h4>Responses</h4><table><tr><th>status</th><th>description</th>"
        f"<th>content</th></tr>{rows}</table>"
    )


def render_docs(document: Mapping[str, Any], document_url: str) -> str:
    """One section per operation: method and path, summary, parameters and responses."""
    info = document.get("info", {})
    sections = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            sections.append(
                f"<section><h3><code>{_text(method.upper())} {_text(path)}</code></h3>"
                f"<p>{_text(operation.get('summary', ''))}</p>"
                f"{_parameters(operation.get('parameters', []))}"
                f"{_responses(operation.get('responses', {}))}</section>"
            )
    title = _text(info.get("title", "API"))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title} <small>{_text(info.get('version', ''))}</small></h1>"
        f"<p>{_text(info.get('description', ''))}</p>"
        f'<p>Machine-readable: <a href="{escape(document_url)}">'
        f"<code>{_text(document_url)}</code></a> (OpenAPI "
        f"{_text(document.get('openapi', ''))}).</p>"
        f"{''.join(sections)}</body></html>"
    )
