"""Sign-in: failed attempts are limited per account and per address, an unknown name costs what a
known one does, and a session ends for good on sign-out, when the user is disabled, or when their
password changes."""
import logging
import time
import types

import argon2
import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.domain import users
from moderation.models import AuditEntry, User


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Failures are counted in fixed 15-minute windows of time.time(): a test that straddles a
    window's end would see its count reset (as tests/test_api_key_limits.py does for API keys)."""
    from moderation import attempts

    monkeypatch.setattr(attempts, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0, monotonic=time.monotonic))


def _try(client, username, password, address="198.51.100.7"):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(page)},
                       environ_base={"REMOTE_ADDR": address})


def test_thirty_wrong_passwords_then_the_right_one_is_refused(app, client, moderator, caplog):
    caplog.set_level(logging.WARNING, logger="moderation.domain.signin")
    for _ in range(30):
        assert _try(client, moderator.username, "not-the-password").status_code in (401, 429)

    response = _try(client, moderator.username, moderator.password)

    assert response.status_code == 429
    assert "Too many attempts, try again in" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/review").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "auth:login_locked" in actions
    # And in the log, where an operator watching for brute force looks (an incident walk found only the row).
    assert "sign-in locked by the user limit: account 'mona', from 198.51.100.7" in caplog.text


def test_one_address_guessing_many_accounts_is_stopped(app_with, moderator, admin):
    client = app_with(LOGIN_MAX_FAILURES_PER_ADDRESS=3).test_client()
    for name in ("alice", "bob", "carol"):
        assert _try(client, name, "guess-number-one").status_code == 401

    assert _try(client, admin.username, admin.password).status_code == 429
    # Another address is not held up by the first one's guesses.
    assert _try(client, admin.username, admin.password, address="203.0.113.9").status_code == 302


def test_an_unknown_username_costs_one_argon2_verification_and_no_hash(client, moderator, monkeypatch):
    _try(client, "warm-up-nobody", "whatever-password")  # the dummy hash is made once per process
    calls = {"verify": 0, "hash": 0}
    real_verify, real_hash = argon2.PasswordHasher.verify, argon2.PasswordHasher.hash

    def counting_verify(self, *args, **kwargs):
        calls["verify"] += 1
        return real_verify(self, *args, **kwargs)

    def counting_hash(self, *args, **kwargs):
        calls["hash"] += 1
        return real_hash(self, *args, **kwargs)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    monkeypatch.setattr(argon2.PasswordHasher, "hash", counting_hash)

    assert _try(client, "nobody-here", "some-password").status_code == 401
    assert calls == {"verify": 1, "hash": 0}
    assert _try(client, moderator.username, "wrong-password").status_code == 401
    assert calls == {"verify": 2, "hash": 0}


def _signed_in(app, user):
    client = app.test_client()
    assert _try(client, user.username, user.password).status_code == 302
    assert client.get("/review").status_code == 200
    return client


def test_a_saved_cookie_replayed_after_sign_out_is_anonymous(app, moderator):
    client = _signed_in(app, moderator)
    saved = client.get_cookie("session").value
    token = csrf_token(client.get("/review").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/review").status_code == 302


@pytest.mark.parametrize("change", ["disable", "password"])
def test_disabling_a_user_or_changing_their_password_ends_their_sessions(app, admin, moderator, change):
    client = _signed_in(app, moderator)
    with app.app_context():
        user = db.session.get(User, moderator.id)
        actor = db.session.get(User, admin.id)
        if change == "disable":
            users.disable_user(db.session, user, actor=f"user:{actor.username}")
        else:
            users.set_password(db.session, user, "a brand new passphrase", actor=f"user:{actor.username}")
        db.session.commit()

    assert client.get("/review").status_code == 302
    if change == "password":
        assert _signed_in(app, type(moderator)(moderator.id, moderator.username, "a brand new passphrase",
                                               moderator.role))


def test_a_successful_sign_in_records_when(app, moderator):
    _signed_in(app, moderator)
    with app.app_context():
        assert db.session.get(User, moderator.id).last_login_at is not None


def test_sign_in_stays_limited_while_redis_is_down(app_with, moderator, tmp_path):
    client = app_with(REDIS_URL=f"redis+socket://{tmp_path}/no-redis.sock",
                      LOGIN_MAX_FAILURES_PER_ACCOUNT=2).test_client()
    for _ in range(2):
        assert _try(client, moderator.username, "not-the-password").status_code == 401
    assert _try(client, moderator.username, moderator.password).status_code == 429


def test_sign_ins_beyond_the_argon2_slots_are_asked_to_retry(app, moderator, monkeypatch):
    from moderation.domain.errors import Busy
    from moderation.domain.signin import sign_in

    guard = app.extensions["sign_in_guard"]
    monkeypatch.setattr(guard, "slot_wait", 0)  # the process's app: put back after the test
    taken = [guard._slots.acquire() for _ in range(guard.argon2_slots)]
    try:
        with app.app_context(), pytest.raises(Busy):
            sign_in(db.session, moderator.username, moderator.password, guard=guard, address="192.0.2.8")
    finally:
        for _ in taken:
            guard._slots.release()


def test_a_disabled_account_with_its_right_password_is_told_it_is_turned_off(app, client, moderator):
    """A walk: told "Wrong username or password", the moderator went to have the password reset.
    Only the right password hears it: a guess still cannot tell a disabled account from a wrong name."""
    with app.app_context():
        db.session.get(User, moderator.id).active = False
        db.session.commit()

    right = _try(client, moderator.username, moderator.password)
    wrong = _try(client, moderator.username, "not-the-password")

    assert right.status_code == 403 and "This account is turned off. Ask an admin" in right.get_data(as_text=True)
    assert client.get("/review").status_code == 302  # and not signed in
    assert wrong.status_code == 401 and "Wrong username or password." in wrong.get_data(as_text=True)


def test_what_was_typed_as_a_username_is_never_a_redis_key_name(app, client, moderator):
    """A security review: a password typed into the username box became the name of a failure counter
    in Redis, and so sat in its append-only file on disk, readable by every local account."""
    typed = "Tr0ub4dor&3-horse"
    for _ in range(3):
        assert _try(client, typed, "anything").status_code == 401
    limiter = app.extensions["sign_in_guard"].limiter
    names = list(limiter._memory) + ([k.decode() for k in limiter.client.scan_iter("attempts:login:*")]
                                     if limiter.client is not None else [])
    assert names and not any(typed.lower() in name or "198.51.100.7" in name for name in names)
    # Still one counter per name and address: the account's limit is reached as before.
    for _ in range(30):
        _try(client, moderator.username, "not-the-password")
    assert _try(client, moderator.username, moderator.password).status_code == 429


def test_a_stranger_guessing_locks_the_account_but_not_the_browser_its_moderator_signed_in_from(app, moderator):
    """A security review: ten wrong passwords a quarter hour from anywhere kept a named moderator out
    of the queue, right password included. The browser she signed in from before carries a signed
    device cookie; its own attempts are counted apart, and limited as an account's are."""
    hers, stranger, new_laptop = app.test_client(), app.test_client(), app.test_client()
    assert _try(hers, moderator.username, moderator.password).status_code == 302
    assert hers.get_cookie("moderation_device", path="/login") is not None
    hers.delete_cookie("session")  # signed out; the device cookie stays

    for n in range(12):
        _try(stranger, moderator.username, f"guess-{n}", address="203.0.113.9")
    assert _try(stranger, moderator.username, moderator.password, address="203.0.113.9").status_code == 429
    assert _try(new_laptop, moderator.username, moderator.password).status_code == 429  # as before

    assert _try(hers, moderator.username, moderator.password).status_code == 302
    hers.delete_cookie("session")
    # A cookie copied with a changed account, or for another account, counts as none.
    forged = app.test_client()
    forged.set_cookie("moderation_device", hers.get_cookie("moderation_device", path="/login").value[:-2] + "xx",
                      path="/login")
    assert _try(forged, moderator.username, moderator.password).status_code == 429
    # Her own browser's wrong passwords are limited too.
    for n in range(10):
        _try(hers, moderator.username, f"typo-{n}")
    assert _try(hers, moderator.username, moderator.password).status_code == 429


def test_device_cookies_from_before_a_password_reset_count_as_none_and_share_the_address_limit(
        app, app_with, moderator, admin):
    """A re-check: four browsers signed in, the password was reset, and each old cookie then had ten
    guesses of the new one a quarter hour, none counted against the account or the address."""
    from moderation.domain import users as user_domain

    browsers = [app.test_client() for _ in range(4)]
    for browser in browsers:
        assert _try(browser, moderator.username, moderator.password).status_code == 302
        browser.delete_cookie("session")
    with app.app_context():
        user_domain.set_password(db.session, db.session.get(User, moderator.id), "a-brand-new-password-9",
                                 actor="test")
        db.session.commit()
    answers = [_try(browser, moderator.username, f"guess-{n}").status_code for browser in browsers for n in range(5)]
    assert answers.count(401) == 10 and answers.count(429) == 10  # the account's ten, then locked

    # A cookie of the password in force is its own limit, not its address's: 30 guesses from a newsroom's
    # shared address had locked every title's moderators out of their own browsers (a newspaper group's walk).
    strict = app_with(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    others, known = strict.test_client(), strict.test_client()
    assert _try(known, admin.username, admin.password, address="192.0.2.44").status_code == 302
    known.delete_cookie("session")
    assert [_try(others, admin.username, "nope", address="192.0.2.44").status_code
            for _ in range(4)] == [401, 401, 401, 429]  # the address is locked for browsers it does not know
    assert _try(known, admin.username, admin.password, address="192.0.2.44").status_code == 302
    known.delete_cookie("session")
    assert [_try(known, admin.username, "nope", address="192.0.2.44").status_code
            for _ in range(11)][-2:] == [401, 429]  # and the known browser has its own ten


def test_a_browser_that_changes_its_own_password_stays_a_known_one(app, moderator):
    """A second re-check: after changing her password she was signed out in her own browser by a
    stranger's guesses, its cookie being of the old generation."""
    from review_helpers import csrf_token as token_of

    hers, stranger = app.test_client(), app.test_client()
    assert _try(hers, moderator.username, moderator.password).status_code == 302
    page = hers.get("/account").get_data(as_text=True)
    changed = hers.post("/account/password", data={
        "csrf_token": token_of(page), "current_password": moderator.password,
        "password": "a-changed-password-42", "confirm_password": "a-changed-password-42"})
    assert changed.status_code == 303
    hers.delete_cookie("session")
    for n in range(12):
        _try(stranger, moderator.username, f"guess-{n}", address="203.0.113.9")
    assert _try(hers, moderator.username, "a-changed-password-42").status_code == 302


def test_signing_out_keeps_the_browser_a_known_one(app, moderator):
    """A newspaper group's walk: a moderator who signed out was locked out of her own browser by ten
    wrong guesses at her username from anywhere; one who never signed out got in."""
    from review_helpers import csrf_token as token_of

    hers, stranger = app.test_client(), app.test_client()
    assert _try(hers, moderator.username, moderator.password).status_code == 302
    page = hers.get("/review").get_data(as_text=True)
    assert hers.post("/logout", data={"csrf_token": token_of(page)}).status_code == 302
    assert hers.get("/review").status_code == 302  # signed out, everywhere
    for n in range(12):
        _try(stranger, moderator.username, f"guess-{n}", address="203.0.113.9")
    assert _try(hers, moderator.username, moderator.password).status_code == 302
