"""Moderators see, search and decide only their sites' comments: every review/admin route × persona.

The world: sites A and B, a held comment on site A, a comment set aside by scoring on site A,
alice moderating A, bob moderating B, ada the admin, and an anonymous visitor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from review_helpers import csrf_token

from moderation import db
from moderation.models import Comment, SiteMember

PERSONAS = ("anonymous", "moderator_of_a", "moderator_of_b", "admin")


@dataclass
class World:
    site_a: int
    site_b: int
    comment: int
    set_aside: int


@pytest.fixture
def world(make_site, make_moderator, admin, make_comment) -> World:
    site_a, site_b = make_site("site-a"), make_site("site-b")
    make_moderator("alice", sites=[site_a])
    make_moderator("bob", sites=[site_b])
    comment = make_comment(site_a.id, "Only site A may read this, you idiot", explanations={})
    set_aside = make_comment(site_a.id, "unscorable", status="pending", scores=None, flagged=None,
                             scoring_failed_at=datetime.now(timezone.utc), scoring_error="boom")
    return World(site_a.id, site_b.id, comment, set_aside)


@pytest.fixture
def as_persona(app, sign_in, admin):
    def client_for(persona: str):
        if persona == "anonymous":
            return app.test_client()
        name = {"moderator_of_a": "alice", "moderator_of_b": "bob", "admin": "ada"}[persona]
        return sign_in(SimpleNamespace(username=name, password=f"{name}-password"))

    return client_for


def _token(client) -> str:
    # Anonymous visitors have a token too (from the sign-in page), so CSRF is not what refuses them.
    return csrf_token(client.get("/login" if client.get("/review").status_code == 302 else "/review")
                      .get_data(as_text=True))


def _queue_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card item" id="comment-(\d+)"', html)]


def _status(app, comment_id: int) -> str:
    with app.app_context():
        return db.session.get(Comment, comment_id).status


# What each persona gets from each page that shows comments or administers sites.
READS = {
    "/review": ("login", "shows", "hides", "shows"),
    "/review?site={a}": ("login", "shows", "hides", "shows"),
    "/review/{comment}": ("login", "shows", 404, "shows"),
    "/review/{set_aside}": ("login", 200, 404, 200),
    "/admin": ("login", 403, 403, 200),
    "/admin/audit": ("login", 403, 403, 200),
    "/admin/set-aside": ("login", 403, 403, 200),
    "/admin/sites/{a}": ("login", 403, 403, 200),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", list(READS))
def test_every_page_shows_a_sites_comment_only_to_its_moderators_and_admins(world, as_persona, route, persona):
    expected = READS[route][PERSONAS.index(persona)]
    response = as_persona(persona).get(route.format(a=world.site_a, comment=world.comment,
                                                     set_aside=world.set_aside))
    html = response.get_data(as_text=True)
    if expected == "login":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif expected in ("shows", "hides"):
        assert response.status_code == 200
        assert ("Only site A may read this" in html) is (expected == "shows")
        if route.startswith("/review?") or route == "/review":
            assert (world.comment in _queue_ids(html)) is (expected == "shows")
    else:
        assert response.status_code == expected
        if expected == 404:
            assert "Only site A may read this" not in html and "unscorable" not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_moderators_of_the_site_and_admins_can_decide_its_comment(app, world, as_persona, persona):
    client = as_persona(persona)
    response = client.post(f"/review/{world.comment}/decide",
                           data={"csrf_token": _token(client), "version": "1", "action": "approve"})
    expected = {"anonymous": 302, "moderator_of_a": 303, "moderator_of_b": 404, "admin": 303}[persona]
    assert response.status_code == expected
    assert _status(app, world.comment) == ("approved" if expected == 303 else "held")


# Admin forms: each persona posts them; only the admin gets through.
WRITES = {
    "/admin/sites/{a}": {"moderation_mode": "post", "report_threshold": "1", "show_held": "yes"},
    "/admin/sites/{a}/members": {"username": "bob"},
    "/admin/set-aside/{set_aside}/retry": {},
    "/admin/set-aside/{set_aside}/reject": {"reason": "corrupt"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", list(WRITES))
def test_admin_forms_refuse_everyone_but_admins(app, world, as_persona, route, persona):
    client = as_persona(persona)
    response = client.post(route.format(a=world.site_a, set_aside=world.set_aside),
                           data={"csrf_token": _token(client), **WRITES[route]})
    expected = {"anonymous": 302, "moderator_of_a": 403, "moderator_of_b": 403, "admin": 303}[persona]
    assert response.status_code == expected
    with app.app_context():
        members_of_a = {m.user_id for m in db.session.query(SiteMember).filter_by(site_id=world.site_a)}
        set_aside = db.session.get(Comment, world.set_aside)
        changed = len(members_of_a) > 1 or set_aside.scoring_failed_at is None or set_aside.status != "pending"
    assert changed is (persona == "admin" and route != "/admin/sites/{a}")


def test_the_site_filter_lists_only_the_moderators_sites(world, as_persona):
    options = re.compile(r'<option value="(\d+)"')
    assert options.findall(as_persona("moderator_of_a").get("/review").get_data(as_text=True)) == [str(world.site_a)]
    assert options.findall(as_persona("moderator_of_b").get("/review").get_data(as_text=True)) == [str(world.site_b)]
    assert sorted(options.findall(as_persona("admin").get("/review").get_data(as_text=True))) == sorted(
        [str(world.site_a), str(world.site_b)])


def test_a_moderator_of_b_filtering_by_site_a_sees_nothing(world, as_persona):
    html = as_persona("moderator_of_b").get(f"/review?site={world.site_a}").get_data(as_text=True)
    assert _queue_ids(html) == [] and "Only site A may read this" not in html


def test_a_moderator_of_no_site_is_told_to_ask_an_admin(world, sign_in, moderator):
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "You are not a member of any site yet; ask an admin." in html
    assert _queue_ids(html) == [] and "<select" not in html


def test_revoking_a_membership_hides_the_site_at_once(app, world, as_persona):
    from moderation.domain.membership import revoke

    alice = as_persona("moderator_of_a")
    assert alice.get(f"/review/{world.comment}").status_code == 200
    with app.app_context():
        revoke(db.session, "alice", world.site_a, actor="user:ada")
        db.session.commit()
    assert alice.get(f"/review/{world.comment}").status_code == 404
    assert "You are not a member of any site yet" in alice.get("/review").get_data(as_text=True)
