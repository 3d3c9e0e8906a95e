"""alerts to leads: accounts' email addresses and alert setting, alerts, the outbox of emails and
webhook calls, and the days whose overdue check has been made

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.add_column("app_user", sa.Column("email", _text(length=254), nullable=True))
    op.add_column("app_user", sa.Column("alerts_by_email", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "alert",
        sa.Column("id", _text(length=32), primary_key=True),
        sa.Column("org_id", _text(length=64), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("event", _text(length=32), nullable=False),
        sa.Column("source_id", _text(length=64), nullable=False),
        sa.Column("record_id", _text(length=32), nullable=False),
        sa.Column("reference", _text(length=16), nullable=False),
        sa.Column("outcome_kind", _text(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("seen_by", _text(length=200), nullable=True),
        sa.UniqueConstraint("event", "source_id"),
    )
    op.create_index("ix_alert_org_created", "alert", ["org_id", "created_at"])
    op.create_table(
        "delivery",
        sa.Column("id", _text(length=32), primary_key=True),
        sa.Column("org_id", _text(length=64), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("channel", _text(length=16), nullable=False),
        sa.Column("target", _text(length=400), nullable=False),
        sa.Column("topic", _text(length=64), nullable=False),
        sa.Column("alert_id", _text(length=32), nullable=True),
        sa.Column("event", _text(length=32), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("status", _text(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_by", _text(length=64), nullable=True),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", _text(length=300), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.UniqueConstraint("channel", "target", "topic"),
    )
    op.create_index("ix_delivery_due", "delivery", ["status", "next_try_at"])
    op.create_index("ix_delivery_org_created", "delivery", ["org_id", "created_at"])
    op.create_table(
        "digest_day",
        sa.Column("org_id", _text(length=64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("digest_day")
    op.drop_index("ix_delivery_org_created", table_name="delivery")
    op.drop_index("ix_delivery_due", table_name="delivery")
    op.drop_table("delivery")
    op.drop_index("ix_alert_org_created", table_name="alert")
    op.drop_table("alert")
    op.drop_column("app_user", "alerts_by_email")
    op.drop_column("app_user", "email")
