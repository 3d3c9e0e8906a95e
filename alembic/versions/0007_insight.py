"""the insight page's facts (codes and dates derived from each record, never its text) and the
optional count of walks that were not recorded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlmodel import Session

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_code = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "insight_fact",
        sa.Column("record_id", _code(length=32), primary_key=True),
        sa.Column("org_id", _code(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("outcome_kind", _code(length=32), nullable=False),
        sa.Column("agency", _code(length=64), nullable=True),
        sa.Column("lawful_basis", _code(length=32), nullable=True),
        sa.Column("consent", _code(length=32), nullable=True),
        sa.Column("consent_why", _code(length=32), nullable=True),
        sa.Column("after_advice", _code(length=32), nullable=True),
        sa.Column("check_by", sa.Date(), nullable=True),
        sa.Column("follow_up", _code(length=16), nullable=True),
        sa.Column("days_to_result", sa.Integer(), nullable=True),
    )
    op.create_index("ix_insight_fact_outcomes", "insight_fact", ["org_id", "day", "week", "outcome_kind"])
    op.create_index("ix_insight_fact_basis", "insight_fact", ["org_id", "day", "consent", "consent_why", "lawful_basis"])
    op.create_index("ix_insight_fact_follow_up", "insight_fact",
                    ["org_id", "agency", "follow_up", "days_to_result", "day", "check_by"],
                    sqlite_where=sa.text("check_by IS NOT NULL"), postgresql_where=sa.text("check_by IS NOT NULL"))
    op.create_table(
        "insight_unsure",
        sa.Column("record_id", _code(length=32), primary_key=True),
        sa.Column("question", _code(length=64), primary_key=True),
        sa.Column("org_id", _code(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("after_advice", _code(length=32), nullable=True),
    )
    op.create_index("ix_insight_unsure_org_day", "insight_unsure", ["org_id", "day", "question", "after_advice"])
    op.create_table(
        "insight_week",
        sa.Column("org_id", _code(length=64), primary_key=True),
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("facet", _code(length=16), primary_key=True),
        sa.Column("k1", _code(length=64), primary_key=True),
        sa.Column("k2", _code(length=64), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_insight_week_facet", "insight_week", ["org_id", "facet", "k1", "k2", "week", "n"])
    op.create_table(
        "walk_count",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("outcome_kind", _code(length=32), primary_key=True),
        sa.Column("question", _code(length=64), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    # Facts for the records made before this version, derived as new ones are. This calls the
    # service's rebuild, which reads only the record columns it names; a later version that changes
    # the insight tables or how facts are derived must freeze a copy of this step here.
    from infoshare_widget.records.insight_store import rebuild

    with Session(bind=op.get_bind()) as session:
        rebuild(session)


def downgrade() -> None:
    op.drop_table("walk_count")
    op.drop_index("ix_insight_week_facet", table_name="insight_week")
    op.drop_table("insight_week")
    op.drop_index("ix_insight_unsure_org_day", table_name="insight_unsure")
    op.drop_table("insight_unsure")
    for name in ("ix_insight_fact_follow_up", "ix_insight_fact_basis", "ix_insight_fact_outcomes"):
        op.drop_index(name, table_name="insight_fact")
    op.drop_table("insight_fact")
