"""the browser's key for one attempt to record a decision, unique in an organisation, so a retry
saves exactly once

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("decision_record", sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=64),
                                               nullable=True))
    # A unique index (not a table constraint), so SQLite need not copy the table; NULLs never clash.
    op.create_index("uq_decision_record_org_id_client_key", "decision_record", ["org_id", "client_key"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("uq_decision_record_org_id_client_key", table_name="decision_record")
    op.drop_column("decision_record", "client_key")
