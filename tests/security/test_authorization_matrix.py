"""Every route the app serves x every persona, against a table of what each persona must get.

The routes come from the app's URL map, so a new route without a row in MATRIX fails
`test_every_route_has_a_row_in_the_matrix` until its author says who may use it.

Personas: nobody, a made-up key, another site's real key, the site's own key, the site's scoring
key (Perspective only), a moderator, an admin, and a site admin of the site and of another site
(signed in through the real form). Key personas present their key the way each endpoint
reads keys (Bearer for /api, X-Goog-Api-Key for Perspective); cookies never authenticate an API.
Routes with ids get real ids of the site's own objects, so "another site's key" must see 404.

The moderator is a member of the site; "other_site_moderator" is a moderator of the other site
only. Pages about one comment or author of the site must answer them 404, as if it did not exist;
`page()` makes a row say so with `other_moderator=`, and otherwise gives them what a moderator gets
(the queue answers 200 but lists only their own site's comments: tests/review/test_site_scoping.py).

HEAD and OPTIONS are left out: Werkzeug answers HEAD with the GET view (the same checks run), and
OPTIONS with only an Allow header, before any view runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, select

from moderation import db
from moderation.models import Comment, ModelVersion, ReviewClaim, User

PERSONAS = ("anonymous", "wrong_key", "other_site_key", "site_key", "scoring_key", "moderator", "other_site_moderator",
            "admin", "site_admin", "other_site_admin")
LOGIN = "302 to /login"


def page(*, moderator: int | str, admin: int | str, other_moderator: int | str | None = None,
         site_admin: int | str | None = None, other_site_admin: int | str | None = None) -> dict[str, int | str]:
    """A cookie page: anyone not signed in goes to /login, whatever key they hold. A site admin gets
    what a moderator of their sites gets unless the row says otherwise (an admin page of their site)."""
    other_moderator = moderator if other_moderator is None else other_moderator
    return {"anonymous": LOGIN, "wrong_key": LOGIN, "other_site_key": LOGIN, "site_key": LOGIN, "scoring_key": LOGIN,
            "moderator": moderator, "admin": admin, "other_site_moderator": other_moderator,
            "site_admin": moderator if site_admin is None else site_admin,
            "other_site_admin": other_moderator if other_site_admin is None else other_site_admin}


def site_admin_page(*, admin: int | str) -> dict[str, int | str]:
    """An admin page about the site the URL names: its site admin gets what an admin gets, another
    site's site admin 404 (as if it did not exist), a moderator 403."""
    return page(moderator=403, admin=admin, site_admin=admin, other_site_admin=404)


def poll(*, moderator: int | str, admin: int | str, other_moderator: int | str | None = None) -> dict[str, int | str]:
    """A page's own poll: as `page`, but anyone not signed in gets a JSON 401 the script can read
    (a redirect made fetch() load /login and use up its "you were signed out" message)."""
    return {**page(moderator=moderator, admin=admin, other_moderator=other_moderator),
            "anonymous": 401, "wrong_key": 401, "other_site_key": 401, "site_key": 401, "scoring_key": 401}


def api(*, site_key: int, other_site_key: int) -> dict[str, int | str]:
    """/api/v1: only a valid Bearer key counts; a session cookie is no key, and a scoring key is 403."""
    return {"anonymous": 401, "wrong_key": 401, "other_site_key": other_site_key, "site_key": site_key, "scoring_key": 403,
            "moderator": 401, "other_site_moderator": 401, "admin": 401, "site_admin": 401, "other_site_admin": 401}


def perspective(*, with_key: int) -> dict[str, int | str]:
    """Perspective answers a missing or wrong key with Google's 403 PERMISSION_DENIED."""
    return {"anonymous": 403, "wrong_key": 403, "other_site_key": with_key, "site_key": with_key, "scoring_key": with_key,
            "moderator": 403, "other_site_moderator": 403, "admin": 403, "site_admin": 403, "other_site_admin": 403}


def public(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


# (endpoint, method) -> what each persona must get: a status code, or LOGIN.
MATRIX: dict[tuple[str, str], dict[str, int | str]] = {
    ("api.post_comment", "POST"): api(site_key=202, other_site_key=202),  # each key posts to its own site
    ("api.post_comments_batch", "POST"): api(site_key=200, other_site_key=200),  # per-item results, own site
    ("api.get_comment", "GET"): api(site_key=200, other_site_key=404),
    ("api.get_comment_by_site_id", "GET"): api(site_key=200, other_site_key=404),
    ("api.post_report", "POST"): api(site_key=201, other_site_key=404),
    ("api.get_author", "GET"): api(site_key=200, other_site_key=404),
    ("api.get_reports", "GET"): api(site_key=200, other_site_key=404),
    ("api.sanction", "POST"): api(site_key=201, other_site_key=201),  # each key sanctions its own site's authors
    ("api.lift", "POST"): api(site_key=200, other_site_key=200),  # lifts what that key put in force
    ("api.patch_comment", "PATCH"): api(site_key=200, other_site_key=404),
    ("api.patch_comment_by_site_id", "PATCH"): api(site_key=200, other_site_key=404),
    ("api.list_comments", "GET"): api(site_key=200, other_site_key=200),  # each key lists its own site's
    ("api.list_changes", "GET"): api(site_key=200, other_site_key=200),  # each key reads its own site's changes
    ("api.get_story", "GET"): api(site_key=200, other_site_key=200),  # another site's story has zeros
    ("api.patch_story", "PATCH"): api(site_key=200, other_site_key=200),  # another site's story of that id is its own
    ("api.post_report_by_site_id", "POST"): api(site_key=201, other_site_key=404),
    ("api.get_reports_by_site_id", "GET"): api(site_key=200, other_site_key=404),
    ("api.delete_comment_route", "DELETE"): api(site_key=200, other_site_key=404),
    ("api.delete_comment_by_site_id", "DELETE"): api(site_key=200, other_site_key=404),
    # Another site's key erases that author on its own site only (none there): harmless, so 200.
    ("api.erase_author_route", "DELETE"): api(site_key=200, other_site_key=200),
    ("api.erase_suggestions_by_token", "DELETE"): api(site_key=200, other_site_key=200),  # each key erases its own site's
    ("api.erase_suggestions_by_text", "DELETE"): api(site_key=200, other_site_key=200),
    ("api.openapi", "GET"): public(200),
    ("health.healthz", "GET"): public(200),
    ("health.readyz", "GET"): public(200),  # 503 only when a check fails or the backlog is past the hard limit
    ("perspective.analyze_comment", "POST"): perspective(with_key=200),
    ("perspective.suggest_score", "POST"): perspective(with_key=200),
    ("perspective.discovery", "GET"): public(200),
    ("perspective_discovery", "GET"): public(200),
    ("static", "GET"): public(200),
    ("review.index", "GET"): public(302),  # to /review, which then asks for sign-in
    # Signed in: on to the queue.
    ("review.login", "GET"): {**public(200), **dict.fromkeys(("moderator", "other_site_moderator", "admin", "site_admin",
                                                                "other_site_admin"), 302)},
    ("review.login", "POST"): public(401),  # no credentials in the form
    ("review.logout", "POST"): public(LOGIN),
    ("review.queue", "GET"): page(moderator=200, admin=200),
    ("review.detail", "GET"): page(moderator=200, admin=200, other_moderator=404),
    ("review.decide_comment", "POST"): page(moderator=303, admin=303, other_moderator=404),
    ("review.undo", "POST"): page(moderator=303, admin=303, other_moderator=404),  # done, or refused in a flash
    # Admins and the site's site admins only, whoever decided.
    ("review.reverse", "POST"): page(moderator=403, admin=303, site_admin=303, other_site_admin=404),
    # The world's comment is held, not rejected by the policy: refused in a flash, or 404 on another site.
    ("review.send_to_review", "POST"): page(moderator=303, admin=303, other_moderator=404),
    # The world's comment is held, not approved with reports: refused in a flash, or 404 on another site.
    ("review.dismiss_reports", "POST"): page(moderator=303, admin=303, other_moderator=404),
    ("review.add_team_note", "POST"): page(moderator=303, admin=303, other_moderator=404),
    ("review.author_page", "GET"): page(moderator=200, admin=200, other_moderator=404),
    ("review.author_page_by_query", "GET"): page(moderator=404, admin=404),  # no ?id=: no author
    ("review.author_file_page", "GET"): page(moderator=200, admin=200, other_moderator=404),  # no ?id=: an empty file
    ("review.precedent", "GET"): page(moderator=200, admin=200, other_moderator=404),  # a card's precedent fragment
    ("review.sanction", "POST"): page(moderator=303, admin=303, other_moderator=404),
    ("review.lift", "POST"): page(moderator=303, admin=303, other_moderator=404),
    # The other site's moderator gets the result page with the comment skipped as "not found", never decided.
    ("review.bulk_decide_view", "POST"): page(moderator=303, admin=303),  # on to the result's own page
    # A bulk result is its maker's alone: another's (and this made-up one) is not found.
    ("review.bulk_result", "GET"): page(moderator=404, admin=404),
    ("review.bulk_matching", "GET"): page(moderator=200, admin=200),  # lists only the viewer's sites' comments
    # The result page: each comment undone only by whoever decided it, another site's one "not found".
    ("review.bulk_undo_view", "POST"): page(moderator=303, admin=303),
    ("review.bulk_result_gone", "GET"): page(moderator=303, admin=303),  # a reloaded result page: on to the queue
    # Claims answer JSON; each persona claims a comment nobody holds (see _request).
    ("review.claim_comment", "POST"): page(moderator=200, admin=200, other_moderator=404),
    ("review.release_comment", "POST"): page(moderator=200, admin=200, other_moderator=404),
    # The other site's moderator gets 200 without the card they may not see (tests/review/test_claims_routes.py).
    ("review.updates", "GET"): poll(moderator=200, admin=200),
    ("review.session_state", "GET"): poll(moderator=200, admin=200),  # seconds left before idle sign-out
    ("review.card_state", "GET"): poll(moderator=200, admin=200, other_moderator=404),  # a comment page's poll
    ("review.account", "GET"): page(moderator=200, admin=200),  # each user's own
    ("review.change_password", "POST"): page(moderator=400, admin=400),  # their own; no current password given
    ("review.password_form_address", "GET"): page(moderator=303, admin=303),  # back to /account
    ("admin.index", "GET"): page(moderator=403, admin=200, site_admin=200, other_site_admin=200),  # a site admin's own sites
    ("admin.edit_site", "GET"): site_admin_page(admin=200),
    ("admin.save_site", "POST"): site_admin_page(admin=303),
    ("admin.audit_log", "GET"): page(moderator=403, admin=200, site_admin=200, other_site_admin=200),  # their sites' entries
    ("admin.audit_csv", "GET"): page(moderator=403, admin=200, site_admin=200, other_site_admin=200),
    # A sign-in's standing decisions on the sites they administer; none here, said in a flash.
    ("admin.reverse_sign_in_view", "POST"): page(moderator=403, admin=303, site_admin=303, other_site_admin=303),
    ("admin.accounts", "GET"): page(moderator=403, admin=200),
    # Account and key actions act on a spare user and a spare site, so they end no persona's access.
    ("admin.disable_account", "POST"): page(moderator=403, admin=303),
    ("admin.enable_account", "POST"): page(moderator=403, admin=303),
    ("admin.reset_password", "POST"): page(moderator=403, admin=303),
    ("admin.change_role", "POST"): page(moderator=403, admin=303),  # the spare user's, to the role it has not
    ("admin.create_account", "POST"): page(moderator=403, admin=303),  # a new moderator of no site
    ("admin.create_site_view", "POST"): page(moderator=403, admin=200),  # the page showing the new key once
    ("admin.accounts_form_address", "GET"): page(moderator=403, admin=303),  # back to the form
    ("admin.rotate_site_key", "POST"): page(moderator=403, admin=200),  # the page showing the new key once
    ("admin.revoke_site_key", "POST"): page(moderator=403, admin=303),
    ("admin.issue_site_scoring_key", "POST"): page(moderator=403, admin=200),  # the page showing the new key once
    ("admin.set_aside", "GET"): page(moderator=403, admin=200),
    ("admin.add_member", "POST"): site_admin_page(admin=303),  # on the spare site
    ("admin.remove_member", "POST"): site_admin_page(admin=303),
    ("admin.dead_letters", "GET"): page(moderator=403, admin=200),
    ("admin.replay_dead_letters_view", "POST"): page(moderator=403, admin=303),
    ("admin.legal_holds", "GET"): page(moderator=403, admin=200),
    ("admin.place_legal_hold", "POST"): page(moderator=403, admin=303),
    ("admin.lift_legal_hold", "POST"): page(moderator=403, admin=404),
    ("admin.rotate_secret", "POST"): site_admin_page(admin=200),  # shows the new secret once
    ("admin.end_previous_secret", "POST"): site_admin_page(admin=303),  # none to end here: said in a flash
    ("admin.send_webhook_test", "POST"): site_admin_page(admin=200),  # shows how the receiver answered
    ("admin.retry_set_aside", "POST"): page(moderator=403, admin=404),  # the comment is not set aside
    ("admin.reject_set_aside_comment", "POST"): page(moderator=403, admin=303),  # back with "not set aside"
    ("admin.models", "GET"): page(moderator=403, admin=200),
    ("admin.model_version_card", "GET"): page(moderator=403, admin=200),
    ("admin.compare_models", "GET"): page(moderator=403, admin=302),  # one version registered: nothing to compare
    # With no version named in the form (promote, shadow: clears it) or nothing to roll back, the
    # admin is sent back with a message; no persona's access depends on the registry.
    ("admin.promote_model", "POST"): page(moderator=403, admin=303),
    ("admin.rollback_model", "POST"): page(moderator=403, admin=303),
    ("admin.follow_global_model", "POST"): page(moderator=403, admin=400),  # no site named
    ("admin.shadow_model", "POST"): page(moderator=403, admin=303),
    ("admin.discard_model", "POST"): page(moderator=403, admin=303),
    ("admin.backtest_form", "GET"): page(moderator=403, admin=200),
    ("admin.start_backtest", "POST"): page(moderator=403, admin=303),  # on to the job's page
    ("admin.backtest_job", "GET"): page(moderator=403, admin=404),  # no such job (a made-up id)
    ("admin.site_thresholds", "GET"): site_admin_page(admin=200),
    ("admin.save_site_threshold", "POST"): site_admin_page(admin=303),
    ("admin.release_held_comments", "POST"): site_admin_page(admin=303),  # "none of the held comments"
    # Admins only: which version scores, and publishing on its scores, is an admin's.
    ("admin.rescore_held_comments", "POST"): page(moderator=403, admin=303),  # queued; nothing consumes it here
    ("admin.publish_rescored_comments", "POST"): page(moderator=403, admin=303),  # "no finished run"
    ("admin.rescore_held_status", "GET"): poll(moderator=403, admin=200),  # {"run": null} before any run
    ("admin.shadow", "GET"): page(moderator=403, admin=200),
    ("admin.version_effect", "GET"): page(moderator=403, admin=200),
    ("admin.version_effect_plot", "GET"): page(moderator=403, admin=200),  # a PNG, "no comments scored"
    ("admin.shadow_plot", "GET"): page(moderator=403, admin=200),  # a PNG, "no shadow scores yet"
    ("admin.drift", "GET"): page(moderator=403, admin=200),
    ("admin.drift_plot", "GET"): page(moderator=403, admin=200),  # a PNG, "no drift report yet"
    ("admin.training", "GET"): page(moderator=403, admin=200),
    ("admin.training_status", "GET"): poll(moderator=403, admin=200),  # {"run": null} before any run
    ("admin.start_training", "POST"): page(moderator=403, admin=303),  # queued; nothing consumes "training" here
    ("admin.cancel_training", "POST"): page(moderator=403, admin=404),  # run #1 does not exist yet
    ("admin.operations", "GET"): page(moderator=403, admin=200),
    ("admin.decisions", "GET"): page(moderator=403, admin=200, site_admin=200, other_site_admin=200),  # their sites' decisions
    ("admin.decisions_csv", "GET"): page(moderator=403, admin=200, site_admin=200, other_site_admin=200),
    ("metrics.scrape", "GET"): page(moderator=403, admin=200),  # Prometheus text; or METRICS_PORT instead
    ("admin.site_rules", "GET"): site_admin_page(admin=200),
    ("admin.save_site_rules", "POST"): site_admin_page(admin=303),  # an empty rule set: "did not change"
    ("admin.save_story", "POST"): site_admin_page(admin=303),
    ("admin.hold_published", "POST"): site_admin_page(admin=303),
}

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def served_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route; sign-out last, as it ends the personas' sessions."""
    routes = [(rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
              for method in sorted(rule.methods - SKIPPED_METHODS)]
    return sorted(routes, key=lambda route: (route[0] == "review.logout", route))


def test_every_route_has_a_row_in_the_matrix(app):
    missing = sorted({(endpoint, method) for endpoint, method, _ in served_routes(app)} - set(MATRIX))
    assert not missing, (
        f"routes without a row in MATRIX: {missing}. Add one to tests/security/test_authorization_matrix.py "
        "saying what each persona (anonymous, wrong key, other site's key, own key, moderator, admin) must get."
    )
    for expected in MATRIX.values():
        assert set(expected) == set(PERSONAS)


@dataclass
class World:
    """Real objects of the site the key personas and the ids in the URLs belong to."""

    comment_id: int
    external_id: str
    site_id: int
    spare_site_id: int
    spare_user_id: int
    model_version_id: int
    spare_comment_id: int  # the DELETE routes remove this one (by author "a-spare"), not comment_id


@pytest.fixture
def world(app, client, site, make_site) -> World:
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "An ordinary comment."})
    assert response.status_code == 202
    comment_id = response.get_json()["id"]
    spare = client.post("/api/v1/comments", headers=site.headers,
                        json={"id": "c-spare", "story_id": "s-1", "author_id": "a-spare", "text": "Another comment."})
    assert spare.status_code == 202
    with app.app_context():
        # Held, as the scorer would leave a flagged comment, so a moderator's decision applies.
        db.session.get(Comment, comment_id).status = "held"
        db.session.commit()
    from moderation.domain.users import create_user

    spare_site = make_site("spare-site")
    with app.app_context():
        spare_user = create_user(db.session, "spare-user", "spare user pass 4 matrix", "moderator")
        db.session.commit()
        spare_user_id = spare_user.id
    with app.app_context():
        app.extensions["models"].refresh(force=True)  # an empty registry gets the shipped model
        model_version_id = db.session.scalar(select(ModelVersion.id))
    return World(comment_id=comment_id, external_id="c-1", site_id=site.id, spare_site_id=spare_site.id,
                 spare_user_id=spare_user_id, model_version_id=model_version_id,
                 spare_comment_id=spare.get_json()["id"])


def _signed_in(app, user):
    client = app.test_client()
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": user.username, "password": user.password, "csrf_token": token})
    assert response.status_code == 302
    return client


def _key_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "X-Goog-Api-Key": key}


def _scoring_key(app, site) -> str:
    from moderation.domain.sites import issue_scoring_key
    from moderation.models import Site

    with app.app_context():
        key = issue_scoring_key(db.session, db.session.get(Site, site.id), actor="test")
        db.session.commit()
    return key


def _wrong_secret(api_key: str) -> str:
    """The site's real key id with a made-up secret: the case that costs the server an argon2 run."""
    prefix, key_id, _ = api_key.split("_", 2)
    return f"{prefix}_{key_id}_{'x' * 43}"


def _path(rule: str, world: World) -> str:
    spare = (rule.startswith("/admin/accounts/") or rule.endswith(("/webhook-secret", "/webhook-secret/end-previous"))
             or "/members" in rule)
    site_id = world.spare_site_id if spare else world.site_id
    values = {"comment_id": world.comment_id, "site_comment_id": world.external_id, "site_id": site_id,
              "user_id": world.spare_user_id, "author_id": "a-1", "version_id": world.model_version_id,
              "filename": "moderation.css", "job_id": "no-such-job", "run_id": 1, "story_id": "s-1",
              "client_token": "comment:1", "text_sha256": "0" * 64, "entry_id": 10**12,
              "tag": "0badc0de0bad", "hold_id": 10**12}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule)


def _csrf_token(client, headers) -> str:
    page = client.get("/login", headers=headers)
    if page.status_code == 302:  # signed in already
        page = client.get("/review", headers=headers)
    return CSRF_FIELD.search(page.get_data(as_text=True)).group(1)


def _request(app, client, headers, endpoint: str, method: str, path: str, persona: str, world: World):
    """The request a legitimate user of the route would send, so only who sends it decides the answer."""
    bodies = {
        "api.post_comment": {"id": f"new-{persona}", "story_id": "s-1", "author_id": "a-2", "text": "Hello."},
        "api.post_comments_batch": {"comments": [{"id": f"batch-{persona}", "story_id": "s-1", "author_id": "a-2",
                                                  "text": "Hello."}]},
        "api.post_report": {"reason": "spam", "reporter_id": f"reader-{persona}"},
        "api.post_report_by_site_id": {"reason": "spam", "reporter_id": f"reader-{persona}-by-site-id"},
        "api.patch_comment": {"text": "An ordinary comment."},  # the same text: an edit that changes nothing
        "api.patch_comment_by_site_id": {"text": "An ordinary comment."},
        "api.patch_story": {"premoderated": False},  # as it was: the other routes' story stays open
        "api.sanction": {"author_id": f"banned-{persona}", "kind": "ban", "reason": "spam"},
        "api.lift": {"author_id": f"lifted-{persona}"},
        "perspective.analyze_comment": {"comment": {"text": "Hello."}, "requestedAttributes": {"TOXICITY": {}}},
        "perspective.suggest_score": {"comment": {"text": "Hello."},
                                      "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}}},
    }
    if endpoint == "api.lift":  # something to lift, put in force by the same caller
        client.post("/api/v1/sanctions", headers=headers,
                    json={"author_id": f"lifted-{persona}", "kind": "ban", "reason": "spam"})
    if endpoint in bodies:
        return client.open(path, method=method, headers=headers, json=bodies[endpoint])
    if endpoint == "review.updates":
        return client.get(path, headers=headers, query_string={"ids": str(world.comment_id),
                                                                "loaded_at": "2026-01-01T00:00:00+00:00"})
    if method == "GET":
        return client.get(path, headers=headers)
    if method == "DELETE":  # on a comment and an author of their own, so the other routes' stay as they were
        path = path.replace(f"/comments/{world.comment_id}", f"/comments/{world.spare_comment_id}")
        path = path.replace(f"/comments/by-site-id/{world.external_id}", "/comments/by-site-id/c-spare")
        return client.delete(path.replace("/authors/a-1", "/authors/a-spare"), headers=headers)
    if endpoint in ("review.claim_comment", "review.release_comment", "review.decide_comment"):
        with app.app_context():  # whoever claimed before (an earlier persona, the detail page) lets go
            db.session.execute(delete(ReviewClaim))
            db.session.commit()
    form = {"csrf_token": _csrf_token(client, headers)}
    if endpoint == "review.decide_comment":
        with app.app_context():
            form |= {"version": str(db.session.get(Comment, world.comment_id).version), "action": "approve"}
    if endpoint in ("review.undo", "review.reverse", "review.send_to_review", "review.dismiss_reports"):
        with app.app_context():
            form |= {"version": str(db.session.get(Comment, world.comment_id).version), "reason": "a misclick"}
    if endpoint in ("review.bulk_decide_view", "review.bulk_undo_view"):
        with app.app_context():
            version = db.session.get(Comment, world.comment_id).version
        form |= {"ids": str(world.comment_id), f"version-{world.comment_id}": str(version), "action": "approve"}
    if endpoint == "review.add_team_note":
        form |= {"note": "left held: the desk is calling the reader"}
    if endpoint in ("review.sanction", "review.lift"):
        form |= {"author_id": "a-1", "kind": "premoderate", "reason": "a moderator's reason"}
    if endpoint == "admin.add_member":
        form |= {"username": "spare-user"}
    if endpoint == "admin.remove_member":  # each persona removes a membership there is
        from moderation.models import SiteMember

        with app.app_context():
            db.session.merge(SiteMember(user_id=world.spare_user_id, site_id=world.spare_site_id))
            db.session.commit()
    if endpoint == "admin.reset_password":
        form |= {"password": "a long and uncommon passphrase"}
    if endpoint == "admin.change_role":
        with app.app_context():
            role = db.session.get(User, world.spare_user_id).role
        form |= {"role": "admin" if role == "moderator" else "moderator"}
    if endpoint == "admin.create_site_view":
        form |= {"name": f"new-site-{persona}", "moderation_mode": "pre"}
    if endpoint == "admin.create_account":
        form |= {"username": f"new-{persona}", "role": "moderator", "password": "a long and uncommon passphrase"}
    if endpoint == "admin.reject_set_aside_comment":
        form |= {"reason": "Spam or advertising"}
    if endpoint == "admin.replay_dead_letters_view":
        form |= {"action": "all"}
    if endpoint == "admin.place_legal_hold":
        # A story with no comments: a hold on s-1 would refuse the author erasure's own row.
        form |= {"site_id": str(world.site_id), "scope": "story", "target": "s-held", "reason": "a solicitor's letter"}
    if endpoint == "admin.lift_legal_hold":
        form |= {"reason": "the claim was settled"}
    if endpoint == "admin.rotate_secret":
        # None: with a grace, the next persona's rotation is refused while the previous secret signs.
        form |= {"grace": "0"}
    if endpoint == "admin.start_backtest":
        from classifiers import DEFAULT_MODEL_PATH
        from moderation.domain.model_registry import ensure_bootstrapped

        with app.app_context():
            shipped = ensure_bootstrapped(db.session, var_dir=app.config["VAR_DIR"], model_path=DEFAULT_MODEL_PATH)
            db.session.commit()
            form |= {"site_id": str(world.site_id), "candidate": shipped.version, "limit": "10"}
    if endpoint == "admin.save_site_threshold":
        form |= {"attribute": "toxicity", "threshold": "0.8", "target": "precision", "value": "0.9"}
    if endpoint == "admin.save_story":
        form |= {"story_id": "s-9", "premoderated": "on"}
    if endpoint == "admin.save_site":
        form |= {"moderation_mode": "pre", "report_threshold": "2"}
    return client.post(path, headers=headers, data=form)


def _outcome(response) -> int | str:
    if response.status_code == 302 and response.headers.get("Location", "").startswith("/login"):
        return LOGIN
    return response.status_code


def test_every_persona_gets_what_the_matrix_says_on_every_route(app, site, outsider, moderator, admin, world, grant,
                                                               make_moderator, make_site_admin, monkeypatch):
    grant(moderator, site)
    # The wrong key fails once per route, and there are more routes than a window allows failures
    # (the lockout's 429 has tests of its own: tests/test_api_key_limits.py).
    for kind in ("key", "addr"):
        monkeypatch.setitem(app.extensions["key_limiter"].limits, kind, 10_000)
    clients = {
        "anonymous": (app.test_client(), {}),
        "wrong_key": (app.test_client(), _key_headers(_wrong_secret(site.api_key))),
        "other_site_key": (app.test_client(), _key_headers(outsider.api_key)),
        "site_key": (app.test_client(), _key_headers(site.api_key)),
        "scoring_key": (app.test_client(), _key_headers(_scoring_key(app, site))),
        "moderator": (_signed_in(app, moderator), {}),
        "other_site_moderator": (_signed_in(app, make_moderator("otto", sites=[outsider])), {}),
        "admin": (_signed_in(app, admin), {}),
        # Of the spare site too, where the member and webhook-secret routes act.
        "site_admin": (_signed_in(app, make_site_admin("sadie", sites=[site, world.spare_site_id])), {}),
        "other_site_admin": (_signed_in(app, make_site_admin("osian", sites=[outsider])), {}),
    }
    wrong = []
    checked = 0
    for endpoint, method, rule in served_routes(app):
        expected = MATRIX.get((endpoint, method))
        if expected is None:
            continue  # reported by test_every_route_has_a_row_in_the_matrix
        path = _path(rule, world)
        for persona in PERSONAS:
            client, headers = clients[persona]
            got = _outcome(_request(app, client, headers, endpoint, method, path, persona, world))
            checked += 1
            if got != expected[persona]:
                wrong.append(f"{method} {path} ({endpoint}) as {persona}: expected {expected[persona]}, got {got}")
    assert checked >= len(MATRIX) * len(PERSONAS)
    assert not wrong, "\n".join(wrong)

