"""access levels, second factor and password resets on accounts; recovery codes; API keys in the
database; the access log (append-only); retention on organisations and removal marks on entries

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Accounts made before this become recorders (the least access), and so do the sessions open now.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

Text = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    # Only columns are added (plain ALTER TABLE ... ADD COLUMN, server defaults kept), so SQLite
    # alters each table in place rather than copying it, which its foreign keys would refuse.
    op.add_column("organisation", sa.Column("retention_years", sa.Integer(), nullable=True))
    op.add_column("app_user", sa.Column("access", Text(length=16), nullable=False, server_default="recorder"))
    op.add_column("app_user", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    for name in ("totp_secret", "totp_pending", "reset_hash"):
        op.add_column("app_user", sa.Column(name, Text(length=64), nullable=True))
    op.add_column("app_user", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.add_column("app_user", sa.Column("reset_expires_at", When(), nullable=True))
    op.add_column("user_session", sa.Column("access", Text(length=16), nullable=False, server_default="recorder"))
    op.add_column("user_session", sa.Column("waiting_for", Text(length=16), nullable=True))
    for table in ("decision_record", "record_amendment"):
        op.add_column(table, sa.Column("removed_at", When(), nullable=True))

    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", Text(length=64), nullable=False),
        sa.Column("used_at", When(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_recovery_code_user_id", "recovery_code", ["user_id"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", Text(length=64), nullable=False),
        sa.Column("name", Text(length=80), nullable=False),
        sa.Column("key_hash", Text(length=64), nullable=False),
        sa.Column("created_at", When(), nullable=False),
        sa.Column("created_by", Text(length=200), nullable=False),
        sa.Column("last_used_at", When(), nullable=True),
        sa.Column("revoked_at", When(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_api_key_org_id", "api_key", ["org_id"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", When(), nullable=False),
        sa.Column("org_id", Text(length=64), nullable=False),
        sa.Column("who", Text(length=200), nullable=False),
        sa.Column("account", Text(length=300), nullable=False),
        sa.Column("level", Text(length=16), nullable=False),
        sa.Column("action", Text(length=32), nullable=False),
        sa.Column("target", Text(length=500), nullable=False),
        sa.Column("client", Text(length=64), nullable=False),
        sa.Column("outcome", Text(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_log_org_at", "access_log", ["org_id", "at"])
    op.create_index("ix_access_log_org_target", "access_log", ["org_id", "target"])
    # The log is append-only in the database itself, not only in the code.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$"
        )
        op.execute("CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
                   "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER access_log_no_{verb.lower()} BEFORE {verb} ON access_log "
                       "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
        op.execute("DROP FUNCTION IF EXISTS access_log_append_only()")
    op.drop_table("access_log")
    op.drop_table("api_key")
    op.drop_table("recovery_code")
    for table, columns in (
        ("decision_record", ("removed_at",)), ("record_amendment", ("removed_at",)),
        ("user_session", ("waiting_for", "access")),
        ("app_user", ("reset_expires_at", "reset_hash", "totp_last_step", "totp_pending", "totp_secret", "active",
                      "access")),
        ("organisation", ("retention_years",)),
    ):
        for column in columns:
            op.drop_column(table, column)
