"""The dashboard: landing page, badge builder, theme editor, analytics and plugins (thin views).

Pages are Jinja templates (``badgeapp/templates/``) with a stylesheet and a little JavaScript
(``badgeapp/static/``) served from ``/dashboard/assets/``; every page works without JavaScript.
Forms are WTForms with flask-wtf CSRF tokens. Editing themes needs a session from an API key
with the ``themes`` or ``admin`` scope; analytics needs ``admin``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from badgeapp.analytics.hooks import get_flusher
from badgeapp.analytics.report import WINDOWS, report
from badgeapp.auth import AuthError, auth_error_response, check_api_key
from badgeapp.dashboard import builder, login
from badgeapp.dashboard.forms import (
    ActionForm,
    ImportForm,
    InstallForm,
    LoginForm,
    NameForm,
    ThemeForm,
    fill_theme_form,
    form_field_of,
    theme_doc,
)
from badgeapp.dashboard.live_page import live_form
from badgeapp.dashboard.plugin_table import plugin_rows
from badgeapp.errors import InvalidParameter
from badgeapp.hookspecs import hookimpl
from badgeapp.http.badge_response import bytes_response, error_response
from badgeapp.http.query import STYLES
from badgeapp.plugins import get_registry
from badgeapp.render import BadgeSpec
from badgeapp.render.charts import COLORS, bar_chart, hbar_chart
from badgeapp.render.engine import render_spec
from badgeapp.render.themes import load_theme
from badgeapp.security.abuse import abuse_report
from badgeapp.storage.apikeys import ADMIN_SCOPE
from badgeapp.theming import catalog, store
from badgeapp.theming.install import InstallError, install_from_url

PACKAGE = Path(__file__).resolve().parents[1]
bp = Blueprint(
    "dashboard",
    __name__,
    template_folder=str(PACKAGE / "templates"),
    static_folder=str(PACKAGE / "static"),
    static_url_path="/dashboard/assets",
)
#: a theme preview query may carry this much JSON
MAX_PREVIEW_DOC = 4096


@bp.after_request
def _page_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"logged_in": login.current_scopes() is not None if _is_dashboard() else False}


def _is_dashboard() -> bool:
    return request.blueprint == "dashboard"


def _families() -> list[builder.Family]:
    return builder.all_families(get_registry().providers())


def _theme_names() -> list[str]:
    return [t["name"] for t in catalog.list_themes(get_registry(), store.rows_if_available())]


def _reserved() -> set[str]:
    return catalog.plugin_theme_names(get_registry())


# -- pages everyone sees --------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    families = _families()
    return render_template("index.html", families=families, styles=STYLES)


@bp.get("/dashboard")
def overview() -> str:
    themes = catalog.list_themes(get_registry(), store.rows_if_available())
    summary, chart = None, None
    if login.allowed(ADMIN_SCOPE):
        summary = _analytics("hour")
        if summary.get("enabled"):
            labels = [_step_label(step, "hour") for step in summary["steps"]]
            chart = bar_chart(summary["renders_series"], labels, title="Renders, last hour")
    return render_template(
        "dashboard.html",
        families=_families(),
        themes=themes,
        plugins=len(get_registry().plugins()),
        summary=summary,
        chart=chart,
    )


def _builder_state() -> dict[str, Any]:
    families = _families()
    family = builder.find_family(families, request.args.get("family") or request.args.get("q"))
    values = {key: value for key, value in request.args.items() if key not in ("family", "q")}
    result = builder.check(family, values)
    base = request.host_url.rstrip("/")
    link = values.get("link") if "link" not in result["errors"] else None
    alt = values.get("label") or family.title
    return {
        "family": family,
        "families": families,
        "values": values,
        "result": result,
        "url": base + result["path"],
        "snippets": builder.snippets(base + result["path"], alt, link),
    }


def _variant(path: str, **params: str) -> str:
    """``path`` with the preview's own style/theme (the user's removed)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("style", "theme")]
    query += list(params.items())
    return parts.path + ("?" + urlencode(query) if query else "")


@bp.get("/dashboard/builder")
def builder_page() -> str:
    state = _builder_state()
    path = state["result"]["path"]
    engine = state["family"].engine
    previews = {
        "styles": [(s, _variant(path, style=s)) for s in STYLES] if engine else [],
        "themes": [(t, _variant(path, theme=t)) for t in _theme_names()] if engine else [],
    }
    return render_template(
        "builder.html",
        **state,
        previews=previews,
        engine_fields=builder.ENGINE_FIELDS,
        families_json=json.dumps([f.id for f in state["families"]]),
    )


@bp.get("/dashboard/builder/check")
def builder_check() -> Response:
    state = _builder_state()
    path = state["result"]["path"]
    engine = state["family"].engine
    return jsonify(
        {
            "family": state["family"].id,
            "path": path,
            "url": state["url"],
            "errors": state["result"]["errors"],
            "snippets": state["snippets"],
            "styles": {s: _variant(path, style=s) for s in STYLES} if engine else {},
            "themes": {t: _variant(path, theme=t) for t in _theme_names()} if engine else {},
        }
    )


@bp.get("/dashboard/plugins")
def plugins_page() -> str:
    return render_template("plugins.html", rows=plugin_rows(get_registry()))


# -- login --------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/dashboard") and "//" not in target and "\\" not in target:
        return target
    return url_for("dashboard.themes_page")


@bp.route("/dashboard/login", methods=["GET", "POST"], endpoint="login")
def login_page() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        if login.log_in(form.key.data or ""):
            return redirect(_safe_next(request.args.get("next")))
        form.key.errors = ["this key is unknown, revoked, or lacks the 'themes' or 'admin' scope"]
    status = 400 if request.method == "POST" else 200
    return render_template("login.html", form=form), status


@bp.post("/dashboard/logout")
def logout() -> Any:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, "the form expired: reload the page and try again")
    login.log_out()
    return redirect(url_for("dashboard.index"))


# -- themes -------------------------------------------------------------------------------


def _theme_page_forms() -> dict[str, Any]:
    return {
        "name_form": NameForm(),
        "action_form": ActionForm(),
        "import_form": ImportForm(),
        "install_form": InstallForm(),
    }


@bp.get("/dashboard/themes")
@login.login_required()
def themes_page() -> str:
    themes = catalog.list_themes(get_registry(), store.rows_if_available())
    return render_template("themes.html", themes=themes, styles=STYLES, **_theme_page_forms())


def _save_theme(form: ThemeForm, original: str | None) -> tuple[bool, str | None]:
    """Validate and store; on failure put the engine's error next to its input."""
    doc = theme_doc(form)
    try:
        if original and original != doc["name"]:
            store.rename(original, doc["name"], reserved=_reserved())
        store.save(doc, origin="editor", replace=bool(original), reserved=_reserved())
    except store.ThemeStoreError as exc:
        field = getattr(form, form_field_of(exc.field), form.name)
        field.errors = [*field.errors, str(exc).split(": ", 1)[-1]]
        return False, None
    return True, doc["name"]


@bp.route("/dashboard/themes/new", methods=["GET", "POST"])
@login.login_required()
def theme_new() -> Any:
    form = ThemeForm()
    if request.method == "GET":
        base = request.args.get("from")
        doc = catalog.find_doc(get_registry(), store.rows_if_available(), base) if base else None
        fill_theme_form(form, dict(doc or {"name": ""}, name=""))
    elif form.validate_on_submit():
        ok, name = _save_theme(form, None)
        if ok:
            flash(f"Theme {name} saved: use it with ?theme={name}")
            return redirect(url_for("dashboard.theme_edit", name=name))
    status = 400 if request.method == "POST" else 200
    return render_template("theme_edit.html", form=form, original=None, styles=STYLES), status


@bp.route("/dashboard/themes/<name>/edit", methods=["GET", "POST"])
@login.login_required()
def theme_edit(name: str) -> Any:
    doc = store.get_doc(name)
    if doc is None:
        abort(404)
    form = ThemeForm()
    if request.method == "GET":
        fill_theme_form(form, doc)
    elif form.validate_on_submit():
        ok, saved = _save_theme(form, name)
        if ok:
            flash(f"Theme {saved} saved")
            return redirect(url_for("dashboard.theme_edit", name=saved))
    status = 400 if request.method == "POST" else 200
    return render_template("theme_edit.html", form=form, original=name, styles=STYLES), status


@bp.post("/dashboard/themes/<name>/duplicate")
@login.login_required()
def theme_duplicate(name: str) -> Any:
    doc = catalog.find_doc(get_registry(), store.rows_if_available(), name)
    if doc is None:
        abort(404)

    def copy(new_name: str) -> Any:
        store.duplicate(doc, new_name, reserved=_reserved())
        flash(f"Copied {name} to {new_name}")
        return redirect(url_for("dashboard.theme_edit", name=new_name))

    return _with_new_name("Not copied", copy)


@bp.post("/dashboard/themes/<name>/rename")
@login.login_required()
def theme_rename(name: str) -> Any:
    def rename(new_name: str) -> Any:
        store.rename(name, new_name, reserved=_reserved())
        flash(f"Renamed {name} to {new_name}")
        return redirect(url_for("dashboard.themes_page"))

    return _with_new_name("Not renamed", rename)


def _with_new_name(not_done: str, act: Callable[[str], Any]) -> Any:
    """``act(new name)`` when the new-name form is valid, its answer the response; a store
    refusal or a form error is flashed as ``{not_done}: ...`` and the themes page shown."""
    form = NameForm()
    if form.validate_on_submit():
        try:
            return act(form.new_name.data)
        except store.ThemeStoreError as exc:
            flash(f"{not_done}: {exc}", "error")
    else:
        flash(f"{not_done}: {_form_errors(form)}", "error")
    return redirect(url_for("dashboard.themes_page"))


@bp.post("/dashboard/themes/<name>/delete")
@login.login_required()
def theme_delete(name: str) -> Any:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, "the form expired: reload the page and try again")
    if store.delete(name):
        flash(f"Deleted {name}")
    return redirect(url_for("dashboard.themes_page"))


@bp.get("/dashboard/themes/<name>/export")
@login.login_required()
def theme_export(name: str) -> Response:
    doc = catalog.find_doc(get_registry(), store.rows_if_available(), name)
    if doc is None:
        abort(404)
    response = Response(json.dumps(doc, indent=2) + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@bp.post("/dashboard/themes/import")
@login.login_required()
def theme_import() -> Any:
    form = ImportForm()
    if not form.validate_on_submit():
        flash(f"Not imported: {_form_errors(form)}", "error")
        return redirect(url_for("dashboard.themes_page"))
    upload = form.file.data
    text = upload.read(store.MAX_THEME_BYTES + 1) if upload else (form.text.data or "")
    try:
        doc = store.parse_json(text)
        store.save(doc, origin="import", reserved=_reserved())
        flash(f"Imported {doc['name']}")
    except store.ThemeStoreError as exc:
        flash(f"Not imported: {exc}", "error")
    return redirect(url_for("dashboard.themes_page"))


@bp.post("/dashboard/themes/install")
@login.login_required()
def theme_install() -> Any:
    form = InstallForm()
    if form.validate_on_submit():
        try:
            doc = install_from_url(form.url.data, config=current_app.config, reserved=_reserved())
            flash(f"Installed {doc['name']}")
        except InstallError as exc:
            flash(f"Not installed: {exc.reason}", "error")
    else:
        flash(f"Not installed: {_form_errors(form)}", "error")
    return redirect(url_for("dashboard.themes_page"))


def _form_errors(form: Any) -> str:
    return "; ".join(f"{name}: {', '.join(map(str, errs))}" for name, errs in form.errors.items())


@bp.get("/dashboard/themes/preview.svg")
def theme_preview() -> Response:
    """A badge drawn with an unsaved theme document (the editor's live preview)."""
    text = request.args.get("doc", "")
    style = request.args.get("style", "flat")
    style = style if style in STYLES else "flat"
    try:
        if len(text) > MAX_PREVIEW_DOC:
            raise ValueError("theme document too long")
        theme = load_theme(json.loads(text or "{}"))
    except (ValueError, RecursionError) as exc:
        return error_response(InvalidParameter(detail=str(exc)[:200]), label="theme", fmt="svg")
    spec = BadgeSpec(
        label=request.args.get("label", "build")[:40],
        message=request.args.get("message", "passing")[:40],
        color=None,
        style=style,
        animated=request.args.get("animated") == "true",
        logo="github" if request.args.get("logo") else None,
    )
    svg = render_spec(spec, theme=theme)
    return bytes_response(svg.encode(), "svg", cache_seconds=0, private=True)


# -- live badges --------------------------------------------------------------------------

#: badges one live page shows at most (the socket's own cap may be lower)
MAX_LIVE_METRICS = 10


@bp.get("/dashboard/live")
def live_page() -> str:
    """A subject's badges, updated from ``WS /ws/live/...`` by ``live.js``."""
    cap = int(current_app.config["LIVE_MAX_SUBSCRIPTIONS"]) or MAX_LIVE_METRICS
    form = live_form(get_registry(), request.args, min(cap, MAX_LIVE_METRICS))
    return render_template("live.html", form=form)


# -- analytics ----------------------------------------------------------------------------


def _analytics(window: str) -> dict[str, Any]:
    """The analytics report of ``window`` plus abuse detection's state (key ``abuse``)."""
    abuse = abuse_report(current_app._get_current_object())
    flusher = get_flusher()
    if flusher is None:
        return {"enabled": False, "window": window, "abuse": abuse}
    flusher.flush()  # what this process counted so far is included
    return {"enabled": True, **report(flusher.store, window), "abuse": abuse}


def _utc(stamp: float) -> str:
    """A Unix time as ``2026-11-30 22:15:00 UTC`` (the abuse tables)."""
    return dt.datetime.fromtimestamp(float(stamp), dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _window() -> str:
    window = request.args.get("window", "hour")
    return window if window in WINDOWS else "hour"


@bp.get("/api/analytics")
def analytics_api() -> Response:
    if not login.allowed(ADMIN_SCOPE):
        try:
            g.api_key = check_api_key(request.headers.get("Authorization"), ADMIN_SCOPE)
        except AuthError as error:
            return auth_error_response(error)
    response = jsonify(_analytics(_window()))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _step_label(iso: str, window: str) -> str:
    return iso[11:16] if window != "week" else iso[5:10]


@bp.get("/dashboard/analytics")
@login.login_required(ADMIN_SCOPE)
def analytics_page() -> str:
    window = _window()
    data = _analytics(window)
    charts: dict[str, str] = {}
    if data.get("enabled"):
        labels = [_step_label(s, window) for s in data["steps"]]
        charts = {
            "renders": bar_chart(data["renders_series"], labels, title="Renders"),
            "errors": bar_chart(data["errors_series"], labels, title="Errors", color=COLORS[1]),
            "upstream": bar_chart(
                data["upstream_series"], labels, title="Upstream calls", color=COLORS[3]
            ),
            "families": hbar_chart(
                list(data["renders"]["by_family"].items())[:12], title="Renders per family"
            ),
            "popular": hbar_chart(
                [(p["path"], p["count"]) for p in data["popular"]],
                title="Popular badges",
                color=COLORS[2],
            ),
        }
    return render_template(
        "analytics.html", data=data, charts=charts, windows=list(WINDOWS), utc=_utc
    )


@hookimpl
def badgeapp_register_routes(app: Flask) -> list[Blueprint]:
    return [bp]


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Session cookies for the dashboard login; ``csrf_token()`` in templates (flask-wtf's
    tokens are checked per form, so the JSON APIs with Bearer keys need none)."""
    from flask_wtf.csrf import generate_csrf

    login.init_sessions(app)
    app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
