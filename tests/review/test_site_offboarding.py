"""`moderation keys deactivate`: an agency offboarding one of its sites found no way to. Revoking the
keys left its held comments at the top of every admin's queue and 501 webhook events retrying to the
departed site's URL for 11 hours, then as dead letters no one could clear."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from moderation import db
from moderation.cli import main
from moderation.domain.dead_letters import count_dead_letters
from moderation.models import Comment, WebhookDelivery


def _run(services, *args: str):
    return CliRunner().invoke(main, list(args), env={**services.env(), "SECRET_KEY": "test-secret"})


def _post(client, site, n: int):
    return client.post("/api/v1/comments", headers=site.headers,
                       json={"id": f"c-{n}", "story_id": "s", "author_id": "a", "text": "You utter idiot."})


def test_a_deactivated_site_is_refused_out_of_the_queue_and_its_events_closed_not_dead_letters(
        app, client, services, make_site, admin, sign_in):
    admin_client = sign_in(admin)
    leaving = make_site("leaving-post", webhook_url="http://127.0.0.1:9/hooks")
    assert _post(client, leaving, 1).status_code == 202
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        comment.status = "held"
        db.session.add(WebhookDelivery(site_id=leaving.id, comment_id=comment.id, event={"type": "comment.status_changed"}))
        db.session.add(WebhookDelivery(site_id=leaving.id, comment_id=comment.id, event={"type": "x"}, failed=True,
                                       attempts=12, last_error="timed out"))  # a dead letter before
        db.session.commit()
    assert f"#{comment.id}" in admin_client.get("/review").get_data(as_text=True)

    refused = _run(services, "keys", "deactivate", "leaving-post")
    assert refused.exit_code == 1 and "Aborted" in refused.output  # it asks first
    done = _run(services, "keys", "deactivate", "leaving-post", "--yes")
    assert done.exit_code == 0, done.output
    assert "deactivated leaving-post; 1 waiting webhook event closed" in done.output
    again = _run(services, "keys", "deactivate", "leaving-post", "--yes")
    assert again.exit_code == 0 and "already deactivated; nothing changed" in again.output

    assert _post(client, leaving, 2).status_code == 401
    assert f"#{comment.id}" not in admin_client.get("/review").get_data(as_text=True)
    with app.app_context():
        waiting = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.failed.is_(False),
                                                                   WebhookDelivery.delivered_at.is_(None))).all()
        assert waiting == []
        assert count_dead_letters(db.session) == 0  # neither the closed event nor the older dead letter
    assert "(inactive)" in admin_client.get("/admin").get_data(as_text=True)

    back = _run(services, "keys", "reactivate", "leaving-post")
    assert back.exit_code == 0 and "reactivated leaving-post" in back.output
    assert _post(client, leaving, 3).status_code == 202
    with app.app_context():
        # The one that was a dead letter before; not the event its deactivation closed, which replay
        # would have sent stale (the next re-check).
        assert count_dead_letters(db.session) == 1


def test_a_deactivated_sites_comments_are_neither_shown_to_its_moderators_decided_nor_counted(
        app, client, services, make_site, make_moderator, admin, sign_in):
    """The next re-check: its moderators still opened and decided its comments by URL (a decision the
    site never heard of), and the operations page and gauges counted its held comments for ever."""
    from moderation.domain.decisions import decide
    from moderation.domain.errors import AlreadyDecided
    from moderation.domain.operations import snapshot
    from moderation.models import User

    leaving = make_site("leaving-post")
    staying = make_site("staying-post")
    mona = make_moderator("mona", sites=[leaving, staying])
    assert _post(client, leaving, 1).status_code == 202
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        comment.status = "held"
        db.session.commit()
        comment_id, version = comment.id, comment.version
    assert sign_in(mona).get(f"/review/{comment_id}").status_code == 200
    assert _run(services, "keys", "deactivate", "leaving-post", "--yes").exit_code == 0

    assert sign_in(mona).get(f"/review/{comment_id}").status_code == 404
    with app.app_context():
        assert [b.site for b in snapshot(db.session).backlog] == ["staying-post"]
        with pytest.raises(AlreadyDecided, match="deactivated"):
            decide(db.session, comment_id, user=db.session.get(User, admin.id), action="approve", reason=None,
                   expected_version=version)



def test_a_decision_on_a_deactivated_sites_comment_cannot_be_taken_back(app, client, services, make_site, admin):
    """The next re-check: an admin reversed one; the site, its events closed, never heard of it."""
    from datetime import timedelta

    from moderation.domain.decisions import decide
    from moderation.domain.errors import SiteDeactivated
    from moderation.domain.undo import reverse_decision, undo_decision
    from moderation.models import User

    leaving = make_site("leaving-post")
    assert _post(client, leaving, 1).status_code == 202
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        comment.status = "held"
        db.session.commit()
        decided = decide(db.session, comment.id, user=db.session.get(User, admin.id), action="approve", reason=None,
                         expected_version=comment.version)
        comment_id, version = decided.id, decided.version
    assert _run(services, "keys", "deactivate", "leaving-post", "--yes").exit_code == 0
    with app.app_context():
        user = db.session.get(User, admin.id)
        with pytest.raises(SiteDeactivated, match="deactivated"):
            reverse_decision(db.session, comment_id, user=user, expected_version=version, reason="mistake")
        with pytest.raises(SiteDeactivated, match="deactivated"):
            undo_decision(db.session, comment_id, user=user, expected_version=version, window=timedelta(minutes=5))


def test_an_admin_cannot_sanction_or_lift_on_a_deactivated_site(app, client, sign_in, services, make_site, admin):
    """The site would never hear of it, and posts no comment for a sanction to apply to."""
    from review_helpers import csrf_token

    from moderation.domain.errors import Conflict
    from moderation.domain.sanctions import lift_sanction, sanction_author
    from moderation.models import AuthorSanction, Site, User

    leaving = make_site("leaving-post")
    with app.app_context():
        sanction_author(db.session, db.session.get(Site, leaving.id), "troll", "ban", "threats",
                        db.session.get(User, admin.id))
    assert _run(services, "keys", "deactivate", "leaving-post", "--yes").exit_code == 0
    with app.app_context():
        site, user = db.session.get(Site, leaving.id), db.session.get(User, admin.id)
        with pytest.raises(Conflict, match="deactivated"):
            sanction_author(db.session, site, "another", "ban", "threats", user)
        with pytest.raises(Conflict, match="deactivated"):
            lift_sanction(db.session, site, "troll", user, "appeal upheld")
    browser = sign_in(admin)
    page = browser.get("/review")
    refused = browser.post(f"/review/authors/{leaving.id}/sanction", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "author_id": "another", "kind": "ban",
        "reason": "threats"})
    assert refused.status_code == 404  # its authors, as its comments, are out of the pages' reach
    with app.app_context():
        assert [(s.author_id, s.lifted_at) for s in db.session.scalars(select(AuthorSanction))] == [("troll", None)]
