"""Reflex's counter: one state var, one event, two pages to move between."""

import reflex as rx


class CounterState(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def index() -> rx.Component:
    return rx.el.main(
        rx.el.h1("Counter"),
        rx.el.p(CounterState.count),
        rx.el.button("Add one", on_click=CounterState.increment),
        rx.el.a("Other page", href="/other"),
    )


def other() -> rx.Component:
    return rx.el.main(rx.el.h1("Other page"), rx.el.a("Counter", href="/"))


app = rx.App()
app.add_page(index, route="/")
app.add_page(other, route="/other")
