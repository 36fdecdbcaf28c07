"""A site's scoring key: the Perspective endpoint takes it, the comment API refuses it in words that
say why. Replacing it with a grace period: test_scoring_key_grace.py. Issuing it from the shell:
test_accounts_cli.py; from the accounts page: test_accounts_page.py.

An integrator moving Coral found the one key a site had went into Coral's settings, where Coral's
admins and any logged `?key=` see it; that key could also list, decide and erase readers' comments."""
from datetime import timedelta

from sqlalchemy import func, select

from moderation import db
from moderation.domain import sites
from moderation.models import Comment, Site

ANALYZE = "/v1alpha1/comments:analyze"
BODY = {"comment": {"text": "Thanks for the article."}, "requestedAttributes": {"TOXICITY": {}}}
COMMENT = {"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "Thanks for the article."}


def _issue(app, site, **options) -> str:
    with app.app_context():
        key = sites.issue_scoring_key(db.session, db.session.get(Site, site.id), actor="user:ada", **options)
        db.session.commit()
    return key


def _analyze(client, key):
    return client.post(f"{ANALYZE}?key={key}", json=BODY)


def test_the_scoring_key_scores_and_the_comment_api_refuses_it_storing_nothing(app, client, site):
    key = _issue(app, site)

    assert key.startswith("mks_")
    assert _analyze(client, key).status_code == 200
    refused = client.post("/api/v1/comments", headers={"Authorization": f"Bearer {key}"}, json=COMMENT)
    assert refused.status_code == 403
    error = refused.get_json()["error"]
    assert error["code"] == "key_scope" and "/v1alpha1" in error["message"] and "mk_" in error["message"]
    erase = client.delete("/api/v1/authors/a-1", headers={"Authorization": f"Bearer {key}"})
    assert erase.status_code == 403  # once cached, still refused
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
    # The site's API key goes on reaching both.
    assert client.post("/api/v1/comments", headers=site.headers, json=COMMENT).status_code == 202
    assert _analyze(client, site.api_key).status_code == 200


def test_a_new_scoring_key_with_no_grace_ends_the_old_and_revoking_it_leaves_the_api_key(app, client, site):
    first = _issue(app, site)
    assert _analyze(client, first).status_code == 200  # verified and cached in this process
    second = _issue(app, site, grace=timedelta(0))

    assert _analyze(client, first).status_code == 403
    assert _analyze(client, second).status_code == 200
    with app.app_context():
        sites.revoke_scoring_key(db.session, db.session.get(Site, site.id), actor="user:ada")
        db.session.commit()
    assert _analyze(client, second).status_code == 403
    sites.forget_verified_keys()  # another process, which never cached it, refuses it too
    assert _analyze(client, second).status_code == 403
    assert client.get("/api/v1/comments/1", headers=site.headers).status_code == 404


def test_revoking_every_key_ends_the_scoring_key_too(app, client, site):
    key = _issue(app, site)
    assert _analyze(client, key).status_code == 200
    with app.app_context():
        sites.revoke_keys(db.session, db.session.get(Site, site.id), actor="user:ada")
        db.session.commit()
    assert _analyze(client, key).status_code == 403


def test_a_scoring_key_relabelled_as_an_api_key_opens_nothing(app, client, site):
    key = _issue(app, site)
    relabelled = "mk_" + key.removeprefix("mks_")
    assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {relabelled}"}).status_code == 401
    assert _analyze(client, relabelled).status_code == 403


def test_a_scoring_key_issued_by_another_process_is_refused_before_this_one_rereads_the_site(app, client, site):
    """A security review: a web process whose copy of the site's row (up to 2 s old) did not yet hold a
    scoring key just issued elsewhere answered it on the comment API with the site's comments."""
    from sqlalchemy import create_engine, text

    from moderation.domain.passwords import hash_key_secret

    assert client.get("/api/v1/comments", headers=site.headers).status_code == 200  # this process keeps the row
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.begin() as connection:  # "another process" issues it: this one's copy of the row is now stale
        connection.execute(text("UPDATE sites SET scoring_key_id = 'feedfacefeedface', scoring_key_hash = :h "
                                "WHERE id = :id"), {"h": hash_key_secret("s" * 43), "id": site.id})
    engine.dispose()
    key = "mks_feedfacefeedface_" + "s" * 43

    assert client.get("/api/v1/comments", headers={"Authorization": f"Bearer {key}"}).status_code == 403
    got = _analyze(client, key)
    assert got.status_code == 200, got.get_json()
