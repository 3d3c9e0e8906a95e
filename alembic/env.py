"""Alembic environment: the widget's tables (every feature's models.py, gathered by infoshare_widget/schema.py)
and database URL.

`make migrate` applies migrations with infoshare_widget.base.db.upgrade. To write a new one
after changing a model:  .venv/bin/alembic revision --autogenerate -m "what changed"
"""

from alembic import context
from sqlmodel import SQLModel

import infoshare_widget.schema  # noqa: F401 - registers every table on SQLModel.metadata
from infoshare_widget.base.db import database_url, make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with make_engine(database_url()).connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
