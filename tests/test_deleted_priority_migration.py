"""Migration 0045_deleted_priority: a comment deleted before deletion closed its reports' share and
late lift out of its priority ranks as one deleted now does: it had kept 2.91 on the All tab, above
every held insult, with no report left for anyone to read."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.domain.policy import overdue_priority, with_reports
from moderation.domain.reports import rank
from moderation.migrate import upgrade

DATABASE = "migration_0045_deleted_priority"
OLD_HEAD = "0044_rescore_progress"


def _comment(connection, name: str, status: str, scored: float | None, priority: float) -> None:
    connection.execute(text(
        "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, scored_priority, "
        "priority) VALUES (1, :name, 's-1', 'a-1', 't', 'x', :status, :scored, :priority)"),
        {"name": name, "status": status, "scored": scored, "priority": priority})


def _ranked_now(scored: float | None) -> float:
    """What deleting a comment ranks it at now (report_outcomes.close_reports_of_deleted: no open report)."""
    comment = SimpleNamespace(site_id=1, scored_priority=scored, priority=None)
    rank(None, comment, [], 2.0)
    return comment.priority


def test_comments_deleted_before_the_upgrade_lose_their_reports_lift(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, OLD_HEAD)
    engine = create_engine(url)
    insult = 1.512345
    late = overdue_priority(with_reports(insult, 1.0, 2.0))  # half the report threshold, then past the window
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret) "
                                "VALUES ('news', 'k', 'h', 'w')"))
        _comment(connection, "deleted-late", "deleted", insult, late)
        _comment(connection, "deleted-unscored", "deleted", None, overdue_priority(0.5))
        _comment(connection, "deleted-unreported", "deleted", insult, insult)
        _comment(connection, "held-late", "held", insult, late)  # still reported and waiting: it keeps its lift
        _comment(connection, "published-reported", "published", 0.2, with_reports(0.2, 1.0, 2.0))
    engine.dispose()
    assert 2.9 < late < 2.93  # where the All tab showed it (2.91 or so), above every held insult

    upgrade(url)

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT external_id, priority FROM comments")).all())
    engine.dispose()
    assert rows["deleted-late"] == pytest.approx(_ranked_now(insult)) == insult
    assert rows["deleted-unscored"] == _ranked_now(None) == 0.0
    assert rows["deleted-unreported"] == pytest.approx(insult)
    assert rows["held-late"] == pytest.approx(late)
    assert rows["published-reported"] == pytest.approx(with_reports(0.2, 1.0, 2.0))
