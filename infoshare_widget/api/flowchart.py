"""JSON routes for the decision helper, mounted under /api/v1: GET /flowchart, POST /flowchart/evaluate."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from infoshare_widget.api.http import ApiError, error_response, read_json
import datetime as dt
from collections.abc import Callable

from infoshare_widget.flowchart.chart import Chart
from infoshare_widget.flowchart.engine import AnswerError, check_answers, walk
from infoshare_widget.flowchart.chart_view_model import chart_dict, position_dict
from infoshare_widget.base.settings import Partnership


def flowchart_routes(chart: Chart, partnership: Partnership, clock: Callable[[], dt.datetime]) -> list[Route]:
    """The decision helper's routes, bound to one loaded chart; `clock` says when "now" is."""
    chart_body = chart_dict(chart, partnership)

    async def get_chart(request: Request) -> JSONResponse:
        return JSONResponse(chart_body)

    async def evaluate(request: Request) -> JSONResponse:
        try:
            body = await read_json(request)
            if not isinstance(body, dict) or "answers" not in body:
                raise ApiError(422, 'Send an object like {"answers": {"immediate_danger": "no"}}.')
            unknown = sorted(set(body) - {"answers"})
            if unknown:
                raise ApiError(422, f"Unknown field(s): {', '.join(map(str, unknown))}.")
            try:
                answers = check_answers(chart, body["answers"])
            except AnswerError as exc:
                raise ApiError(422, "Some answers cannot be used.", exc.problems) from None
            return JSONResponse(position_dict(chart, walk(chart, answers), partnership, clock()))
        except ApiError as exc:
            return error_response(exc)

    return [
        Route("/flowchart", get_chart, methods=["GET"]),
        Route("/flowchart/evaluate", evaluate, methods=["POST"]),
    ]
