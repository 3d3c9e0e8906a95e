"""sessions for both kinds of sign-in with an idle time; failed sign-ins for the throttle; who
recorded, by a partner token's issuer and subject

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Sessions already open keep working: each is given its user's organisation, and is taken to have
last been used when it was made (so one idle longer than the idle time ends at once).
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failure_account", "sign_in_failure", ["org_id", "username", "failed_at"])
    op.create_index("ix_sign_in_failure_client", "sign_in_failure", ["client", "failed_at"])

    with op.batch_alter_table("user_session") as batch_op:
        batch_op.add_column(sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE user_session SET last_seen_at = created_at, "
        "org_id = (SELECT app_user.org_id FROM app_user WHERE app_user.id = user_session.user_id)"
    )
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.alter_column("org_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column("last_seen_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False)
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key("fk_user_session_org_id", "organisation", ["org_id"], ["id"])
        batch_op.create_index("ix_user_session_expires_at", ["expires_at"], unique=False)

    with op.batch_alter_table("decision_record") as batch_op:
        batch_op.add_column(sa.Column("recorded_by_issuer", sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=True))
        batch_op.add_column(sa.Column("recorded_by_subject", sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=True))
    with op.batch_alter_table("record_amendment") as batch_op:
        batch_op.add_column(sa.Column("author_issuer", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column("author_subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("record_amendment") as batch_op:
        batch_op.drop_column("author_subject")
        batch_op.drop_column("author_issuer")
    with op.batch_alter_table("decision_record") as batch_op:
        batch_op.drop_column("recorded_by_subject")
        batch_op.drop_column("recorded_by_issuer")
    # Sessions from partner tokens have no user: they cannot be kept in the old table.
    op.execute("DELETE FROM user_session WHERE user_id IS NULL")
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_index("ix_user_session_expires_at")
        batch_op.drop_constraint("fk_user_session_org_id", type_="foreignkey")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        for column in ("last_seen_at", "role", "name", "subject", "issuer", "org_id"):
            batch_op.drop_column(column)
    op.drop_index("ix_sign_in_failure_client", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_account", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")
