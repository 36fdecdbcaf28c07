"""The site page's third moderation mode, "Hold every comment for review": set, audited, and what it
does to comments already there. A children's news site's editor found only "Pre-moderation" and
"Post-moderation" there, and "pre" published 67 of 91 comments on a story nobody had configured."""
from __future__ import annotations

import re

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, Comment, Site, WebhookDelivery

SITE_HOLD = {"rule": "site_premoderated", "action": "hold", "reason": "site holds every comment for review"}


def _save_mode(client, site_id: int, mode: str, **extra: str):
    page = client.get(f"/admin/sites/{site_id}").get_data(as_text=True)
    return client.post(f"/admin/sites/{site_id}", data={"csrf_token": csrf_token(page), "moderation_mode": mode,
                                                       "report_threshold": "2",
                                                       "webhook_url": "http://127.0.0.1:9/hooks", **extra})


def test_an_admin_sets_hold_every_comment_on_the_site_page_and_it_is_audited(app, sign_in, admin, make_site,
                                                                             make_comment):
    kids = make_site("kids-news", webhook_url="http://127.0.0.1:9/hooks")
    held, pending = make_comment(kids.id), make_comment(kids.id, status="pending")
    published = make_comment(kids.id, status="published", flagged=[])
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{kids.id}").get_data(as_text=True)
    assert re.search(r'value="hold_all"\s*>\s*Hold every comment for review: nothing is published until a moderator '
                     r'approves it', page)
    assert "Pre-moderation: comments the model and rules pass are published at once" in page

    response = _save_mode(client, kids.id, "hold_all")

    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved kids-news: moderation mode." in shown
    assert "nothing more is published until a moderator approves it. Comments published already stay published" in shown
    assert "every comment held" in shown  # the sites list says the mode in words
    with app.app_context():
        assert db.session.get(Site, kids.id).moderation_mode == "hold_all"
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:settings_changed")).one()
        assert (entry.actor, entry.details["setting"], entry.details["old"], entry.details["new"]) == (
            "user:ada", "moderation_mode", "pre", "hold_all")
        # Pre-moderation hid the pending and held ones already: nothing to tell the site, nothing unpublished.
        assert db.session.scalars(select(WebhookDelivery)).all() == []
        assert {c.id: (c.status, c.version) for c in db.session.scalars(select(Comment))} == {
            held: ("held", 1), pending: ("pending", 1), published: ("published", 1)}
    assert re.search(r'value="hold_all"\s*checked', client.get(f"/admin/sites/{kids.id}").get_data(as_text=True))


def test_an_unknown_mode_is_refused_naming_the_three(app, sign_in, admin, site):
    response = _save_mode(sign_in(admin), site.id, "everything")
    assert response.status_code == 400
    assert "Moderation mode must be &#39;pre&#39;, &#39;post&#39; or &#39;hold_all&#39;" in response.get_data(as_text=True)


def test_from_hold_all_to_post_moderation_the_comments_it_held_stay_hidden_until_approved(
        app, client, sign_in, admin, make_site, make_comment):
    """As a pre-moderated story's do (an adversarial walk: switching to post-moderation had shown them)."""
    kids = make_site("kids-news", webhook_url="http://127.0.0.1:9/hooks", moderation_mode="hold_all")
    by_site = make_comment(kids.id, "Nice story.", flagged=[], rule_hits=[SITE_HOLD])
    by_model = make_comment(kids.id)

    asked = _save_mode(sign_in(admin), kids.id, "post")

    # Only the model's hold is counted as what post-moderation would show.
    assert asked.status_code == 400
    assert "Post-moderation shows the 1 comment held now to every reader at once" in asked.get_data(as_text=True)
    assert _save_mode(sign_in(admin), kids.id, "post", show_held="yes").status_code == 303
    answers = {c: client.get(f"/api/v1/comments/{c}", headers=kids.headers).get_json() for c in (by_site, by_model)}
    assert (answers[by_site]["visible"], answers[by_model]["visible"]) == (False, True)


def test_the_card_says_the_site_holds_every_comment(app, sign_in, moderator, grant, make_site, make_comment):
    kids = make_site("kids-news", moderation_mode="hold_all")
    grant(moderator, kids)
    make_comment(kids.id, "A fair point.", flagged=[], explanations=None, rule_hits=[SITE_HOLD])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "<strong>hold</strong>: this site holds every comment for review" in html
    assert "by rule <code>site_premoderated</code>" not in html


def test_a_site_is_created_holding_every_comment_from_the_accounts_page(app, sign_in, admin):
    client = sign_in(admin)
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert '<option value="hold_all">every comment held, hidden until approved</option>' in page
    made = client.post("/admin/accounts/sites", data={"csrf_token": csrf_token(page), "name": "kids-news",
                                                      "moderation_mode": "hold_all"})
    assert made.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Site.moderation_mode).where(Site.name == "kids-news")) == "hold_all"
