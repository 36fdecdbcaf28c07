"""Replacing a site's scoring key keeps the old one working for a grace period, on the Perspective
endpoint only, as a rotated API key keeps working (test_key_rotation.py).

A Coral developer migrating three sites found every comment between the replacement and the moment
Coral's admin pasted the new key published unscored: Coral fails open on any error."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from moderation import db
from moderation.domain import sites
from moderation.domain.errors import Conflict, KeyScope, Unauthorized
from moderation.models import AuditEntry, Site

ANALYZE = "/v1alpha1/comments:analyze"
BODY = {"comment": {"text": "Thanks for the article."}, "requestedAttributes": {"TOXICITY": {}}}


def _issue(app, site, **options) -> str:
    with app.app_context():
        key = sites.issue_scoring_key(db.session, db.session.get(Site, site.id), actor="user:ada", **options)
        db.session.commit()
    return key


def _scores(client, key) -> bool:
    return client.post(f"{ANALYZE}?key={key}", json=BODY).status_code == 200


def _site_id(app, key, now):
    with app.app_context():
        return sites.site_id_for_key(db.session, key, now=now, scoring_key_ok=True)


def _key_id(key: str) -> str:
    return key.split("_")[1]


def test_a_replaced_scoring_key_scores_until_its_grace_ends_and_never_reaches_the_comment_api(app, client, site):
    old = _issue(app, site)
    assert _scores(client, old)  # verified and cached in this process before the replacement
    start = datetime.now(timezone.utc)
    new = _issue(app, site, grace=timedelta(hours=24), now=start)

    assert _scores(client, old) and _scores(client, new)
    refused = client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {old}"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "key_scope"
    assert _site_id(app, old, now=start + timedelta(hours=23)) == site.id
    with app.app_context(), pytest.raises(KeyScope):
        sites.site_id_for_key(db.session, old, now=start + timedelta(hours=23))
    with pytest.raises(Unauthorized):  # the cached verification ends with the grace, to the second
        _site_id(app, old, now=start + timedelta(hours=24, seconds=1))
    sites.forget_verified_keys()  # another process, which never cached it, refuses it too
    with pytest.raises(Unauthorized):
        _site_id(app, old, now=start + timedelta(hours=25))
    with app.app_context(), pytest.raises(KeyScope):  # still scoring-scoped once verified afresh in its grace
        sites.site_id_for_key(db.session, old, now=start + timedelta(hours=1))
    assert _site_id(app, new, now=start + timedelta(hours=25)) == site.id


@pytest.mark.parametrize("revoke, old_works, new_works", [
    (lambda session, site: sites.revoke_scoring_key(session, site, actor="user:ada"), False, False),
    (lambda session, site: sites.revoke_scoring_key(session, site, actor="user:ada", previous_only=True), False, True),
    (lambda session, site: sites.revoke_keys(session, site, actor="user:ada"), False, False),
], ids=["scoring", "previous scoring", "every key"])
def test_revoking_ends_the_replaced_scoring_key_at_once(app, client, site, revoke, old_works, new_works):
    old = _issue(app, site)
    new = _issue(app, site, grace=timedelta(hours=24))
    assert _scores(client, old) and _scores(client, new)  # both cached in this process
    with app.app_context():
        revoke(db.session, db.session.get(Site, site.id))
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:key_revoked")).one()

    assert (_scores(client, old), _scores(client, new)) == (old_works, new_works)
    sites.forget_verified_keys()
    assert (_scores(client, old), _scores(client, new)) == (old_works, new_works)
    assert _key_id(old) in entry.details["ended_key_ids"]
    assert (_key_id(new) in entry.details["ended_key_ids"]) == (not new_works)


def test_a_second_replacement_in_the_grace_is_refused_unless_it_may_end_the_old_key(app, client, site):
    """As for API keys (an incident walk lost 14 comments to a rotation sent twice): the client may
    still send the key in its grace, and replacing again would end it unasked."""
    old = _issue(app, site)
    middle = _issue(app, site, grace=timedelta(hours=24))
    with app.app_context():
        with pytest.raises(sites.KeyInGrace, match=rf"previous scoring key of daily-planet, mks_{_key_id(old)}_…, "
                                                    "still works until"):
            sites.issue_scoring_key(db.session, db.session.get(Site, site.id), actor="user:ada",
                                    grace=timedelta(hours=24))
        db.session.rollback()
        # A form drawn before the replacement (a reload of the page that showed the new key) changes nothing.
        with pytest.raises(Conflict, match="replaced since this page was drawn"):
            sites.issue_scoring_key(db.session, db.session.get(Site, site.id), actor="user:ada",
                                    grace=timedelta(hours=24), expected_key_id=_key_id(old), replace_previous=True)
        db.session.rollback()
    assert _scores(client, old) and _scores(client, middle)

    newest = _issue(app, site, grace=timedelta(hours=1), replace_previous=True, expected_key_id=_key_id(middle))

    assert not _scores(client, old)
    assert _scores(client, middle) and _scores(client, newest)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:scoring_key_issued")
                                     .order_by(AuditEntry.id)).all()
    assert [(e.details["key_id"], e.details["previous_key_id"], e.details["ended_key_ids"],
             e.details["previous_valid_until"] is not None) for e in entries] == [
        (_key_id(old), None, [], False), (_key_id(middle), _key_id(old), [], True),
        (_key_id(newest), _key_id(middle), [_key_id(old)], True)]


def test_the_key_summary_shows_the_replaced_scoring_key_until_its_grace_ends(app, site):
    old = _issue(app, site)
    start = datetime.now(timezone.utc)
    _issue(app, site, grace=timedelta(hours=2), now=start)
    with app.app_context():
        row = db.session.get(Site, site.id)
        during = sites.key_summary(row, start + timedelta(hours=1))
        after = sites.key_summary(row, start + timedelta(hours=3))

    assert during["previous_scoring"] == f"mks_{_key_id(old)}_…"
    assert during["previous_scoring_valid_until"] == start + timedelta(hours=2)
    assert during["previous"] is None  # the API key was not rotated
    assert after["previous_scoring"] is None and after["previous_scoring_valid_until"] is None


def test_ending_the_old_api_key_leaves_a_replaced_scoring_key_in_its_grace(app, client, site):
    # `keys revoke --previous` is what a refused second rotation tells an admin to run; ending the
    # scoring key Coral still sends with it published Coral's comments unscored (a re-check).
    old = _issue(app, site)
    new = _issue(app, site, grace=timedelta(hours=24))
    with app.app_context():
        row = db.session.get(Site, site.id)
        sites.rotate_key(db.session, row, grace=timedelta(hours=24), actor="user:ada")
        db.session.commit()
        sites.revoke_keys(db.session, db.session.get(Site, site.id), actor="user:ada", previous_only=True)
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:key_revoked")).one()
    sites.forget_verified_keys()
    assert _scores(client, old) and _scores(client, new)
    assert entry.details["ended_key_ids"] == [site.api_key.split("_")[1]]
