"""Alembic environment: the URL comes from the caller (moderation.migrate), never from a file."""
from alembic import context
from sqlalchemy import create_engine

from moderation.db import TCP_SETTINGS
from moderation.migrate import MIGRATION_LOCK
from moderation.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    # Bounded like the app's engine: a server that takes the connection and never answers hung
    # every command (each migrates first) without a word.
    engine = create_engine(config.get_main_option("sqlalchemy.url"),
                           connect_args={"connect_timeout": 10, **TCP_SETTINGS})
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            # Two processes starting at once must not both migrate.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            context.run_migrations()
    engine.dispose()


run_migrations_online()
