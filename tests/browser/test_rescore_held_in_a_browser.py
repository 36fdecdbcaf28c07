"""An admin watches held comments scored again on the thresholds page in Chromium: the count and the
bar move in place while the run scores (static/rescore_held.js, allowed by the page's CSP), the page
draws itself again once when the run ends, offering what it would publish, and then stops asking."""
from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from moderation import db
from moderation.domain.held_rescore import score_held_again, start_run
from moderation.model_provider import FixedModels
from moderation.models import Comment, HeldRescoreRun, Site
from workspace_pages import sign_in

pytestmark = pytest.mark.browser

OLD, NEW = "test-model-1", "test-model-2"


class Promoted:
    """The version in force: a comment's toxicity is the number its text ends with, in hundredths."""

    version, attributes, card = NEW, ("toxicity", "insult"), {}
    thresholds = {"toxicity": 0.5, "insult": 0.5}

    def score(self, texts):
        return [{"toxicity": int(t.rsplit(" ", 1)[-1]) / 100, "insult": 0.1} for t in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}


def _held(app, site_id: int, text: str) -> None:
    """Held by the old version's toxicity alone."""
    with app.app_context():
        db.session.add(Comment(site_id=site_id, external_id=text[-12:], story_id="bridge", author_id="u1", text=text,
                               body_hash=hashlib.sha256(text.encode()).hexdigest(), status="held",
                               scores={"toxicity": 0.81, "insult": 0.2}, flagged=["toxicity"], model_version=OLD,
                               priority=1.2, scored_priority=1.2))
        db.session.commit()


def test_the_page_follows_a_run_and_stops_when_it_ends(app, admin, make_site, live_server, browser_page, tmp_path):
    app.extensions["models"] = FixedModels(Promoted())
    site = make_site("promoted-gazette")
    for n, toxicity in enumerate((20, 30, 90)):
        _held(app, site.id, f"A silly take on the new bridge, number {n}, {toxicity}")
    with app.app_context():  # a worker part way through: one scored of three
        run_id = start_run(db.session, db.session.get(Site, site.id), by="user:ada").id
        db.session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id).values(
            version=NEW, started_at=datetime.now(timezone.utc), scored=1))
        db.session.commit()
    shots = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    asked: list[float] = []
    page.on("request", lambda request: asked.append(time.monotonic()) if "rescore-held/status" in request.url else None)
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/sites/{site.id}/thresholds#rescore-held")
    section = page.locator("#rescore-held")
    expect(section).to_contain_text("1 scored so far of 3")
    assert section.get_by_role("button").count() == 0  # no second run while this one moves
    page.get_by_label("Value").fill("0.77")  # a reload would put back 0.9
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "rescore-held-in-progress.png"))

    with app.app_context():
        db.session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id).values(scored=2))
        db.session.commit()
    expect(section.locator("[data-rescore-scored]")).to_have_text("2", timeout=15_000)
    assert section.locator("[data-rescore-progress]").get_attribute("value") == "2"
    assert page.get_by_label("Value").input_value() == "0.77", "moved in place, not by reloading the page"

    with app.app_context():  # the worker goes on to the end (played from the start: a begun run is not begun twice)
        db.session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id).values(started_at=None))
        db.session.commit()
        score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), run_id=run_id)
    publish = page.get_by_role("button", name="Publish these 2")
    expect(publish).to_be_visible(timeout=15_000)  # drawn again once, counting what it would publish
    expect(section).to_contain_text("it would publish 2 of them")
    assert page.get_by_role("button", name="Score held comments again with test-model-2").is_visible()
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "rescore-held-finished.png"))
    ended = time.monotonic()
    page.wait_for_timeout(5000)
    assert not [at for at in asked if at > ended], "it stops asking once the run has ended"
    assert len(asked) >= 2 and not errors, errors


@pytest.mark.parametrize("status, said", [
    (401, "This page stopped following the run: you are signed out. Sign in again to see it."),
    (404, "This page stopped following the run: the server answered 404. Reload the page to see it."),
])
def test_the_page_stops_following_a_run_when_the_server_refuses_and_says_so(
        app, admin, make_site, live_server, browser_page, status, said):
    """Signed out, no longer an admin, or the site gone: it had asked every 2 s for ever, saying nothing."""
    app.extensions["models"] = FixedModels(Promoted())
    site = make_site(f"refusing-gazette-{status}")
    _held(app, site.id, f"A silly take on the new bridge, number {status}, 20")
    with app.app_context():
        start_run(db.session, db.session.get(Site, site.id), by="user:ada")
        db.session.commit()
    page = browser_page
    asked: list[float] = []
    page.on("request", lambda request: asked.append(time.monotonic()) if "rescore-held/status" in request.url else None)
    sign_in(page, live_server, admin)
    page.route("**/rescore-held/status", lambda route: route.fulfill(
        status=status, content_type="application/json",
        body='{"error": {"code": "refused", "message": "refused", "field": null}}'))
    page.goto(f"{live_server}/admin/sites/{site.id}/thresholds#rescore-held")
    expect(page.locator("#rescore-held [data-rescore-stopped]")).to_have_text(said, timeout=15_000)
    told = time.monotonic()
    page.wait_for_timeout(5000)
    assert len(asked) == 1 and not [at for at in asked if at > told], "it asks once, then no more"


def _asks_again_after(page, asked: list[float], seconds: int) -> None:
    """The page asks for the run's status `seconds` after its last answer, and not a second sooner
    (the page's clock is Playwright's: time jumps ahead rather than being waited out)."""
    page.wait_for_timeout(300)  # the last answer read, and the next ask set
    before = len(asked)
    page.clock.fast_forward((seconds - 1) * 1000)
    page.wait_for_timeout(300)
    assert len(asked) == before, f"asked again before {seconds} s"
    with page.expect_response("**/rescore-held/status"):
        page.clock.fast_forward(1000)


def _a_run_waiting(app, make_site, name: str):
    """A site with one held comment and a rescore run waiting for a worker, for the page to follow."""
    app.extensions["models"] = FixedModels(Promoted())
    site = make_site(name)
    _held(app, site.id, "A silly take on the new bridge, number 503, 20")
    with app.app_context():
        start_run(db.session, db.session.get(Site, site.id), by="user:ada")
        db.session.commit()
    return site


def test_the_page_says_when_it_loses_touch_with_the_server_and_clears_it_when_answers_come_back(
        app, admin, make_site, live_server, browser_page, tmp_path):
    """A restart or a proxy's 503: the page had asked every 4 s for ever, its count standing still as
    if the run had stopped, with no word of why."""
    site = _a_run_waiting(app, make_site, "unreachable-gazette")
    shots = Path(os.environ.get("REVIEW_SCREENSHOT_DIR", tmp_path))
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    asked: list[float] = []
    page.on("request", lambda request: asked.append(time.monotonic()) if "rescore-held/status" in request.url else None)
    failing = [True]

    def answer(route) -> None:
        if failing[0]:
            route.fulfill(status=503, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            route.continue_()

    sign_in(page, live_server, admin)
    page.clock.install()
    page.route("**/rescore-held/status", answer)
    page.goto(f"{live_server}/admin/sites/{site.id}/thresholds#rescore-held")
    section = page.locator("#rescore-held")
    lost = section.locator("[data-rescore-lost]")
    expect(section).to_contain_text("Waiting for a worker")
    with page.expect_response("**/rescore-held/status"):
        page.clock.fast_forward(2000)  # the first ask, missed
    _asks_again_after(page, asked, 4)  # twice as long after each miss
    assert lost.count() == 0, "one or two misses are a busy moment, not worth a word"
    _asks_again_after(page, asked, 8)
    expect(lost).to_have_text("Lost touch with the server. If it is only busy, the run goes on; if the service "
                              "restarted, the run stopped, and another can be started 30 minutes after its last "
                              "progress. This page keeps asking, less often; reload it to see the run.")
    assert lost.get_attribute("role") == "status"
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "rescore-held-lost-touch.png"))
    _asks_again_after(page, asked, 16)
    _asks_again_after(page, asked, 30)  # and no longer apart than 30 s
    _asks_again_after(page, asked, 30)

    failing[0] = False  # the server is back
    _asks_again_after(page, asked, 30)
    expect(lost).to_have_count(0)
    expect(section).to_contain_text("0 scored so far of 1")
    _asks_again_after(page, asked, 2)  # every couple of seconds again
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "rescore-held-back-in-touch.png"))


def test_an_ask_the_server_never_answers_counts_as_a_miss(app, admin, make_site, live_server, browser_page):
    """A re-check froze the web processes for 90 s: the one ask in flight waited all that time, no miss
    was counted and the page said nothing. An ask unanswered for 10 s is a miss now."""
    site = _a_run_waiting(app, make_site, "frozen-gazette")
    page = browser_page
    hung: list = []
    sign_in(page, live_server, admin)
    page.clock.install()
    page.route("**/rescore-held/status", lambda route: hung.append(route))  # never answered
    page.goto(f"{live_server}/admin/sites/{site.id}/thresholds#rescore-held")
    lost = page.locator("#rescore-held [data-rescore-lost]")
    expect(page.locator("#rescore-held")).to_contain_text("Waiting for a worker")
    # Asks at 2 s, 16 s and 34 s (each given up 10 s later, then 4 s and 8 s apart); the third given up at 44 s.
    for _ in range(50):
        page.clock.fast_forward(1000)
        page.wait_for_timeout(20)
    assert len(hung) == 3, f"asked {len(hung)} times in 50 s"
    expect(lost).to_have_count(1)
