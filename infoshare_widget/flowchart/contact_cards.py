"""Contacts as the decision helper shows them: cards with who, whether open now, how to reach them;
the other areas' contacts for a child who lives elsewhere; and the line on where and when the
decision content applies."""

from __future__ import annotations

import reflex as rx

from infoshare_widget.base.settings import Contact, Partnership
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.chart_view_model import FIND_COUNCIL_URL, ShownContact, area_contacts


def contact_card(label: str, contact: Contact, key: str = "") -> rx.Component:
    """A contact from the partnership file: who, whether open now, a phone link, hours and a note.

    With structured hours, assets/hours.js fills in "Open now" or "Closed now" in UK time.
    """
    return rx.el.div(
        rx.el.p(label, class_name="contact__label"),
        rx.el.p(rx.el.strong(contact.name), class_name="contact__name"),
        rx.el.p(class_name="contact__status", data_open_key=key, hidden=True) if key and contact.open else rx.fragment(),
        rx.el.p(rx.el.a(contact.phone, href=contact.tel_href), class_name="contact__phone") if contact.phone else rx.fragment(),
        rx.el.p(rx.el.a(contact.email, href=f"mailto:{contact.email}")) if contact.email else rx.fragment(),
        rx.el.p(contact.hours, class_name="contact__hours") if contact.hours else rx.fragment(),
        rx.el.p(contact.note, class_name="contact__note") if contact.note else rx.fragment(),
        class_name="contact",
        data_contact=key,
    )


def contacts_list(cards: list[ShownContact]) -> rx.Component:
    """Contact cards, with a line that names the first one open now.

    The line is filled in by assets/hours.js (who is open depends on the moment, not the build).
    """
    keys = " ".join(card.key for card in cards if card.contact.open)
    return rx.el.div(
        rx.el.p(class_name="open-now", data_open_first=keys, role="status", hidden=True) if keys else rx.fragment(),
        rx.el.div(*[contact_card(card.label, card.contact, card.key) for card in cards], class_name="contacts"),
    )


AREAS_ID = "other-areas"


def other_areas_link() -> rx.Component:
    """In an outcome's "Who to contact": the way to the other areas' contacts, further down the page
    (assets/areas.js moves there without touching the address or the history)."""
    return rx.el.p(rx.el.a("The child lives in another area?", href=f"#{AREAS_ID}", data_areas_link=""),
                   class_name="areas__link")


def other_areas(partnership: Partnership, shown_at: list[str], after_999_at: list[str]) -> rx.Component:
    """"The child lives in another area?": each listed area's contacts (open now) under its own name,
    a search box that narrows the list, and how to find the front door of an area not listed.

    Once in the page, below the steps, shown at the outcomes in `shown_at` (assets/flow.js shows what
    carries data-shown-at); those in `after_999_at` say to call 999 first. Each area is a <details>
    that opens by itself; assets/areas.js, inlined in the head, adds the search before React loads.
    """
    others = [oid for oid in shown_at if oid not in after_999_at]
    where = "the council where the child lives"
    choose = " Choose the area to see its contacts and whether each is open now." if partnership.areas else ""
    search = rx.fragment(
        rx.el.label("Search the areas", html_for="area-search", class_name="label"),
        rx.el.p("Type part of the area's name, then choose it.", id="area-search-hint", class_name="hint"),
        rx.el.input(type="search", id="area-search", class_name="input", auto_complete="off", spell_check=False,
                    aria_describedby="area-search-hint", data_area_search=""),
        rx.el.ul(
            *[rx.el.li(
                rx.el.details(
                    rx.el.summary(area.name, class_name="details__summary"),
                    rx.el.div(
                        contacts_list(area_contacts(area)),
                        rx.el.p(rx.el.a(f"{area.name}: children's social care", href=area.website))
                        if area.website else rx.fragment(),
                        rx.el.p(area.note) if area.note else rx.fragment(),
                        class_name="area__body",
                    ),
                    class_name="area",
                ),
                data_area_name=area.name.casefold(),
            ) for area in partnership.areas],
            class_name="areas__list",
        ),
        # Shown by areas.js when nothing matches; inside a live region, so a screen reader hears it.
        rx.el.div(rx.el.p("No area in the list matches. Find its council as below.", data_area_none="", hidden=True),
                  aria_live="polite"),
    ) if partnership.areas else rx.fragment()
    return rx.el.section(
        rx.el.h2("The child lives in another area?", id=AREAS_ID, tab_index=-1, class_name="heading-m"),
        rx.el.p(f"After calling 999, tell the front door of {where}.{choose}", data_shown_at=" ".join(after_999_at),
                hidden=True) if after_999_at else rx.fragment(),
        rx.el.p(f"Use the front door of {where}.{choose}", data_shown_at=" ".join(others), hidden=True)
        if others else rx.fragment(),
        search,
        rx.el.p(
            rx.el.strong("Area not listed? "),
            "Find the council for the child's address on ",
            rx.el.a("GOV.UK: Find your local council", href=FIND_COUNCIL_URL),
            ". Phone it and ask for children's social care (the front door). "
            "If a child is in immediate danger, call 999.",
        ),
        class_name="section areas",
        data_shown_at=" ".join(shown_at),
        hidden=True,
    )


UK_NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


def where_and_when_text() -> str:
    """Which nation the decision content covers, the date its law is stated at, and that the other
    nations have their own law and procedures."""
    chart = get_chart()
    others = [nation for nation in UK_NATIONS if nation != chart.jurisdiction]
    listed = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else "".join(others)
    return (f"This content covers {chart.jurisdiction} only, with the law as it stood on {chart.law_as_at:%-d %B %Y}. "
            f"{listed} have their own law and procedures: if you work there, follow those instead.")
