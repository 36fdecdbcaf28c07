"""Passwords a guesser would try first are refused, with a message that says why."""
import pytest

from moderation import db
from moderation.domain.errors import ValidationFailed
from moderation.domain.users import create_user


@pytest.mark.parametrize("password, why", [
    ("aaaaaaaa", "at least 12 characters"),
    ("short-pass", "at least 12 characters"),
    ("aaaaaaaaaaaaaaaa", "one character repeated"),
    ("abcdefghijklmnop", "simple sequence"),
    ("123456789012", "simple sequence"),
    ("abcabcabcabcabc", "at least 4 different characters"),
    ("abcdabcdabcdabcd", "simple sequence"),
    ("Bob-the-Builder", "must not be the username"),
    ("bob-the-builder2026!", "must not be the username"),
    ("2026-Bob-the-Builder", "must not be the username"),
    ("password1234", "too common"),
    ("Qwertyuiop123!", "too common"),
    ("iloveyou2026", "too common"),
    # A security review: keyboard walks, a doubled word, a famous phrase, zero-width padding were all taken.
    ("qwertyuiopas", "walk along the keyboard"), ("1q2w3e4r5t6y", "walk along the keyboard"),
    ("zaq12wsxcde3", "walk along the keyboard"), ("letmeinletmein", "a word repeated"),
    ("correcthorsebatterystaple", "too common"), ("a\u200b" * 6 + "bbbbbb", "at least 4 different characters"),
    ("\u200b" * 8 + "abcd", "at least 12 characters"),
])
def test_it_refuses_weak_passwords_and_says_why(app, password, why):
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        create_user(db.session, "bob-the-builder", password, "moderator")
    assert why in refused.value.message and refused.value.field == "password"


def test_it_accepts_a_long_uncommon_password(app):
    with app.app_context():
        assert create_user(db.session, "bob", "copper kettle on the stair", "moderator").id
        assert create_user(db.session, "ann", "plum-river-lantern-42", "moderator").id  # not a walk


def test_a_short_username_with_digits_after_it_is_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        create_user(db.session, "bob", "bob12345678901", "moderator")
    assert "must not be the username" in refused.value.message


@pytest.mark.parametrize("username, password", [
    ("bob2", "bob212345678901"), ("bob2", "2bob2123456789"), ("bob2", "!!bob2!!!!!!!!!!"), ("bob_1", "bob_1123456789"),
    ("bob", "bob-bob-12345678"),
])
def test_the_username_hidden_among_digits_and_symbols_is_refused(app, username, password):
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        create_user(db.session, username, password, "moderator")
    assert "must not be the username" in refused.value.message


def test_a_password_that_only_contains_the_username_among_other_words_is_accepted(app):
    with app.app_context():
        assert create_user(db.session, "bob", "bob likes copper kettles", "moderator").id
