"""A moderator bans an author and resolves a reader's report, in a real browser."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation import db
from moderation.domain.scoring import score_pending
from moderation.models import AuthorSanction, Comment, WebhookDelivery
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

CIVIL = "I think the bridge is a good idea, and the council explained it well."


class CalmModel:
    """Scores everything civil, so only the author's ban can reject the comment."""

    version = "calm-1"
    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def score(self, texts):
        return [{"toxicity": 0.01} for _ in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}


def post(client, site, external_id: str, author_id: str, text: str = CIVIL) -> int:
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": external_id, "story_id": "bridge", "author_id": author_id,
                                 "author_name": "Angry Reader", "text": text})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def score(app, comment_id: int) -> str:
    with app.app_context():
        score_pending(db.session, CalmModel, [comment_id], batch_size=10)
        return db.session.get(Comment, comment_id).status


def _screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))


def test_a_ban_on_the_author_page_rejects_the_authors_next_comment(app, client, make_site, moderator, grant, live_server,
                                                                   browser_page, tmp_path: Path):
    site = make_site("daily-planet", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, site)
    first = post(client, site, "c-1", "angry-1", "You are all idiots for wanting this bridge.")
    for reader in ("reader-7", "reader-8"):  # two readers: one untried reader alone never hides a comment
        client.post(f"/api/v1/comments/{first}/reports", headers=site.headers,
                    json={"reason": "harassment", "reporter_id": reader, "note": "insults everyone"})
    assert score(app, first) == "held"  # the reports' weight holds it
    page = browser_page
    sign_in(page, live_server, moderator)

    card = page.locator(f"#comment-{first}")
    assert "harassment 2: no earlier reports decided" in card.inner_text()
    card.locator(".author-line a").click()
    page.wait_for_url(f"{live_server}/review/authors/{site.id}/angry-1")
    assert "1 (1 held)" in page.locator(".author-summary").inner_text()
    # Enter in the reason with no sanction chosen applies nothing: it had applied the list's first,
    # "always pre-moderate", never chosen (a night shift's walk).
    page.fill(".sanction-form input[name=reason]", "insults other readers")
    page.press(".sanction-form input[name=reason]", "Enter")
    page.wait_for_timeout(400)
    assert page.locator(".flash-success").count() == 0
    with app.app_context():
        assert db.session.query(AuthorSanction).count() == 0
    page.select_option("select[name=kind]", "ban")
    page.locator(".sanction-form").get_by_role("button", name="Apply").click()
    page.wait_for_selector(".flash-success")
    assert "angry-1: banned." in page.locator(".flash-success").inner_text()
    page.screenshot(path=str(_screenshots(tmp_path) / "author-page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing may need sideways scrolling
    page.screenshot(path=str(_screenshots(tmp_path) / "author-page-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    following = post(client, site, "c-2", "angry-1")
    assert score(app, following) == "rejected"
    assert "author_banned" in client.get(f"/api/v1/comments/{following}", headers=site.headers).get_json()["flagged"]
    assert score(app, post(client, site, "c-3", "calm-reader")) == "published"
    author = client.get("/api/v1/authors/angry-1", headers=site.headers).get_json()
    assert author["sanction"]["kind"] == "ban" and author["comments"]["by_status"]["rejected"] == 1
    with app.app_context():
        types = [d.event["type"] for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))]
    assert "author.sanctioned" in types


def test_rejecting_a_reported_comment_tells_the_reporter_by_webhook(app, client, make_site, moderator, grant, live_server,
                                                                     browser_page, tmp_path: Path):
    site = make_site("daily-planet", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, site)
    comment_id = post(client, site, "c-1", "angry-1", "You are all idiots for wanting this bridge.")
    report = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                         json={"reason": "harassment", "reporter_id": "reader-7"}).get_json()["report"]
    score(app, comment_id)
    page = browser_page
    sign_in(page, live_server, moderator)
    card = page.locator(f"#comment-{comment_id}")
    page.screenshot(path=str(_screenshots(tmp_path) / "review-card-author-line.png"), full_page=True)
    card.locator("select[name=reason_choice]").select_option("Harassment")
    card.locator("button[value=reject]").click()
    page.wait_for_selector(".flash-success")

    with app.app_context():
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
                  if d.event["type"] == "report.resolved"]
    assert [(e["report_id"], e["reporter_id"], e["comment_id"], e["outcome"]) for e in events] == [
        (report["id"], "reader-7", comment_id, "upheld")]
    reports = client.get(f"/api/v1/comments/{comment_id}/reports", headers=site.headers).get_json()["reports"]
    assert reports[0]["outcome"] == "upheld"


def test_replacing_a_ban_with_a_weaker_sanction_or_lifting_it_asks_first(app, client, make_site, moderator, grant,
                                                                          live_server, browser_page):
    """A night shift's walk: "Apply" to add a reason to a raider's ban made it "always pre-moderate",
    the list's first, and one tap on "Lift sanction" let a raider back in, neither asked."""
    from moderation.domain.sanctions import current_sanction, sanction_author
    from moderation.models import Site, User

    site = make_site("daily-planet")
    grant(moderator, site)
    post(client, site, "c-1", "raider-5")
    with app.app_context():
        sanction_author(db.session, db.session.get(Site, site.id), "raider-5", "ban", "raid",
                        db.session.get(User, moderator.id))
        db.session.commit()
    page = browser_page
    sign_in(page, live_server, moderator)
    page.goto(f"{live_server}/review/authors/{site.id}/raider-5")
    form = page.locator("form.sanction-form")
    assert form.locator("select[name=kind]").input_value() == "ban"  # the sanction in force, not the list's first
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    form.locator("select[name=kind]").select_option("premoderate")
    form.locator("input[name=reason]").fill("raid on the district 7 story")
    form.get_by_role("button", name="Apply").click()
    page.locator("form.lift-form").get_by_role("button", name="Lift sanction").click()

    assert asked == ["A ban is in force. Apply always pre-moderate, in its place, weaker: the author can post again?",
                     "Lift the ban on raider-5? Their next comments are scored as anyone's."]
    with app.app_context():
        assert current_sanction(db.session, site.id, "raider-5").kind == "ban"


def test_the_authors_file_opens_in_days_of_the_moderators_zone(app, client, make_site, moderator, grant, live_server,
                                                              chromium):
    """A re-check: the author's file opened from the author's page read UTC days until its own form was
    used, beside times shown in the moderator's zone."""
    site = make_site("daily-planet")
    grant(moderator, site)
    post(client, site, "c-1", "reader-9")
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, timezone_id="Australia/Sydney")
    try:
        page = context.new_page()
        sign_in(page, live_server, moderator)
        page.goto(f"{live_server}/review/authors/{site.id}/reader-9")
        page.get_by_role("link", name="Their file", exact=False).click()
        page.wait_for_load_state()
        assert "tz=Australia%2FSydney" in page.url
        assert "(Australia/Sydney days;" in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_banned_authors_published_comments_are_taken_down_from_their_page(app, client, make_site, moderator, grant,
                                                                          live_server, browser_page):
    """An election night's lead banned an author whose published threat stayed up: the page listed only
    their held comments. Its own bar: ticking all the published ones arms neither the held ones' bar
    nor their Approve."""
    site = make_site("daily-planet")
    grant(moderator, site)
    shown = [post(client, site, f"c-{n}", "troll-1", text) for n, text in enumerate(
        ("The returning officer should be strung up from a lamppost.", "The count is rigged."))]
    held = post(client, site, "c-9", "troll-1")
    for comment_id in (*shown, held):
        score(app, comment_id)
    with app.app_context():
        db.session.get(Comment, held).status = "held"
        db.session.commit()
    page = browser_page
    sign_in(page, live_server, moderator)
    page.goto(f"{live_server}/review/authors/{site.id}/troll-1")
    published, held_bar = page.locator("#published"), page.locator("#held form.bulk-bar")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))

    published.get_by_label("All of this author’s published comments").check()
    assert published.locator("[data-bulk-count]").inner_text() == "2 selected"
    assert held_bar.locator("[data-bulk-count]").inner_text() == "0 selected"
    assert held_bar.get_by_role("button", name="Reject selected").is_disabled()
    published.get_by_label("Reason").select_option("Threat or incitement to violence")
    with page.expect_navigation():
        published.get_by_role("button", name="Reject selected").click()

    assert asked == ["Take every selected comment down from the site? Each is hidden from readers at once, the site "
                     "is told, and the reports on them are upheld."]
    assert page.get_by_role("button", name="Undo all 2").is_visible()
    with app.app_context():
        assert [db.session.get(Comment, c).status for c in (*shown, held)] == ["rejected", "rejected", "held"]
