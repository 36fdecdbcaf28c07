"""Domain functions read their settings from the session they are given, never from the Flask app:
what a site is told about its moderators follows the settings that session carries."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from moderation.domain.pseudonyms import moderator_reference
from moderation.domain.settings import DomainSettings
from moderation.models import Site, User


def _reference(settings: DomainSettings, *, share_names: bool = False) -> str | None:
    session = Session(info={"settings": settings})  # no Flask app, no database round trip
    user, site = User(id=7, username="mona"), Site(id=1, share_moderator_names=share_names)
    session.add_all([user, site])
    return moderator_reference(user, site)


def test_a_moderator_reference_follows_the_sessions_pseudonym_key():
    first = _reference(DomainSettings(pseudonym_key=b"one"))
    assert first is not None and first.startswith("mod_") and "mona" not in first
    assert _reference(DomainSettings(pseudonym_key=b"one")) == first, "the same moderator keeps one id"
    assert _reference(DomainSettings(pseudonym_key=b"two")) != first
    assert _reference(DomainSettings(pseudonym_key=b"one"), share_names=True) == "mona"


def test_a_set_moderator_id_secret_keeps_ids_across_a_secret_key_rotation():
    def key(**config: str) -> bytes:
        return DomainSettings.from_config(config).pseudonym_key

    assert key(SECRET_KEY="old", MODERATOR_ID_SECRET="ids") == key(SECRET_KEY="new", MODERATOR_ID_SECRET="ids")
    assert key(SECRET_KEY="old") != key(SECRET_KEY="new")
    assert key(SECRET_KEY="old") != b"old", "the key is derived, so a pseudonym says nothing of SECRET_KEY"


def test_the_derived_key_in_hex_keeps_ids_when_an_installation_first_sets_its_own_secret_key():
    """Moving off the embedded default (SECRET_KEY in var/secret_key) to a SECRET_KEY of its own, an
    installation keeps every id sites know by setting MODERATOR_ID_SECRET to what the old key derived."""
    def key(**config: str) -> bytes:
        return DomainSettings.from_config(config).pseudonym_key

    before = key(SECRET_KEY="generated-into-var")
    printed = "hex:" + before.hex()  # what `moderation keys moderator-id-secret` prints
    assert key(SECRET_KEY="production", MODERATOR_ID_SECRET=printed) == before
    assert key(SECRET_KEY="production", MODERATOR_ID_SECRET="generated-into-var") != before  # the trap it replaces
    with pytest.raises(ValueError, match="hex digits"):
        key(SECRET_KEY="x", MODERATOR_ID_SECRET="hex:not-hex")


def test_a_session_without_settings_says_so():
    user = User(id=7, username="mona")
    Session().add(user)
    with pytest.raises(RuntimeError, match="no domain settings"):
        moderator_reference(user, Site(id=1, share_moderator_names=False))
