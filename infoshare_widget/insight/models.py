"""The insight feature's own table: counts of walks that end, recorded or not (where the partnership
opts in).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class WalkCount(SQLModel, table=True):
    """Walks through the decision helper that ended, counted by UK day, outcome kind and the question
    answered "Not sure" ("" for the walk itself): only where the partnership opts in, and with no
    identity, no organisation and no time finer than the day."""

    __tablename__ = "walk_count"
    day: dt.date = Field(primary_key=True)
    outcome_kind: str = Field(primary_key=True, max_length=32)
    question: str = Field(primary_key=True, max_length=64)
    count: int = 0
