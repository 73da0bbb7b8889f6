"""Alembic's environment for the gradebook (run by Alembic, never imported).

The gradebook passes the connection it holds, inside a transaction with the
migration lock taken (`gradebook.upgrade`); Alembic then neither commits nor
opens a connection of its own, so stamping, every upgrade step and the new
version row commit together or not at all. Without a connection (a maintainer
running `command.upgrade(config(url), "head")`) it connects to the URL; in
offline mode (`sql=True`) it prints the SQL for a database administrator.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

settings = context.config
url = settings.get_main_option("sqlalchemy.url") or ""

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in settings.attributes:
    context.configure(connection=settings.attributes["connection"])
    with context.begin_transaction():
        context.run_migrations()
else:
    if not url:
        raise RuntimeError("No sqlalchemy.url: say which gradebook to migrate.")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
