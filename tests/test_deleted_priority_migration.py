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


def test_a_reported_comment_deleted_before_0027_loses_the_share_0027_copied_into_its_scored_priority(services):
    """0024 closed its reports at the deletion, and 0027, finding none open, took its whole priority
    (1.5 from its scores, 1.0 from a report of weight 2 at threshold 2) for its scored priority."""
    url = fresh_database(services.database_url, DATABASE + "_before_0027")
    upgrade(url, "0023_mend_registry")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret, report_threshold) "
                                "VALUES ('news', 'k', 'h', 'w', 2.0)"))
        for name, status in (("deleted-reported", "deleted"), ("held-reported", "held")):
            connection.execute(text(
                "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, priority) "
                "VALUES (1, :name, 's-1', 'a-1', 't', 'x', :status, 2.5)"), {"name": name, "status": status})
            connection.execute(text("INSERT INTO reports (comment_id, reason, weight) SELECT id, 'abuse', 2.0 "
                                    "FROM comments WHERE external_id = :name"), {"name": name})
    engine.dispose()

    upgrade(url)

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = {name: (scored, priority) for name, scored, priority in connection.execute(text(
            "SELECT external_id, scored_priority, priority FROM comments"))}
    engine.dispose()
    assert rows["deleted-reported"] == (pytest.approx(1.5), pytest.approx(1.5))  # as one deleted now ranks
    assert rows["held-reported"] == (pytest.approx(1.5), pytest.approx(2.5))  # its report still open: it keeps it
