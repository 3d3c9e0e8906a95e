"""Form fields in the GOV.UK pattern: a label, an optional hint tied to the field, the field."""

from __future__ import annotations

import reflex as rx


def text_input(label: str, name: str, *, id_prefix: str = "", hint: str = "", kind: str = "text",
                autocomplete: str = "off", width: str = "") -> rx.Component:
    field_id = f"{id_prefix}{name}"
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="label"),
        rx.el.div(hint, id=f"{field_id}-hint", class_name="hint") if hint else rx.fragment(),
        rx.el.input(type=kind, id=field_id, name=name, auto_complete=autocomplete,
                    class_name=f"input {width}".strip(), **({"aria_describedby": f"{field_id}-hint"} if hint else {})),
        class_name="form-group",
    )
