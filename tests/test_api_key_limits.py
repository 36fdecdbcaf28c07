"""Failed API key checks are limited per key id and per address before argon2 runs (finding 12)."""
import types

import argon2
import pytest


COMMENT = {"id": "c-1", "story_id": "s-1", "author_id": "r-1", "text": "Hello there."}
ANALYZE = "/v1alpha1/comments:analyze"
ANALYZE_BODY = {"comment": {"text": "Hello."}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}


def _wrong(persona) -> str:
    prefix, key_id, _ = persona.api_key.split("_", 2)
    return f"{prefix}_{key_id}_not-the-secret"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The limiter counts in fixed windows; a test that straddles a window's end would see its count reset."""
    import time
    from moderation import attempts
    clock = types.SimpleNamespace(time=lambda: 1_800_000_030.0, monotonic=time.monotonic)
    monkeypatch.setattr(attempts, "time", clock)


@pytest.fixture
def argon2_calls(monkeypatch):
    calls = []
    real = argon2.PasswordHasher.verify
    monkeypatch.setattr(argon2.PasswordHasher, "verify",
                        lambda self, *args, **kwargs: calls.append(1) or real(self, *args, **kwargs))
    return calls


def _get(client, key, address="198.51.100.7"):
    return client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"},
                      environ_base={"REMOTE_ADDR": address})


def test_past_the_limit_a_key_id_is_refused_without_running_argon2(app_with, site, argon2_calls):
    client = app_with(KEY_MAX_FAILURES_PER_KEY_ID=3).test_client()
    for n in range(3):  # each from its own address, so only the key id's count is reached
        assert _get(client, _wrong(site), address=f"203.0.113.{n}").status_code == 401
    assert len(argon2_calls) == 3

    response = _get(client, _wrong(site), address="203.0.113.50")
    right = _get(client, site.api_key, address="203.0.113.51")

    assert response.status_code == 429 and right.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_attempts"
    assert int(response.headers["Retry-After"]) > 0
    assert len(argon2_calls) == 3


def test_a_key_already_verified_keeps_working_while_its_id_is_attacked(app_with, site, argon2_calls):
    client = app_with(KEY_MAX_FAILURES_PER_KEY_ID=2).test_client()
    assert _get(client, site.api_key).status_code == 404  # authenticated: the comment just does not exist
    attacked = [_get(client, _wrong(site), address="203.0.113.66").status_code for _ in range(5)]
    assert attacked[-1] == 429  # the key id is locked against guesses (a newcomer: the test had not shown it)
    assert _get(client, site.api_key).status_code == 404


def test_one_address_trying_many_key_ids_is_stopped(app_with, site, outsider, make_site):
    third = make_site("third-times-herald")
    client = app_with(KEY_MAX_FAILURES_PER_ADDRESS=3).test_client()
    for persona in (site, outsider, third):
        assert _get(client, _wrong(persona)).status_code == 401

    assert _get(client, site.api_key).status_code == 429
    assert _get(client, site.api_key, address="192.0.2.1").status_code == 404


def test_one_sites_mistyped_key_locks_out_no_other_site_behind_its_address(app_with, site, outsider, make_site,
                                                                           argon2_calls):
    """A site resending a mistyped secret with every comment used up its address's failures, and every
    other site behind that address (a host, a proxy) got 429 until its key was cached again."""
    client = app_with(KEY_MAX_FAILURES_PER_ADDRESS=3, KEY_MAX_FAILURES_PER_KEY_ID=50).test_client()
    for _ in range(5):
        _get(client, _wrong(site))
    assert _get(client, site.api_key).status_code == 429  # the site with the typo is held back

    assert _get(client, outsider.api_key).status_code == 404  # authenticated: the comment just does not exist
    # From the locked address a guesser gets one try at a key id that had not failed, then 429.
    third = make_site("third-times-herald")
    calls = len(argon2_calls)
    assert _get(client, _wrong(third)).status_code == 401
    assert _get(client, _wrong(third)).status_code == 429
    assert _get(client, third.api_key).status_code == 429
    assert len(argon2_calls) == calls + 1


def test_the_perspective_endpoint_answers_resource_exhausted(app_with, site):
    client = app_with(KEY_MAX_FAILURES_PER_KEY_ID=1).test_client()
    assert client.post(f"{ANALYZE}?key={_wrong(site)}", json=ANALYZE_BODY).status_code == 403

    response = client.post(f"{ANALYZE}?key={_wrong(site)}", json=ANALYZE_BODY)

    assert response.status_code == 429
    assert response.get_json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert int(response.headers["Retry-After"]) > 0


def test_a_revoked_key_sent_again_and_again_locks_out_no_other_key(app_with, site, outsider, argon2_calls):
    """No secret opens a revoked key, so sending it is not guessing: counted, one site still sending
    its revoked key locked every key behind its address (a newsroom's NAT) out with 429."""
    from moderation import db
    from moderation.domain.sites import revoke_keys
    from moderation.models import Site

    app = app_with(KEY_MAX_FAILURES_PER_ADDRESS=3, KEY_MAX_FAILURES_PER_KEY_ID=3)
    with app.app_context():
        revoke_keys(db.session, db.session.get(Site, outsider.id), actor="test")
        db.session.commit()
    client = app.test_client()
    for _ in range(10):
        assert _get(client, outsider.api_key).status_code == 401
    assert _get(client, "mk_nosuchkey_secret").status_code == 401

    assert _get(client, site.api_key).status_code == 404  # authenticated: the comment just does not exist
    for _ in range(3):  # a wrong secret for a live key is a guess, and still counts
        assert _get(client, _wrong(site)).status_code == 401
    assert _get(client, _wrong(site)).status_code == 429


def test_a_key_seen_to_pass_once_is_let_past_its_ids_lockout_by_a_process_that_never_checked_it(app_with, site):
    """An integrator's walk: 20 wrong secrets a minute for a key id (printed by `keys list`, part of the
    key) refused the site's real key in every web process that had not cached it, after each restart."""
    from moderation.domain.sites import forget_verified_keys

    client = app_with(KEY_MAX_FAILURES_PER_KEY_ID=2).test_client()
    assert _get(client, site.api_key).status_code == 404  # checked once, in some process
    for n in range(5):
        _get(client, _wrong(site), address=f"203.0.113.{n}")
    forget_verified_keys()  # another web process, or this one restarted: it has not checked the key

    assert _get(client, site.api_key, address="203.0.113.80").status_code == 404  # let past, and checked
    assert _get(client, _wrong(site), address="203.0.113.81").status_code == 429  # the guessers still are not
