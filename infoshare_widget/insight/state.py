"""The insight page's state. Thin: the service checks who may look and logs each look.

What State keeps: the period and view asked for (dates and an organisation id) and messages. The
figures themselves (aggregates only, already suppressed) are sent once and never kept (compat/not_kept.py),
and a CSV download asks the server again, so it is logged like a look.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from infoshare_widget.base.access import Refused
from infoshare_widget.auth import SignedIn
from infoshare_widget.base.clock import uk_today
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.insight.pages_view_model import (ALL, Choice, check_choice, default_choice, headline,
                                                      page_parts, scope_text)
from infoshare_widget.insight.service import PeriodError, is_partnership_viewer, organisations, scope_for
from infoshare_widget.insight.tables_view_model import tables
from infoshare_widget.insight.figures_view_model import report_for
from infoshare_widget.compat.not_kept import NotKept, not_kept
from infoshare_widget.auth.state import AuthState, with_session
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
from infoshare_widget.base.settings import get_partnership


@dataclass(frozen=True)
class Look:
    """What one look found: the figures, whose they are and what else the person may choose; or why
    there are none (refused: the level or the partnership file says no; problem: the choice)."""

    report: dict | None = None
    own_name: str = ""
    may_partnership: bool = False
    organisations: tuple[tuple[str, str], ...] = ()
    refused: str = ""
    problem: str = ""


def _figures(choice: Choice):
    """The work for one look, in one database session (with_session runs it for the signed-in person)."""

    def work(session: Session, who: SignedIn) -> Look:
        partnership = get_partnership()
        try:
            scope = scope_for(session=session, actor=who.actor, settings=partnership.insight,
                              partnership=choice.partnership)
            report = report_for(session=session, actor=who.actor, scope=scope, start=choice.start, end=choice.end,
                                today=uk_today(), organisation=choice.organisation, chart=get_chart(),
                                partnership=partnership)
        except Refused as exc:
            return Look(refused=str(exc))
        except PeriodError as exc:
            return Look(problem=str(exc))
        wide = is_partnership_viewer(who.actor, partnership.insight)
        return Look(report, who.organisation_name, wide, tuple(organisations(session)) if wide else ())

    return work


@not_kept("scope", "headline", "rows", "weeks_chart", "unsure_chart", "follow_up_chart", "consent_chart", "orgs")
class InsightState(NotKept, rx.State):
    """The insight page: a period, then the figures (never kept)."""

    errors: dict[str, str] = {}
    refused: str = ""
    loaded: bool = False
    may_partnership: bool = False
    # What was asked for, kept so a CSV download gives the same view.
    period_from: str = ""
    period_to: str = ""
    show: str = "own"
    # Sent with each look, never kept.
    scope: str = ""
    headline: list[dict[str, str]] = []
    rows: dict[str, list[dict[str, str]]] = {}
    weeks_chart: list[dict[str, int | str]] = []
    unsure_chart: list[dict[str, int | str]] = []
    follow_up_chart: list[dict[str, int | str]] = []
    consent_chart: list[dict[str, int | str]] = []
    orgs: list[dict[str, str]] = []

    def _choice_from(self, form: dict) -> Choice | None:
        """The form's choice (the default period when the page opens), or None with the errors set."""
        if not form:
            choice = default_choice(uk_today())
            return Choice(choice.start, choice.end, self.show != "own", None if self.show in ("own", ALL) else self.show)
        checked = check_choice(form, uk_today(), may_partnership=self.may_partnership)
        self.errors = checked.errors
        return checked.choice

    @rx.event
    async def load(self, secret: str, form: dict):
        """Show the figures for the period and view in the form (the last 13 weeks when it opens)."""
        choice = self._choice_from(form if isinstance(form, dict) else {})
        if choice is None:
            return rx.set_focus("error-summary")
        result = await ask_database(self, with_session(self, secret, _figures(choice)), show="errors", under="form",
                                    focus="error-summary")
        if isinstance(result, NotAnswered):
            return result.reply
        self.loaded = True
        if result is None:
            return (await self.get_state(AuthState))._signed_out()
        if result.refused:
            self.refused = result.refused
            return None
        if result.problem:
            self.errors = {"show": result.problem}
            return rx.set_focus("error-summary")
        self.refused, self.errors, self.may_partnership = "", {}, result.may_partnership
        self.period_from, self.period_to = choice.start.isoformat(), choice.end.isoformat()
        self.show = (ALL if choice.organisation is None else choice.organisation) if choice.partnership else "own"
        self.orgs = [{"id": org, "name": name} for org, name in result.organisations]
        self.scope = scope_text(result.report, result.own_name)
        self.headline = headline(result.report)
        self.rows, charts = page_parts(result.report)
        self.weeks_chart, self.unsure_chart = charts["weeks"], charts["unsure"]
        self.follow_up_chart, self.consent_chart = charts["follow_up"], charts["consent"]
        return None

    @rx.event
    async def download(self, secret: str, name: str):
        """One table as a CSV file, for the period and view on screen (asked for again, and logged)."""
        form = {"from": self.period_from, "to": self.period_to, "show": self.show}
        checked = check_choice(form, uk_today(), may_partnership=self.may_partnership)
        if checked.choice is None:
            self.errors = checked.errors
            return rx.set_focus("error-summary")
        result = await ask_database(self, with_session(self, secret, _figures(checked.choice)), show="errors",
                                    under="form", focus="error-summary")
        if isinstance(result, NotAnswered):
            return result.reply
        if result is None:
            return (await self.get_state(AuthState))._signed_out()
        if result.problem:
            self.errors = {"show": result.problem}
            return rx.set_focus("error-summary")
        if result.report is None:
            self.refused = result.refused
            return None
        table = tables(result.report).get(name if isinstance(name, str) else "")
        if table is None:
            return None
        return rx.download(data=table.csv(), filename=f"insight-{table.name}-{self.period_from}-to-{self.period_to}.csv")
