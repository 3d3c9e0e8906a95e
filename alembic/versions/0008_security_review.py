"""the December security review and the silent waits: accounts that wait for a lead's one-time
code, the server's key for access-log fingerprints, case references in the access log as
fingerprints, an index for limiting logged refusals by address, and the key of the attempt that
saved each amendment (a retried save saves once)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
import secrets
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

from infoshare_widget.base.fingerprints import fingerprint_case_in_target

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_text = sqlmodel.sql.sqltypes.AutoString


def _append_only(on: bool) -> None:
    """The access log's triggers (migration 0005), lifted only while this migration rewrites it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE access_log {'ENABLE' if on else 'DISABLE'} TRIGGER access_log_append_only")
        return
    for verb in ("UPDATE", "DELETE"):
        if on:
            op.execute(f"CREATE TRIGGER access_log_no_{verb.lower()} BEFORE {verb} ON access_log "
                       "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END")
        else:
            op.execute(f"DROP TRIGGER access_log_no_{verb.lower()}")


def upgrade() -> None:
    op.add_column("app_user", sa.Column("code_from_lead", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table("server_key", sa.Column("name", _text(length=32), primary_key=True),
                    sa.Column("value", _text(length=128), nullable=False))
    key = secrets.token_hex(32)
    op.execute(sa.text("INSERT INTO server_key (name, value) VALUES ('log', :value)").bindparams(value=key))
    op.create_index("ix_access_log_client_at", "access_log", ["client", "at"])
    op.add_column("record_amendment", sa.Column("client_key", _text(length=64), nullable=True))
    # A unique index (not a table constraint), so SQLite need not copy the table; NULLs never clash.
    op.create_index("uq_record_amendment_org_id_client_key", "record_amendment", ["org_id", "client_key"],
                    unique=True)
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, target FROM access_log WHERE target LIKE '%case=%'")).all()
    changed = [(row.id, fingerprint_case_in_target(bytes.fromhex(key), row.target)) for row in rows]
    changed = [(row_id, target) for (row_id, target), row in zip(changed, rows) if target != row.target]
    if changed:
        _append_only(False)
        for row_id, target in changed:
            bind.execute(sa.text("UPDATE access_log SET target = :target WHERE id = :id"),
                         {"target": target, "id": row_id})
        _append_only(True)


def downgrade() -> None:
    # Fingerprinted case references stay fingerprints: the references are not kept anywhere.
    op.drop_index("uq_record_amendment_org_id_client_key", table_name="record_amendment")
    op.drop_column("record_amendment", "client_key")
    op.drop_index("ix_access_log_client_at", table_name="access_log")
    op.drop_table("server_key")
    op.drop_column("app_user", "code_from_lead")
