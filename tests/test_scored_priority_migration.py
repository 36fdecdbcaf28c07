"""Migration 0027_scored_priority keeps what scoring gave each comment apart from its reports' share."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import alembic_config, upgrade
from moderation.models import Base

DATABASE = "migration_0027_scored_priority"


def test_0027_takes_open_reports_share_and_lift_off_the_priority_it_keeps(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, "0026_operations_indexes")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret, report_threshold) "
                                "VALUES ('s', 'k', 'h', 'w', 2.0)"))
        # (priority as stored, its reports: (reason, reporter, weight, outcome))
        comments = {
            "plain": (0.2, []),
            "reported": (0.2 + 1.0 + 4.0, [("self_harm", "reader-1", 2.0, None)]),
            "dismissed": (3.5, [("spam", "reader-2", 2.0, "dismissed")]),
            "anonymous": (0.3 + 0.5, [("self_harm", None, 1.0, None)]),
            "capped": (1.1 + 3.0, [("abuse", f"reader-{n}", 2.0, None) for n in range(5)]),
            "unscored": (0.0, []),
        }
        for name, (priority, reports) in comments.items():
            comment_id = connection.execute(text(
                "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, priority) "
                "VALUES (1, :name, 's-1', 'a-1', 'Text.', 'x', :priority) RETURNING id"),
                {"name": name, "priority": priority}).scalar()
            for reason, reporter, weight, outcome in reports:
                connection.execute(text("INSERT INTO reports (comment_id, reason, reporter_id, weight, outcome) "
                                        "VALUES (:c, :reason, :reporter, :weight, :outcome)"),
                                   {"c": comment_id, "reason": reason, "reporter": reporter, "weight": weight,
                                    "outcome": outcome})
    upgrade(url)
    with engine.connect() as connection:
        kept = dict(connection.execute(text("SELECT external_id, scored_priority FROM comments")).all())
        assert kept == {"plain": pytest.approx(0.2), "reported": pytest.approx(0.2), "dismissed": pytest.approx(3.5),
                        "anonymous": pytest.approx(0.3), "capped": pytest.approx(1.1), "unscored": None}
        diffs = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                 if "scored_priority" in repr(d)]
        assert diffs == []
    command.downgrade(alembic_config(url), "0026_operations_indexes")
    upgrade(url)
    engine.dispose()
