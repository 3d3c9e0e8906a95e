"""JSON routes for the insight figures, mounted under /api/v1.

GET /insight?from=YYYY-MM-DD&to=YYYY-MM-DD[&organisation=ID]: the published (suppressed) figures.
An organisation's API key sees its own organisation's figures; the partnership's insight key (held
in the environment variable the partnership file names) sees the partnership view, optionally
narrowed to one organisation. Every look is in the access log.

POST /walks: where the partnership opts in (insight.count_unrecorded_walks), the decision helper's
batch of walks that ended: {"walks": [{"kind": "<outcome kind>", "unsure": ["<question id>"...]}]}.
Nothing else is accepted; the server stamps the UK day it arrived. Off: 404.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infoshare_widget.base.access import Refused
from infoshare_widget.api.http import ApiError, client_of_request, error_response, query_date, read_json
from infoshare_widget.api.keys import actor_of_request, presented_key
from infoshare_widget.base.rate_limit import PerAddress
from infoshare_widget.base.clock import uk_today, utc_now
from infoshare_widget.flowchart.chart import Chart
from infoshare_widget.insight.service import NoSuchOrganisation, PeriodError, Scope, check_period
from infoshare_widget.insight.figures_view_model import report_for
from infoshare_widget.insight.walks import WalkError, add_walks, check_walks
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.settings import Partnership, insight_key

WALKS_BODY_LIMIT = 4 * 1024
PARTNERSHIP_ORG = "partnership"  # the access log's organisation for looks with the partnership key


def _partnership_key(request: Request, partnership: Partnership) -> bool:
    """Whether the request carries the partnership's insight key."""
    expected, key = insight_key(partnership), presented_key(request)
    return bool(expected and key) and hmac.compare_digest(key.encode(), expected.encode())


def insight_routes(engine: Callable[[], Engine], keys: Callable[[], dict[str, str]], chart: Chart,
                   partnership: Callable[[], Partnership], clock: Callable[[], dt.datetime] = utc_now) -> list[Route]:
    """The insight route and the opt-in walk counter."""

    def figures(request: Request) -> Response:
        settings = partnership()
        with Session(engine()) as session:
            if _partnership_key(request, settings):
                actor = Actor(PARTNERSHIP_ORG, "Partnership insight key", "API key", access="auditor",
                              account=f"API key: {settings.insight.api_key_env}", client=client_of_request(request))
                scope = Scope(partnership=True, org_id="")
            else:
                actor = actor_of_request(request, keys(), session)
                scope = Scope(partnership=False, org_id=actor.org_id)
        params = request.query_params
        start, end = (query_date(params, "from", required=True), query_date(params, "to", required=True))
        try:
            check_period(start, end)
        except PeriodError as exc:
            raise ApiError(422, str(exc) + ".") from None
        organisation = params.get("organisation") or None
        if organisation is not None and len(organisation) > 64:
            raise ApiError(422, "organisation is an organisation id of at most 64 characters.")
        with Session(engine()) as session:
            try:
                report = report_for(session=session, actor=actor, scope=scope, start=start, end=end,
                                    today=uk_today(clock()), organisation=organisation, chart=chart,
                                    partnership=settings)
            except Refused as exc:
                raise ApiError(403, str(exc)) from None
            except NoSuchOrganisation as exc:
                raise ApiError(404, str(exc) + ".") from None
            except PeriodError as exc:
                raise ApiError(422, str(exc) + ".") from None
        return JSONResponse(report, headers={"Cache-Control": "no-store"})

    async def figures_endpoint(request: Request) -> Response:
        try:
            return await run_in_threadpool(figures, request)
        except ApiError as exc:
            return error_response(exc)

    async def walks_endpoint(request: Request) -> Response:
        try:
            if not partnership().insight.count_unrecorded_walks:
                raise ApiError(404, "This partnership does not count walks that are not recorded.")
            if not walks_allowed.allow(client_of_request(request), clock()):
                raise ApiError(429, "Too many walks sent from this address: try again in a minute.")
            body = await read_json(request, WALKS_BODY_LIMIT)
            try:
                walks = check_walks(body, chart)
            except WalkError as exc:
                raise ApiError(422, str(exc)) from None

            def save() -> None:
                with Session(engine()) as session:
                    add_walks(session=session, walks=walks, day=uk_today(clock()))

            await run_in_threadpool(save)
            return Response(status_code=204, headers={"Cache-Control": "no-store"})
        except ApiError as exc:
            return error_response(exc)

    return [Route("/insight", figures_endpoint, methods=["GET"]), Route("/walks", walks_endpoint, methods=["POST"])]


# A browser sends its walks in batches of ten and when the page is left: far fewer than this.
WALK_BATCHES_PER_MINUTE = 30
walks_allowed = PerAddress(limit=WALK_BATCHES_PER_MINUTE, window=dt.timedelta(minutes=1))
