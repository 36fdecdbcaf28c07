"""The audit log's rare actions are found by index, not by reading every comment's status changes:
a site writes millions of entries, and the Models page, a version's card and `moderation up` look up
promotions, rollbacks and what a release told among them (bench/audit_log.py: 0.4-1.5 s a lookup at 3
million entries before the index)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from sqlalchemy import event, text

from moderation import db, upgrade_hints
from moderation.domain import model_registry
from moderation.domain.erasure import erase_everywhere
from moderation.domain.assignment_changes import last_changes
from moderation.models import ModelVersion
from moderation.domain.lifecycle import now


@contextmanager
def _statements(table: str = "audit_log"):
    """Each SELECT on `table` the session sends meanwhile, with its parameters."""
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        if table in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _plans(seen: list[tuple[str, object]]) -> list[str]:
    # A log of a busy site's shape, in this transaction alone: on a nearly empty table the planner may
    # rightly read the primary key backwards (a full suite's run chose it), which is not what is tested.
    db.session.execute(text("INSERT INTO audit_log (actor, action, details) SELECT 'system:scorer', "
                            "'status:pending->published', '{}'::jsonb FROM generate_series(1, 20000)"))
    db.session.execute(text("ANALYZE audit_log"))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    connection = db.session.connection().connection.driver_connection  # psycopg: the statements as sent
    plans = []
    for statement, parameters in seen:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + statement, parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_models_page_finds_the_last_promotions_by_the_action_index(app):
    with app.app_context():
        with _statements() as seen:
            last_changes(db.session)
        plans = _plans(seen)
        db.session.rollback()
    assert plans and all("ix_audit_log_action" in plan for plan in plans), plans


def test_a_versions_card_finds_its_promotions_by_the_action_index(app):
    with app.app_context():
        row = ModelVersion(version="audit-lookup-probe", sha256="0" * 64, status="candidate", card={})
        with _statements() as seen:
            model_registry.version_history(db.session, row)
        plans = _plans(seen)
        db.session.rollback()
    assert plans and all("ix_audit_log_action" in plan for plan in plans), plans


def test_moderation_up_reads_what_it_told_by_the_action_index(app):
    with app.app_context():
        with _statements() as seen:
            with db.session.get_bind().connect() as connection:
                upgrade_hints._installed(connection)
        plans = [plan for plan in _plans(seen) if "action" in plan]
        db.session.rollback()
    assert plans and all("ix_audit_log_action" in plan for plan in plans), plans


def test_an_erasure_finds_the_bulk_decisions_naming_its_comments_by_the_action_index(app):
    # Every reader's DELETE at retention 0 and every retention batch erases: with `LIKE 'bulk:%'`
    # each read the whole log (a re-check).
    with app.app_context():
        with _statements() as seen:
            erase_everywhere(db.session, [987_654], at=now())
        plans = [plan for plan in _plans(seen) if "bulk" in plan]
        db.session.rollback()
    assert plans and all("ix_audit_log_action" in plan for plan in plans), plans


def test_a_bulk_action_erasure_would_not_find_is_refused():
    from types import SimpleNamespace

    from moderation.domain.bulk import BulkResult, record_bulk
    with pytest.raises(ValueError, match="BULK_ACTIONS"):
        record_bulk(None, SimpleNamespace(username="ada"), BulkResult(action="release"))


def test_the_audit_logs_what_filter_finds_a_rare_action_by_the_index(app):
    from moderation.domain.audit_search import audit_page
    from moderation.domain.lifecycle import audit

    with app.app_context():
        audit(db.session, "user:ada", "decision:reversed", comment_id=None, reason="wrong call")
        audit(db.session, "system:scorer", "status:pending->held")
        db.session.flush()
        found = [e.action for e in audit_page(db.session, what="Decision: Reversed").entries]
        none = audit_page(db.session, what="no such thing").entries
        with _statements() as seen:
            audit_page(db.session, what="decision:reversed")
        plans = [plan for plan in _plans(seen) if "decision:reversed" in plan]
        db.session.rollback()
    assert found == ["decision:reversed"] and none == []
    assert plans and all("ix_audit_log_action" in plan for plan in plans), plans

