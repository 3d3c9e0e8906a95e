"""Small GOV.UK-style building blocks on plain HTML elements (no component library CSS)."""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import router_link


def link_button(label: str, on_click, *, id: str | None = None, **props) -> rx.Component:
    """A control that does something in the page but looks like a link (GOV.UK 'Change', 'Back')."""
    return rx.el.button(label, type="button", on_click=on_click, class_name="link-button", id=id, **props)


def back_link(**props) -> rx.Component:
    """The GOV.UK back link, as a button (what it does comes in `props`: a handler or data attributes)."""
    return rx.el.button("Back", type="button", class_name="back-link", **props)


def error_link(message: rx.Var | str, field_id: str) -> rx.Component:
    """One line of an error summary: a link that moves focus to the field, as GOV.UK Frontend does."""
    return rx.el.li(
        rx.el.a(
            message,
            href=f"#{field_id}",
            on_click=rx.run_script(f"document.getElementById('{field_id}')?.focus()"),
        )
    )


def error_summary(
    *items: rx.Component, summary_id: str = "error-summary", hidden: bool = False
) -> rx.Component:
    """'There is a problem' box that takes focus and lists each error as a link to its field."""
    return rx.el.div(
        rx.el.h2("There is a problem", class_name="error-summary__title", id=f"{summary_id}-title"),
        rx.el.ul(*items),
        id=summary_id,
        class_name="error-summary",
        role="alert",
        tab_index=-1,
        aria_labelledby=f"{summary_id}-title",
        hidden=hidden,
    )


def nav_link(label: str, to: str, *, current: bool) -> rx.Component:
    """A header navigation link; the current page is marked for screen readers too."""
    return router_link(
        label,
        to=to,
        class_name="nav__link nav__link--current" if current else "nav__link",
        **({"aria-current": "page"} if current else {}),
    )


def bullet_list(items: list[str | rx.Component] | tuple[str, ...]) -> rx.Component:
    """A plain bulleted list."""
    return rx.el.ul(*[rx.el.li(item) for item in items], class_name="list list--bullet")


def table(caption: str, columns, rows: rx.Var, *, caption_hidden: bool = False) -> rx.Component:
    """A table of rows (a list Var): one column per (heading, cell) pair, where cell(row) gives the
    cell's content (a component, or a tuple of them). Each cell carries its column's heading as
    data-label, which the stylesheet shows beside the value where the table stacks on a narrow screen."""

    def row(item) -> rx.Component:
        cells = []
        for heading, cell in columns:
            content = cell(item)
            cells.append(rx.el.td(*(content if isinstance(content, tuple) else (content,)), data_label=heading))
        return rx.el.tr(*cells)

    return rx.el.table(
        rx.el.caption(caption, class_name="visually-hidden" if caption_hidden else "table__caption"),
        rx.el.thead(rx.el.tr(*[rx.el.th(heading, scope="col") for heading, _ in columns])),
        rx.el.tbody(rx.foreach(rows, row)),
        class_name="table",
    )
