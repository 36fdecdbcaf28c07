"""Rotating a site's key keeps the old one valid for a grace period; revoking ends keys at once."""
from datetime import datetime, timedelta, timezone

import pytest

from moderation import db
from moderation.domain import sites
from moderation.domain.errors import Unauthorized
from moderation.models import Site


def _site_id(app, key, now=None):
    with app.app_context():
        return sites.site_id_for_key(db.session, key, now=now)


def test_the_old_key_works_until_the_grace_period_ends(app, site):
    assert _site_id(app, site.api_key) == site.id  # cached in this process before the rotation
    start = datetime.now(timezone.utc)
    with app.app_context():
        new_key = sites.rotate_key(db.session, db.session.get(Site, site.id), grace=timedelta(hours=24),
                                   actor="user:ada", now=start)
        db.session.commit()

    assert new_key != site.api_key and new_key.startswith("mk_")
    assert _site_id(app, new_key) == site.id
    assert _site_id(app, site.api_key, now=start + timedelta(hours=23)) == site.id
    with pytest.raises(Unauthorized):
        _site_id(app, site.api_key, now=start + timedelta(hours=24, seconds=1))
    sites.forget_verified_keys()  # another process, which never cached it, refuses it too
    with pytest.raises(Unauthorized):
        _site_id(app, site.api_key, now=start + timedelta(hours=25))
    assert _site_id(app, new_key, now=start + timedelta(hours=25)) == site.id


def test_revoking_ends_every_key_of_the_site_at_once_in_this_process(app, client, site):
    assert client.get("/api/v1/comments/1", headers=site.headers).status_code == 404  # verified and cached
    with app.app_context():
        new_key = sites.rotate_key(db.session, db.session.get(Site, site.id), grace=timedelta(hours=1),
                                   actor="user:ada")
        db.session.commit()
        sites.revoke_keys(db.session, db.session.get(Site, site.id), actor="user:ada")
        db.session.commit()

    for key in (site.api_key, new_key):
        assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_revoking_only_the_previous_key_ends_the_grace_period(app, site):
    with app.app_context():
        new_key = sites.rotate_key(db.session, db.session.get(Site, site.id), grace=timedelta(hours=1),
                                   actor="user:ada")
        db.session.commit()
    assert _site_id(app, site.api_key) == site.id
    with app.app_context():
        sites.revoke_keys(db.session, db.session.get(Site, site.id), actor="user:ada", previous_only=True)
        db.session.commit()

    with pytest.raises(Unauthorized):
        _site_id(app, site.api_key)
    assert _site_id(app, new_key) == site.id


def test_a_rotation_checks_the_key_it_was_drawn_with_against_the_row_as_committed(app, site):
    """A re-check: two admins' rotations sent at once both succeeded; one was shown a key that never
    worked, and the log named neither as ended. The row is read again under its lock."""
    from moderation.domain.errors import Conflict

    with app.app_context():
        stale = db.session.get(Site, site.id)  # read as the first admin's page drew it
        drawn_with = stale.key_id
        from sqlalchemy.orm import Session as OrmSession

        with OrmSession(bind=app.extensions["db_engine"]) as second:  # the second admin, committed first
            sites.rotate_key(second, second.get(Site, site.id), grace=timedelta(hours=1), actor="user:bea")
            second.commit()
        with pytest.raises(Conflict, match="rotated since this page was drawn"):
            sites.rotate_key(db.session, stale, grace=timedelta(hours=1), actor="user:ada", expected_key_id=drawn_with)
        db.session.rollback()
