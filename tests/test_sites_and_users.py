import pytest

from moderation import db
from moderation.domain.errors import Conflict, Unauthorized, ValidationFailed
from moderation.domain.sites import site_for_key
from moderation.domain.users import authenticate, create_user
from moderation.models import Site, User


def test_it_finds_the_site_of_a_valid_key(app, site):
    with app.app_context():
        assert site_for_key(db.session, site.api_key).id == site.id


@pytest.mark.parametrize("key", [None, "", "nonsense", "mk_0000_secret"])
def test_it_rejects_malformed_or_unknown_keys(app, site, key):
    with app.app_context(), pytest.raises(Unauthorized):
        site_for_key(db.session, key)


def test_it_rejects_a_right_key_id_with_a_wrong_secret(app, site):
    prefix, key_id, _ = site.api_key.split("_", 2)
    with app.app_context(), pytest.raises(Unauthorized):
        site_for_key(db.session, f"{prefix}_{key_id}_wrong-secret")


def test_it_stores_keys_and_passwords_only_as_argon2_hashes(app, site, moderator):
    with app.app_context():
        stored = db.session.get(Site, site.id)
        assert stored.key_hash.startswith("$argon2")
        assert site.api_key.split("_", 2)[2] not in stored.key_hash
        user = db.session.get(User, moderator.id)
        assert user.password_hash.startswith("$argon2") and moderator.password not in user.password_hash


def test_a_key_secret_is_hashed_at_argon2s_lightest_sound_cost_and_still_checked(app, site):
    """256 random bits need no slow hash, while a slow one cost each web process 0.22 s on its first
    request per key, against Coral's 500 ms timeout. Passwords keep argon2's defaults."""
    from moderation.domain.passwords import hash_key_secret, verify_secret

    hashed = hash_key_secret("s" * 43)
    assert hashed.startswith("$argon2id$v=19$m=8192,t=1,p=1$") and verify_secret(hashed, "s" * 43)
    assert not verify_secret(hashed, "t" * 43)
    with app.app_context():
        assert db.session.get(Site, site.id).key_hash.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
        assert site_for_key(db.session, site.api_key).id == site.id


def test_it_refuses_a_second_site_with_the_same_name(app, site, make_site):
    with pytest.raises(Conflict):
        make_site(site.name)


def test_it_authenticates_users_by_password(app, moderator):
    with app.app_context():
        assert authenticate(db.session, moderator.username, moderator.password).id == moderator.id
        assert authenticate(db.session, moderator.username, "wrong password") is None
        assert authenticate(db.session, "nobody", moderator.password) is None


def test_it_refuses_short_passwords_and_unknown_roles(app):
    with app.app_context():
        with pytest.raises(ValidationFailed):
            create_user(db.session, "bob", "short", "moderator")
        with pytest.raises(ValidationFailed):
            create_user(db.session, "bob", "long enough password", "overlord")


@pytest.mark.parametrize("threshold", [0.0, -1.0, float("nan"), float("inf")])
def test_a_site_is_not_created_with_a_report_threshold_the_site_page_would_refuse(app, threshold):
    """`keys create --report-threshold 0` (or nan) was stored; with nan no report ever reached it."""
    from moderation.domain.sites import create_site

    with app.app_context():
        with pytest.raises(ValidationFailed, match="report threshold must be a positive number"):
            create_site(db.session, "gazette", report_threshold=threshold)
        db.session.rollback()
        assert db.session.query(Site).count() == 0
