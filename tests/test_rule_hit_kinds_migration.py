"""Migration 0038_rule_hit_kinds: hits stored before 2 December take their rule's kind, so what they
held is hidden on a post-moderation site and queued as urgently as a new hold; the upgrade then
tells the sites of held comments it hides (an operator's upgrade from 30 November, F10 and F4)."""
from __future__ import annotations

import json

import pytest
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import upgrade
from moderation.upgrade_hints import upgrade_hints

DATABASE = "migration_0038_rule_hit_kinds"
OLD_HEAD = "0021_revisions"  # 2b6e0e22, main of 30 November
PHONE = {"rule": "phone", "action": "hold", "reason": "phone number"}


def _comment(connection, name: str, status: str, hits: list | None, priority: float, *, visible_told: bool | None,
             scored_at: str = "2026-11-29T10:00:00+00") -> int:
    comment_id = connection.execute(text(
        "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, version, "
        "rule_hits, priority, scored_at) VALUES (1, :name, 't-1', 'a-1', 'Call me at 555-201-3344', 'x', :status, 2, "
        "CAST(:hits AS jsonb), :priority, :scored_at) RETURNING id"),
        {"name": name, "status": status, "hits": json.dumps(hits), "priority": priority, "scored_at": scored_at}).scalar()
    if visible_told is not None:  # what the old release told the site when it held it
        event = {"type": "comment.status_changed", "version": 2, "previous_status": "pending",
                 "comment": {"id": comment_id, "status": status, "version": 2, "visible": visible_told}}
        connection.execute(text("INSERT INTO webhook_deliveries (site_id, comment_id, event, delivered_at) "
                                "VALUES (1, :c, CAST(:event AS jsonb), now())"), {"c": comment_id, "event": json.dumps(event)})
    return comment_id


def _old_database(services) -> str:
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, OLD_HEAD)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (name, key_id, key_hash, webhook_secret, moderation_mode, webhook_url) "
                                "VALUES ('news-b', 'k', 'h', 'w', 'post', 'https://news-b.example/hook')"))
        # The rule was called "phone" then; since renamed, and a later "phone" is a word list.
        connection.execute(text("INSERT INTO rule_sets (site_id, version, rules, created_by, created_at) VALUES "
                                "(1, 1, CAST(:v1 AS jsonb), 'user:boss', '2026-11-28T00:00:00+00'), "
                                "(1, 2, CAST(:v2 AS jsonb), 'user:boss', '2026-12-01T00:00:00+00')"),
                           {"v1": json.dumps([{"name": "phone", "kind": "phone", "action": "hold", "reason": "phone number"},
                                              {"name": "shouting", "kind": "shouting", "action": "flag", "reason": "caps"}]),
                            "v2": json.dumps([{"name": "phone", "kind": "suspect_words", "action": "hold", "reason": "x",
                                               "words": ["phone"]}])})
    engine.dispose()
    return url


def _rows(url: str) -> dict[str, tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT external_id, rule_hits, scored_priority, priority FROM comments")).all()
    engine.dispose()
    return {name: (hits, scored, priority) for name, hits, scored, priority in rows}


def test_an_old_phone_hold_takes_its_kind_and_priority_and_its_site_is_told_it_is_hidden(services, tmp_path, monkeypatch):
    from moderation.domain import upgrade_visibility

    # Read two comments at a time, as 10,000 are on a large install (psycopg's 65,535-parameter cap): all three told.
    monkeypatch.setattr(upgrade_visibility, "_SLICE", 2)
    url = _old_database(services)
    engine = create_engine(url)
    with engine.begin() as connection:
        held = _comment(connection, "held-phone", "held", [PHONE], 1.0, visible_told=True)
        urgent = _comment(connection, "held-urgent", "held", [PHONE], 1.5, visible_told=True)
        _comment(connection, "rejected-phone", "rejected", [{**PHONE, "action": "hold"}], 1.0, visible_told=False)
        _comment(connection, "flagged", "published", [{"rule": "shouting", "action": "flag", "reason": "caps"}], 0.2,
                 visible_told=True)
        story = _comment(connection, "held-story", "held", [{"rule": "story_premoderated", "action": "hold",
                                                             "reason": "story pre-moderated"}], 1.0, visible_told=True)
        _comment(connection, "renamed", "held", [{"rule": "gone", "action": "hold", "reason": "r"}], 1.0, visible_told=True)
    engine.dispose()
    upgrade(url)

    rows = _rows(url)
    assert rows["held-phone"][0] == [{**PHONE, "kind": "phone"}]  # v1's rule, in force when it was scored
    assert rows["held-phone"][1:] == (pytest.approx(2.0), pytest.approx(2.0))  # as a new phone hold ranks
    assert rows["held-urgent"][1:] == (pytest.approx(2.015), pytest.approx(2.015))
    assert rows["rejected-phone"][0][0]["kind"] == "phone" and rows["rejected-phone"][2] == pytest.approx(1.0)
    assert rows["flagged"][0][0]["kind"] == "shouting" and rows["flagged"][2] == pytest.approx(0.2)
    assert "kind" not in rows["held-story"][0][0] and "kind" not in rows["renamed"][0][0]

    hints = "\n".join(upgrade_hints(url, tmp_path / "none.skops", record=True))
    assert "news-b: 3" in hints and "visibility_changed" in hints
    engine = create_engine(url)
    with engine.connect() as connection:
        told = connection.execute(text(
            "SELECT comment_id, event FROM webhook_deliveries WHERE event ->> 'visibility_changed' = 'true'")).all()
        versions = dict(connection.execute(text("SELECT id, version FROM comments")).all())
    engine.dispose()
    # The phone holds and the pre-moderated story's, shown by the old release, hidden now, at a new version.
    assert sorted(comment_id for comment_id, _ in told) == sorted([held, urgent, story])
    assert all(event["comment"]["visible"] is False and event["version"] == 3 and event["comment"]["status"] == "held"
               for _, event in told)
    assert versions[held] == 3
    assert upgrade_hints(url, tmp_path / "none.skops", record=True) == []  # said and sent once


def test_the_upgrade_itself_is_in_the_audit_log_once(services):
    """An operator asking what changed on the day of an upgrade found only its side notices (F8)."""
    url = _old_database(services)
    upgrade(url)
    upgrade(url)  # the next start: nothing migrated, nothing said
    engine = create_engine(url)
    with engine.connect() as connection:
        entries = connection.execute(text("SELECT actor, details FROM audit_log WHERE action = 'db:migrated'")).all()
        head = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert entries == [("system:upgrade", {"from": OLD_HEAD, "to": head})]
