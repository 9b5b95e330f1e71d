"""The dashboard's WTForms forms (flask-wtf: every POST carries a CSRF token).

``ThemeForm`` has one input per theme field; ``theme_doc(form)`` turns it into a theme
document and ``fill_theme_form(form, doc)`` does the reverse. The engine's ``load_theme`` stays
the authority: its error names the field and is shown next to that input.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    FormField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from badgeapp.render.decorate import ANIMATIONS
from badgeapp.render.themes import MAX_GRADIENT_STOPS, SHADOWS

HEX = Regexp(
    r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$",
    message="a hex colour like #1a2b3c",
)
NAME = Regexp(r"^[a-z0-9][a-z0-9-]{0,31}$", message="1-32 of a-z, 0-9 and '-'")


def _color(label: str) -> StringField:
    return StringField(label, validators=[Optional(), HEX])


class LoginForm(FlaskForm):
    """Exchange an API key with the ``themes`` or ``admin`` scope for a session."""

    key = PasswordField("API key", validators=[DataRequired(), Length(max=200)])


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token (delete, logout)."""


class NameForm(FlaskForm):
    """A new name (rename, duplicate)."""

    new_name = StringField("New name", validators=[DataRequired(), NAME])


class ImportForm(FlaskForm):
    """A theme document as JSON: a file or pasted text."""

    file = FileField("Theme file (.json)")
    text = TextAreaField("or paste the JSON", validators=[Optional(), Length(max=64 * 1024)])


class InstallForm(FlaskForm):
    """A theme document's https URL (fetched safely)."""

    url = StringField(
        "Theme URL", validators=[DataRequired(), URL(require_tld=False), Length(max=2048)]
    )


class StopForm(PlainForm):
    """One gradient stop (inside ThemeForm, so no CSRF token of its own)."""

    offset = DecimalField("Offset (0-1)", places=None, validators=[Optional(), NumberRange(0, 1)])
    color = _color("Colour")
    opacity = DecimalField("Opacity (0-1)", places=None, validators=[Optional(), NumberRange(0, 1)])


class ThemeForm(FlaskForm):
    """Every field of a theme document."""

    name = StringField("Name", validators=[DataRequired(), NAME])
    description = TextAreaField("Description", validators=[Optional(), Length(max=200)])
    palette = SelectField("Palette", choices=["v6", "classic"])
    label_color = _color("Label background")
    color = _color("Message background")
    text_color = _color("Text colour")
    logo_color = _color("Logo colour")
    shadow = SelectField("Text shadow", choices=list(SHADOWS))
    font_family = StringField(
        "Font family",
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9 ,\-]{1,100}$", message="letters, digits, spaces, commas, dashes"),
        ],
    )
    # every stop a theme may have, so editing a theme never drops one
    gradient = FieldList(
        FormField(StopForm), min_entries=MAX_GRADIENT_STOPS, max_entries=MAX_GRADIENT_STOPS
    )
    background_opacity = DecimalField(
        "Background opacity (0-1)", places=None, validators=[Optional(), NumberRange(0, 1)]
    )
    crisp = BooleanField("Crisp edges")
    border_color = _color("Border colour")
    border_width = DecimalField(
        "Border width (0.5-3)", places=None, validators=[Optional(), NumberRange(0.5, 3)]
    )
    glow_color = _color("Glow colour")
    glow_radius = DecimalField(
        "Glow radius (0.5-6)", places=None, validators=[Optional(), NumberRange(0.5, 6)]
    )
    dark_label_color = _color("Dark mode: label background")
    dark_color = _color("Dark mode: message background")
    dark_text_color = _color("Dark mode: text colour")
    dark_border_color = _color("Dark mode: border colour")
    animation_effect = SelectField("Animation", choices=list(ANIMATIONS))
    animation_duration = DecimalField(
        "Animation seconds (0.5-10)", places=None, validators=[Optional(), NumberRange(0.5, 10)]
    )


#: theme document field -> form field (for errors from load_theme)
DOC_TO_FORM = {
    "border.color": "border_color",
    "border.width": "border_width",
    "glow.color": "glow_color",
    "glow.radius": "glow_radius",
    "dark.label_color": "dark_label_color",
    "dark.color": "dark_color",
    "dark.text_color": "dark_text_color",
    "dark.border_color": "dark_border_color",
    "animation.effect": "animation_effect",
    "animation.duration": "animation_duration",
    "animation.": "animation_duration",
    "gradient": "gradient",
}


def _num(value: Any) -> float | None:
    return float(value) if value is not None and value != "" else None


def theme_doc(form: ThemeForm) -> dict[str, Any]:
    """The theme document the form describes (validated later by ``load_theme``)."""
    data = form.data
    doc: dict[str, Any] = {"name": (data["name"] or "").strip()}
    if data["description"]:
        doc["description"] = data["description"].strip()
    doc["palette"] = data["palette"] or "v6"
    for key in ("label_color", "color", "text_color", "logo_color"):
        if data[key]:
            doc[key] = data[key].strip()
    doc["shadow"] = data["shadow"] or "blur"
    if data["font_family"]:
        doc["font_family"] = data["font_family"].strip()
    stops = []
    for stop in data["gradient"]:
        if stop["offset"] is None and not stop["color"]:
            continue
        entry: dict[str, Any] = {"offset": _num(stop["offset"]) or 0.0}
        if stop["color"]:
            entry["color"] = stop["color"].strip()
        if stop["opacity"] is not None:
            entry["opacity"] = _num(stop["opacity"])
        stops.append(entry)
    if stops:
        doc["gradient"] = stops
    if data["background_opacity"] is not None:
        doc["background_opacity"] = _num(data["background_opacity"])
    doc["crisp"] = bool(data["crisp"])
    if data["border_width"] is not None:
        doc["border"] = {"width": _num(data["border_width"])}
        if data["border_color"]:
            doc["border"]["color"] = data["border_color"].strip()
    if data["glow_radius"] is not None:
        doc["glow"] = {"radius": _num(data["glow_radius"])}
        if data["glow_color"]:
            doc["glow"]["color"] = data["glow_color"].strip()
    dark = {
        key: data["dark_" + key].strip()
        for key in ("label_color", "color", "text_color", "border_color")
        if data["dark_" + key]
    }
    if dark:
        doc["dark"] = dark
    animation: dict[str, Any] = {"effect": data["animation_effect"] or "pulse"}
    if data["animation_duration"] is not None:
        animation["duration"] = _num(data["animation_duration"])
    doc["animation"] = animation
    return doc


def fill_theme_form(form: ThemeForm, doc: dict[str, Any]) -> None:
    """Put a theme document's values into the form's inputs."""
    for key in ("name", "description", "palette", "label_color", "color", "text_color"):
        if key in doc:
            getattr(form, key).data = doc[key]
    for key in ("logo_color", "shadow", "font_family", "background_opacity", "crisp"):
        if key in doc:
            getattr(form, key).data = doc[key]
    for i, stop in enumerate((doc.get("gradient") or [])[: len(form.gradient.entries)]):
        entry = form.gradient.entries[i].form
        entry.offset.data = stop.get("offset")
        entry.color.data = stop.get("color")
        entry.opacity.data = stop.get("opacity")
    for part, keys in (("border", ("color", "width")), ("glow", ("color", "radius"))):
        for key in keys:
            if doc.get(part) and key in doc[part]:
                getattr(form, f"{part}_{key}").data = doc[part][key]
    for key, value in (doc.get("dark") or {}).items():
        if hasattr(form, "dark_" + key):
            getattr(form, "dark_" + key).data = value
    animation = doc.get("animation") or {}
    form.animation_effect.data = animation.get("effect", "pulse")
    form.animation_duration.data = animation.get("duration")


def form_field_of(doc_field: str) -> str:
    """The form input that shows an error about ``doc_field`` (``border.width`` -> border_width)."""
    for prefix, name in DOC_TO_FORM.items():
        if doc_field == prefix or doc_field.startswith(prefix):
            return name
    return doc_field if doc_field in ThemeForm.__dict__ else "name"
