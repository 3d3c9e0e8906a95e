"""The embed feature's table: identity tokens already used (each is accepted once).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class UsedToken(SQLModel, table=True):
    """Identity tokens already used, so a token cannot be replayed (kept until it expires)."""

    __tablename__ = "used_token"
    issuer: str = Field(primary_key=True, max_length=300)
    jti: str = Field(primary_key=True, max_length=200)
    expires_at: dt.datetime
