"""Bulk decisions on the pages: ticked cards, an author's held comments and all matching a filter,
posted the way a browser would post the page's bulk form."""
from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from review_helpers import csrf_token
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.undo import undo_decision
from moderation.models import AuditEntry, Comment, User


class _BulkForm(HTMLParser):
    """The fields a browser would send from form#bulk: its own inputs and those with form="bulk"."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.checkboxes: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "bulk":
            self.inside = True
        if tag == "input" and (self.inside or a.get("form") == "bulk") and a.get("name"):
            if a.get("type") == "checkbox":
                if a["name"] == "ids":  # the selection's boxes, not the bar's own options
                    self.checkboxes.append(a)
                if "checked" not in a:
                    return
            self.fields.append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def bulk_form(html: str) -> _BulkForm:
    parser = _BulkForm()
    parser.feed(html)
    return parser


def shown(client, response):
    """The result page a bulk decision or undo redirects to, as the browser then shows it."""
    location = response.headers.get("Location", "")
    if response.status_code == 303 and re.match(r"/review/bulk/\d+(\?|$)", location):
        return client.get(location)
    return response


def post_bulk(client, html: str, *, tick: list[int] = (), **data: str):
    """Tick the given cards (plus any ticked already), then press a button of the bulk bar."""
    form = bulk_form(html)
    fields = [(k, v) for k, v in form.fields if k not in data] + [("ids", str(i)) for i in tick]
    return shown(client, client.post("/review/bulk", data=MultiDict([*fields, *data.items()])))


@pytest.fixture(autouse=True)
def _the_moderator_works_the_site(grant, moderator, site):
    grant(moderator, site)


def test_ticked_cards_are_rejected_with_one_reason_and_the_taken_one_is_listed_as_skipped(
        app, sign_in, moderator, make_moderator, site, make_comment):
    ids = [make_comment(site.id) for _ in range(3)]
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    form = bulk_form(html)
    assert [(box["value"], box["data-key"], box["form"]) for box in form.checkboxes] == [
        (str(i), "select", "bulk") for i in ids]
    assert 'action="/review/bulk"' in html and "Reject selected" in html and "bulk.js" in html
    # bob decides the last one while mona is still looking at the page she loaded.
    bob = make_moderator("bob", sites=[site])
    with app.app_context():
        decide(db.session, ids[2], user=db.session.get(User, bob.id), action="approve", reason=None, expected_version=1)

    response = post_bulk(client, html, tick=ids, action="reject", reason_choice="Spam or advertising",
                         reason_note="same link everywhere")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 comments rejected" in page and "1 skipped" in page
    assert f'<a href="/review/{ids[2]}">#{ids[2]}</a>: This comment was already decided by bob (approved).' in page
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Comment))}
        assert [rows[i].status for i in ids] == ["rejected", "rejected", "approved"]
        assert rows[ids[0]].decision_reason == "Spam or advertising: same link everywhere"


def test_another_sites_id_in_the_form_is_skipped_as_not_found_and_left_alone(
        app, sign_in, moderator, site, outsider, make_comment):
    mine, theirs = make_comment(site.id), make_comment(outsider.id)
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    assert f'value="{theirs}"' not in html
    response = shown(client, client.post("/review/bulk", data=MultiDict([
        *bulk_form(html).fields, ("ids", str(mine)), ("ids", str(theirs)), (f"version-{theirs}", "1"), ("action", "approve")])))
    page = response.get_data(as_text=True)
    assert "1 comment approved" in page and f"#{theirs}: not found" in page
    assert f'href="/review/{theirs}"' not in page
    with app.app_context():
        assert db.session.get(Comment, theirs).status == "held"
        assert db.session.get(Comment, mine).status == "approved"


def test_a_rejection_without_a_reason_or_with_nothing_ticked_decides_nothing_and_says_why(
        app, sign_in, moderator, site, make_comment):
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    response = post_bulk(client, html, tick=[comment_id], action="reject")
    assert response.status_code == 303 and response.headers["Location"] == "/review"
    assert ("Nothing decided: a reason is required to reject a comment: pick the guideline it broke (a note alone is"
            " not one).") in client.get("/review").get_data(as_text=True)
    post_bulk(client, html, tick=[comment_id], action="reject", reason_note="off topic")
    assert "a note alone is not one" in client.get("/review").get_data(as_text=True)
    post_bulk(client, html, action="approve")
    assert "Nothing decided: select at least one comment." in client.get("/review").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
        assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("fields", [
    [("ids", "12")],  # no version
    [("ids", "abc"), ("version-abc", "1")],
    [("ids", "1²"), ("version-1²", "1")],
    [("ids", str(2**63)), (f"version-{2**63}", "1")],
    [("ids", "5"), ("version-5", "-1")],
])
def test_an_unreadable_selection_is_a_400_page(app, sign_in, moderator, site, make_comment, fields):
    make_comment(site.id)
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    response = client.post("/review/bulk", data=MultiDict([*bulk_form(html).fields, *fields, ("action", "approve")]))
    assert response.status_code == 400 and "cannot be read" in response.get_data(as_text=True)


def test_the_bulk_form_needs_a_csrf_token(app, sign_in, moderator, site, make_comment):
    comment_id = make_comment(site.id)
    response = sign_in(moderator).post("/review/bulk", data={"ids": str(comment_id), f"version-{comment_id}": "1",
                                                             "action": "approve"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"


def test_all_matching_a_search_is_counted_confirmed_and_then_decided(app, sign_in, moderator, site, outsider,
                                                                     make_comment):
    spam = [make_comment(site.id, "Buy cheap watches now"), make_comment(site.id, "Cheap watches, best price")]
    civil = make_comment(site.id, "The bridge will help commuters")
    elsewhere = make_comment(outsider.id, "Cheap watches on another site")
    client = sign_in(moderator)
    queue = client.get("/review?q=watches").get_data(as_text=True)
    assert 'href="/review/bulk/matching?tab=review&amp;q=watches"' in queue and 'All <span data-tab-count="review">2</span> matching' in queue
    confirm = client.get("/review/bulk/matching?tab=review&q=watches")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "<strong>2</strong> comments match" in html
    assert sorted(v for k, v in bulk_form(html).fields if k == "ids") == sorted(str(i) for i in spam)
    # Enter on a tick box (the bar's first button, without scripts) decides nothing and stays on this page.
    # ... with the boxes as they were: the one unticked stays so (a re-check: all came back ticked).
    form = bulk_form(html)
    fields = [(k, v) for k, v in form.fields if not (k == "ids" and v == str(spam[0]))]
    fields = [(k, v) for k, v in fields if k not in ("reason_choice", "reason_note")]
    entered = client.post("/review/bulk", data=MultiDict([*fields, ("action", "none"), ("reason_choice", "Spam or advertising"),
                                                          ("reason_note", "a <b>watch</b> ring")]))
    assert entered.status_code == 303 and entered.headers["Location"].startswith(
        f"/review/bulk/matching?tab=review&q=watches&ticked={spam[1]}&")
    again = client.get(entered.headers["Location"]).get_data(as_text=True)
    # ... and the reason and note as typed (a second re-check found them gone), the note escaped.
    assert "<option selected>Spam or advertising</option>" in again
    assert 'value="a &lt;b&gt;watch&lt;/b&gt; ring"' in again
    assert sorted(v for k, v in bulk_form(again).fields if k == "ids") == [str(spam[1])]
    assert "Press Approve selected or Reject selected." in again and "Tick the comments again" not in again
    assert 'name="here" value="/review/bulk/matching?tab=review&amp;q=watches"' in again
    response = post_bulk(client, html, action="reject", reason_choice="Spam or advertising")
    assert "2 comments rejected" in response.get_data(as_text=True)
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
    assert [statuses[i] for i in spam] == ["rejected", "rejected"]
    assert statuses[civil] == statuses[elsewhere] == "held"


def test_published_spam_matching_a_search_is_rejected_in_bulk(app, sign_in, moderator, site, make_comment):
    """An SRE's walk: 24,690 spam comments published before the rules were saved, and bulk work
    refused every tab that showed them."""
    spam = [make_comment(site.id, f"Buy cheap watches at www.example.com number {n}", status="published", flagged=[])
            for n in range(3)]
    held = make_comment(site.id, "Cheap watches, held already")
    civil = make_comment(site.id, "Watches of the council meeting", status="published", flagged=[])
    client = sign_in(moderator)
    queue = client.get("/review?tab=published&q=cheap+watches").get_data(as_text=True)
    assert 'href="/review/bulk/matching?tab=published&amp;q=cheap+watches"' in queue
    html = client.get("/review/bulk/matching?tab=published&q=cheap+watches").get_data(as_text=True)
    assert "<strong>3</strong> comments match" in html
    response = post_bulk(client, html, action="reject", reason_choice="Spam or advertising")
    assert "3 comments rejected" in response.get_data(as_text=True)
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
    assert [statuses[i] for i in spam] == ["rejected"] * 3
    assert (statuses[held], statuses[civil]) == ("held", "published")


def test_all_matching_refuses_a_tab_of_final_decisions_and_a_bad_filter(sign_in, moderator, site, make_comment):
    make_comment(site.id)
    client = sign_in(moderator)
    assert client.get("/review/bulk/matching?tab=approved").status_code == 400
    assert client.get("/review/bulk/matching?score_min=2").status_code == 400
    assert "No comments match this filter now." in client.get("/review/bulk/matching?q=zebra").get_data(as_text=True)


def test_the_author_page_lists_the_authors_held_comments_for_the_bulk_bar_none_ticked(app, sign_in, moderator, site,
                                                                                       make_comment):
    held = [make_comment(site.id, author_id="troll", author_name="Troll") for _ in range(2)]
    make_comment(site.id, author_id="troll", author_name="Troll", status="approved")
    client = sign_in(moderator)
    queue = client.get("/review").get_data(as_text=True)
    assert f'href="/review/authors/{site.id}/troll#held">decide all 2 held</a>' in queue
    html = client.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)
    form = bulk_form(html)
    assert [(box["value"], "checked" in box) for box in form.checkboxes] == [(str(i), False) for i in held]
    response = post_bulk(client, html, tick=held, action="reject", reason_choice="Harassment")
    assert "2 comments rejected" in response.get_data(as_text=True)
    assert f'href="/review/authors/{site.id}/troll"' in response.get_data(as_text=True)  # back to the author


def _undo_form(page: str) -> MultiDict:
    """The fields of the result page's "Undo all" form, as a browser would post them."""
    start = page.index('action="/review/bulk/undo"')
    form = page[start:page.index("</form>", start)]
    return MultiDict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_a_bulk_rejection_is_taken_back_at_once_and_a_comment_changed_since_is_listed(
        app, sign_in, moderator, make_moderator, site, make_comment):
    ids = [make_comment(site.id) for _ in range(3)]
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    page = post_bulk(client, html, tick=ids, action="reject", reason_choice="Spam or advertising").get_data(as_text=True)
    assert "3 comments rejected" in page and "Reason: <strong>Spam or advertising</strong>" in page
    assert "Undo all 3" in page
    undo = _undo_form(page)
    # Another moderator cannot use mona's form; each is refused in undo's own words.
    bob = sign_in(make_moderator("bob", sites=[site]))
    as_bob = MultiDict(undo)
    as_bob["csrf_token"] = csrf_token(bob.get("/review").get_data(as_text=True))
    refused = shown(bob, bob.post("/review/bulk/undo", data=as_bob)).get_data(as_text=True)
    assert "0 decisions undone" in refused and refused.count("Only mona can undo") == 3
    # mona undoes one alone first: the form's version for it is stale, so it is listed, not undone twice.
    with app.app_context():
        undo_decision(db.session, ids[0], user=db.session.get(User, moderator.id), expected_version=2,
                      window=timedelta(minutes=10))

    response = shown(client, client.post("/review/bulk/undo", data=undo))
    result = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 decisions undone" in result and "1 skipped" in result
    assert f'<li id="skipped-{ids[0]}">' in result and "Undo all" not in result
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in ids] == ["held", "held", "held"]
        # The audit log ties the two undos together, as it ties the bulk rejection's decisions.
        tying = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "bulk:undo")
                                   .order_by(AuditEntry.id)).all()
        assert [(e.actor, len(e.details["undone"])) for e in tying] == [("user:bob", 0), ("user:mona", 2)]
        assert tying[-1].details["undone"] == ids[1:] and tying[-1].details["skipped"][0][0] == ids[0]
    token = undo["csrf_token"]
    assert client.post("/review/bulk/undo", data={"csrf_token": token}).status_code == 400  # nothing selected
    odd = client.post("/review/bulk/undo", data={"csrf_token": token, "ids": "\u0663", "version-\u0663": "2"})
    too_many = MultiDict([("csrf_token", token), *[("ids", str(i)) for i in range(1, 1102)],
                          *[(f"version-{i}", "2") for i in range(1, 1102)]])
    assert odd.status_code == 400 and client.post("/review/bulk/undo", data=too_many).status_code == 400


def _without_tokens(page):
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token"', page)


def test_a_reloaded_bulk_result_shows_the_same_result_and_undo_not_the_decision_sent_again(
        app, sign_in, moderator, site, make_comment, make_moderator, grant):
    """A moderator's walk: the result page answered the POST, so a reload sent the decision again:
    "0 comments approved, 3 skipped (already decided by alice)", and Undo all was gone."""
    ids = [make_comment(site.id) for _ in range(3)]
    client = sign_in(moderator)
    response = client.post("/review/bulk", data=MultiDict([*bulk_form(client.get("/review").get_data(as_text=True)).fields,
                                                           *[("ids", str(i)) for i in ids], ("action", "approve")]))
    assert response.status_code == 303 and re.match(r"/review/bulk/\d+\?back=/review$", response.headers["Location"])
    first, again = (client.get(response.headers["Location"]).get_data(as_text=True) for _ in range(2))
    # A CSRF token carries the second it was signed in, so two draws a second apart differ only there.
    assert _without_tokens(first) == _without_tokens(again) and "3 comments approved" in again and "Undo all 3" in again and "skipped" not in again
    assert 'href="/review">' in again  # back to the queue
    undone = shown(client, client.post("/review/bulk/undo", data=_undo_form(again)))
    assert "3 decisions undone" in undone.get_data(as_text=True)
    # Drawn again after the undo (another tab, history), it offers no Undo all that would skip them all.
    redrawn = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Undo all" not in redrawn and "Nothing here to undo now" in redrawn
    with app.app_context():
        assert {db.session.get(Comment, i).status for i in ids} == {"held"}
    # Another moderator's address for it shows nothing of it.
    other = make_moderator("otto", sites=[site])
    assert sign_in(other).get(response.headers["Location"]).status_code == 404


def test_a_reloaded_bulk_result_page_leads_back_to_the_queue_not_to_a_405(sign_in, moderator):
    client = sign_in(moderator)
    for path in ("/review/bulk", "/review/bulk/undo"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/review"
    assert "That bulk result was shown once" in client.get("/review").get_data(as_text=True)


def test_a_raids_comments_are_rejected_and_their_authors_sanctioned_in_one_step(app, sign_in, moderator, site,
                                                                               make_comment):
    """A raid's moderators opened each author's page to sanction them one by one. Each author once; a
    banned one is not stepped down to pre-moderation; an approval sanctions no one."""
    from moderation.domain.sanctions import current_sanction, sanction_author

    ids = [make_comment(site.id, author_id=author) for author in ("raider-1", "raider-2", "raider-2", "old-troll")]
    with app.app_context():
        sanction_author(db.session, site_row(site), "old-troll", "ban", "threats", db.session.get(User, moderator.id))
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    assert '<select name="authors">' in html and '<option value="premoderate">always pre-moderate</option>' in html

    refused = post_bulk(client, html, tick=ids, action="approve", authors="ban")
    assert refused.status_code == 303
    assert "authors are sanctioned only with a rejection" in client.get("/review").get_data(as_text=True)

    response = post_bulk(client, html, tick=ids, action="reject", reason_choice="Spam or advertising",
                         authors="premoderate")
    page = response.get_data(as_text=True)
    assert "4 comments rejected" in page and "2 authors sanctioned: always pre-moderate" in page
    assert "old-troll</a> (banned)" in page and "not the sanctions" in page
    with app.app_context():
        kinds = {a: current_sanction(db.session, site.id, a).kind for a in ("raider-1", "raider-2", "old-troll")}
        assert kinds == {"raider-1": "premoderate", "raider-2": "premoderate", "old-troll": "ban"}
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "bulk:reject")).one()
        assert entry.details["sanctioned"] == [[site.id, "raider-1"], [site.id, "raider-2"]]

    # Undo all: the page says which authors keep the sanction, with their pages to lift it (it had said nothing).
    forged = _undo_form(page)
    forged.add("sanctioned", f"{site.id}:never-sanctioned")  # the form is the browser's word: checked
    forged.add("sanctioned", f"{site.id}:" + "X" * 100_000)  # and not stored as sent (a security review)
    undone = shown(client, client.post("/review/bulk/undo", data=forged)).get_data(as_text=True)
    assert "4 decisions undone" in undone and "2 authors still sanctioned" in undone
    kept = undone[undone.index('id="kept-heading"'):]
    assert kept.index("raider-1</a>") < kept.index("raider-2</a>") and "old-troll" not in kept
    assert "never-sanctioned" not in kept
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "bulk:undo")).one()
        assert entry.details["named_sanctioned"] == [[site.id, "raider-1"], [site.id, "raider-2"]]



def test_a_raider_under_a_short_suspension_is_pre_moderated_once_it_ends(app, sign_in, moderator, site, make_comment):
    """A re-check: "always pre-moderate" left a raider suspended for a day as they were, "under a
    sanction as strong", and a day later free to post. It waits beneath the suspension; a lift ends both."""
    from datetime import timedelta

    from moderation.domain.lifecycle import now
    from moderation.domain.sanctions import current_sanction, lift_sanction, sanction_author

    ids = [make_comment(site.id, author_id="short-timer")]
    with app.app_context():
        sanction_author(db.session, site_row(site), "short-timer", "suspend", "spam", db.session.get(User, moderator.id),
                        days=1)
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    page = post_bulk(client, html, tick=ids, action="reject", reason_choice="Spam or advertising",
                     authors="premoderate").get_data(as_text=True)
    assert "1 author sanctioned: always pre-moderate" in page
    with app.app_context():
        def kind(at):
            sanction = current_sanction(db.session, site.id, "short-timer", at)
            return sanction and sanction.kind

        assert [kind(now()), kind(now() + timedelta(days=2))] == ["suspend", "premoderate"]
        lift_sanction(db.session, site_row(site), "short-timer", db.session.get(User, moderator.id), "appeal upheld")
        assert [kind(now()), kind(now() + timedelta(days=2))] == [None, None]


def site_row(site):
    from moderation.models import Site

    return db.session.get(Site, site.id)


def test_a_match_unticked_on_the_confirmation_is_left_as_it_is(app, sign_in, moderator, site, make_comment):
    """The search catches a civil comment among the spam: the moderator unticks it and rejects the rest."""
    spam = [make_comment(site.id, f"Buy cheap watches now, offer {n}") for n in range(25)]
    civil = make_comment(site.id, "My late father's watches went to the museum, cheap at any price")
    client = sign_in(moderator)
    html = client.get("/review/bulk/matching?tab=review&q=cheap").get_data(as_text=True)
    form = bulk_form(html)
    assert sorted(int(box["value"]) for box in form.checkboxes) == sorted([*spam, civil])
    assert all("checked" in box for box in form.checkboxes) and "26 selected" in html
    assert "The other 6" in html  # past the first 20, under a fold, still ticked and sent
    fields = [(k, v) for k, v in form.fields if (k, v) != ("ids", str(civil))]
    response = shown(client, client.post("/review/bulk", data=MultiDict([*fields, ("action", "reject"),
                                                                         ("reason_choice", "Spam or advertising")])))
    assert "25 comments rejected" in response.get_data(as_text=True)
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
    assert {statuses[i] for i in spam} == {"rejected"} and statuses[civil] == "held"


def test_a_ticked_comment_reported_after_the_page_was_drawn_is_skipped_saying_so(app, client, sign_in, moderator,
                                                                                site, make_comment):
    """As one card's decision is refused (test_decisions): a bulk Approve dismissed the report unread."""
    ids = [make_comment(site.id) for _ in range(2)]
    reviewer = sign_in(moderator)
    html = reviewer.get("/review").get_data(as_text=True)
    client.post(f"/api/v1/comments/{ids[1]}/reports", headers=site.headers,
                json={"reason": "hate", "reporter_id": "worried"})  # self_harm would be left for its card anyway

    page = post_bulk(reviewer, html, tick=ids, action="approve").get_data(as_text=True)

    assert "1 comment approved" in page and "1 skipped" in page
    assert f'<li id="skipped-{ids[1]}">' in page and "came in since you opened this comment" in page
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in ids] == ["approved", "held"]


def test_on_the_all_matching_page_a_comment_reported_since_it_was_drawn_is_skipped(app, client, sign_in, moderator,
                                                                                  site, make_comment):
    """A security review: that page carried no report ids, and its Approve dismissed a self-harm report unread."""
    ids = [make_comment(site.id, f"Zebrafish comment {n}") for n in range(2)]
    reviewer = sign_in(moderator)
    html = reviewer.get("/review/bulk/matching?tab=review&q=zebrafish").get_data(as_text=True)
    client.post(f"/api/v1/comments/{ids[0]}/reports", headers=site.headers,
                json={"reason": "self_harm", "reporter_id": "rita", "note": "they have pills ready tonight"})

    page = post_bulk(reviewer, html, action="approve").get_data(as_text=True)

    assert "1 comment approved" in page and f'<li id="skipped-{ids[0]}">' in page
    with app.app_context():
        assert db.session.get(Comment, ids[0]).status == "held"


def test_from_the_authors_page_a_comment_reported_before_the_page_is_decided(app, client, sign_in, moderator, site,
                                                                            make_comment):
    """The page lists rows without their reports; counted as showing none, a report filed long before
    refused every decision there as one "since you opened this comment" (the read-back)."""
    reported = make_comment(site.id, "Rude words here.", author_id="troll")
    client.post(f"/api/v1/comments/{reported}/reports", headers=site.headers,
                json={"reason": "harassment", "reporter_id": "r-1"})
    reviewer = sign_in(moderator)
    html = reviewer.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)

    page = post_bulk(reviewer, html, tick=[reported], action="reject",
                     reason_choice="Personal attack or insult").get_data(as_text=True)

    assert "1 comment rejected" in page


def test_approve_selected_always_asks_and_rejecting_a_reader_at_risk_asks_first(app, sign_in, moderator, site,
                                                                               make_comment):
    """A moderator's walk: the author page's "All of this author's held comments" and Approve published
    "Kill them all." without a word (only a page drawn ticked asked), and "r 5" rejected a reader's
    "Tonight's the night, goodbye everyone." as harassment, unasked."""
    crisis = make_comment(site.id, "I've saved up enough pills. Tonight's the night, goodbye everyone.")
    make_comment(site.id, "Kill them all.", author_id="raider-1")
    with app.app_context():
        db.session.get(Comment, crisis).rule_hits = [{"rule": "at-risk", "kind": "at_risk", "action": "hold",
                                                      "reason": "reader may be at risk"}]
        db.session.commit()
    client = sign_in(moderator)
    for path in ("/review", f"/review/authors/{site.id}/raider-1"):
        html = client.get(path).get_data(as_text=True)
        approve = re.search(r'<button type="submit" name="action" value="approve" class="approve"[^>]*>', html)[0]
        assert 'data-confirm="Publish every selected comment?' in approve, path
    card = client.get("/review").get_data(as_text=True)
    card = card[card.index(f'id="comment-{crisis}"'):]
    reject = re.search(r'<button type="submit" name="action" value="reject" class="reject" data-key="reject"[^>]*>', card)[0]
    assert 'data-confirm="This reader may be at risk. Reject the comment anyway?' in reject
    approve = re.search(r'<button type="submit" name="action" value="approve" class="approve" data-key="approve"[^>]*>', card)[0]
    assert 'data-confirm="This reader may be at risk. Publish the comment?' in approve  # a re-check


def test_clearing_a_raided_story_bans_the_raiders_not_its_regular_readers(app, sign_in, moderator, site,
                                                                          make_comment):
    """A night shift's walk: "all matching" on the raided story, Reject and "and their authors:
    banned" banned 34 of its regular readers with the 41 raiders, 8 of them for civil comments held
    only by the storm; nothing on the confirmation told them apart."""
    from datetime import datetime, timezone

    from moderation.domain.sanctions import current_sanction

    long_ago = datetime.now(timezone.utc) - timedelta(days=30)
    make_comment(site.id, "Good piece last month.", status="published", author_id="regular-1", story_id="old",
                 received_at=long_ago)
    make_comment(site.id, "Thanks.", status="approved", author_id="regular-2", story_id="old", received_at=long_ago)
    make_comment(site.id, "First!", status="published", author_id="raider-3", story_id="raid")  # today: not a regular
    raid = [make_comment(site.id, "You are all idiots", author_id=f"raider-{n}", story_id="raid") for n in (1, 2, 3)]
    regulars = [make_comment(site.id, "I voted at 7am, no queue.", author_id="regular-1", story_id="raid",
                             flagged=["storm"], scores={"toxicity": 0.02}, explanations=None),
                make_comment(site.id, "Idiots, all of you", author_id="regular-2", story_id="raid")]
    client = sign_in(moderator)

    confirm = client.get("/review/bulk/matching?tab=held&story=raid").get_data(as_text=True)

    assert "5 authors, <strong>2 of them\n        regular readers</strong>" in confirm
    assert "<strong>1</strong> of the comments is held only by the storm" in confirm
    assert confirm.count('<span class="badge regular">regular reader</span>') == 2
    assert confirm.count('<span class="badge storm-only">held only by the storm</span>') == 1
    page = post_bulk(client, confirm, action="reject", reason_choice="Personal attack or insult",
                     authors="ban").get_data(as_text=True)
    assert "5 comments rejected" in page and "3 authors sanctioned: banned" in page
    spared = page[page.index('<ul class="id-list spared">'):]
    assert "regular-1</a>" in spared and "regular-2</a>" in spared[:spared.index("</ul>")]
    with app.app_context():
        banned = {a for a in ("raider-1", "raider-2", "raider-3", "regular-1", "regular-2")
                  if current_sanction(db.session, site.id, a) is not None}
        assert banned == {"raider-1", "raider-2", "raider-3"}
        assert set(db.session.scalars(select(Comment.status).where(Comment.id.in_(raid + regulars)))) == {"rejected"}


def test_regular_readers_are_sanctioned_too_when_the_moderator_asks(app, sign_in, moderator, site, make_comment):
    from datetime import datetime, timezone

    from moderation.domain.sanctions import current_sanction

    make_comment(site.id, "Good piece.", status="published", author_id="turned-troll",
                 received_at=datetime.now(timezone.utc) - timedelta(days=3))
    held = make_comment(site.id, "Idiots, all of you", author_id="turned-troll")
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    page = post_bulk(client, html, tick=[held], action="reject", reason_choice="Personal attack or insult",
                     authors="ban", sanction_regulars="1").get_data(as_text=True)
    assert "1 author sanctioned: banned" in page and 'class="id-list spared"' not in page
    with app.app_context():
        assert current_sanction(db.session, site.id, "turned-troll").kind == "ban"


def test_approving_a_storms_holds_in_bulk_passes_over_authors_banned_since(app, sign_in, moderator, site,
                                                                           make_comment):
    """A night shift's walk: "Flagged for: storm", all matching, Approve listed 190 comments of the
    raiders banned since among 14 regulars', with nothing on the rows to tell them apart."""
    from moderation.domain.sanctions import sanction_author

    raid = make_comment(site.id, "See you at the county office with a rifle.", author_id="raider-1",
                        story_id="elec-07", flagged=["storm"], scores={"toxicity": 0.2}, explanations=None)
    regular = make_comment(site.id, "Queues were short in my ward.", author_id="regular-1", story_id="elec-07",
                           flagged=["storm"], scores={"toxicity": 0.01}, explanations=None)
    with app.app_context():
        sanction_author(db.session, site_row(site), "raider-1", "ban", "raid", db.session.get(User, moderator.id))
        db.session.commit()
    client = sign_in(moderator)
    confirm = client.get("/review/bulk/matching?tab=held&flag=storm&story=elec-07").get_data(as_text=True)
    assert confirm.count('<span class="badge barred">author banned: not approved in bulk</span>') == 1

    page = post_bulk(client, confirm, action="approve").get_data(as_text=True)

    assert "1 comment approved" in page
    assert f"#{raid}</a>: its author is banned now: approve it on its own card if you mean to" in page
    with app.app_context():
        assert [db.session.get(Comment, c).status for c in (raid, regular)] == ["held", "approved"]


def test_the_confirmation_and_the_decision_agree_on_who_is_a_regular_reader(app, sign_in, moderator, site,
                                                                            make_comment):
    """A re-check: an author whose one shown comment was in the selection was a regular reader on
    the confirmation page, and banned once its rejection had taken that comment away; and a storm's
    hold with reports past the threshold was marked as held by nothing else."""
    from datetime import datetime, timezone

    from moderation.domain.sanctions import current_sanction

    old = datetime.now(timezone.utc) - timedelta(days=3)
    make_comment(site.id, "Cheap watches at spam.example", status="published", author_id="solo", received_at=old)
    reported = make_comment(site.id, "Storm-held, and reported", author_id="someone", flagged=["storm"],
                            report_weight=3.0, story_id="spam-story")
    client = sign_in(moderator)
    confirm = client.get("/review/bulk/matching?tab=published&q=watches").get_data(as_text=True)
    assert "badge regular" not in confirm  # its one shown comment is the one being decided
    page = post_bulk(client, confirm, action="reject", reason_choice="Spam or advertising",
                     authors="ban").get_data(as_text=True)
    assert "1 author sanctioned: banned" in page and 'class="id-list spared"' not in page
    with app.app_context():
        assert current_sanction(db.session, site.id, "solo").kind == "ban"
    storm = client.get("/review/bulk/matching?tab=held&story=spam-story").get_data(as_text=True)
    assert f"#{reported}</a>" in storm and "held only by the storm" not in storm


def test_enter_on_all_matching_with_a_long_note_comes_back_without_it_rather_than_to_an_error(
        app, sign_in, moderator, site, make_comment):
    """A third re-check: a 500-character note in Chinese made the way back 4,641 bytes, and gunicorn
    answered "URI Too Long"; the ticks, reason and note were all lost."""
    spam = [make_comment(site.id, f"Cheap watches {n}") for n in range(2)]
    client = sign_in(moderator)
    html = client.get("/review/bulk/matching?tab=review&q=watches").get_data(as_text=True)
    fields = [(k, v) for k, v in bulk_form(html).fields if k not in ("reason_choice", "reason_note")]
    entered = client.post("/review/bulk", data=MultiDict([*fields, ("action", "none"),
                                                          ("reason_note", "说" * 500)]))
    assert entered.status_code == 303 and len(entered.headers["Location"]) <= 3_500
    assert f"ticked={spam[0]},{spam[1]}" in entered.headers["Location"]
    assert "The note was too long to carry back: type it again." in client.get(entered.headers["Location"]).get_data(
        as_text=True)


def test_approving_a_comment_a_threat_group_or_urging_rule_held_asks_first(app, sign_in, moderator, site,
                                                                           make_comment):
    """A team lead's walk: a new moderator approved two "Someone should shoot ..." comments and a "kys"
    to a reader at risk with one key each; only an at-risk reader's comment asked first. An election
    night's lead: "Muslims are vermin ..." went out on one key too."""
    threat = make_comment(site.id, "Someone should shoot the mayor.")
    urging = make_comment(site.id, "kys")
    group = make_comment(site.id, "Muslims are vermin and shouldn't be allowed to vote.")
    plain = make_comment(site.id, "You are an idiot.")
    with app.app_context():
        for comment_id, kind in ((threat, "threat_words"), (urging, "urging_self_harm"), (group, "group_attack")):
            db.session.get(Comment, comment_id).rule_hits = [{"rule": kind, "kind": kind, "action": "hold"}]
        db.session.commit()
    page = sign_in(moderator).get("/review").get_data(as_text=True)

    def approve_button(comment_id):
        card = page[page.index(f'id="comment-{comment_id}"'):]
        return re.search(r'<button type="submit" name="action" value="approve" class="approve" data-key="approve"[^>]*>',
                         card)[0]

    assert 'data-confirm="A rule read a threat of violence in this comment. Publish it anyway?"' in approve_button(threat)
    assert "urging someone to harm themselves" in approve_button(urging)
    assert 'data-confirm="A rule read an attack on a group in this comment. Publish it anyway?"' in approve_button(group)
    assert "data-confirm" not in approve_button(plain)


def test_a_rejection_is_not_refused_by_a_report_filed_since_unless_it_says_self_harm(app, client, sign_in, moderator,
                                                                                     site, make_comment):
    """A rejection upholds what a report asks: a banned author's take-down was skipped for a spam report
    filed after the page was drawn (a re-check). A self-harm report still waits for a person's eyes."""
    ids = [make_comment(site.id) for _ in range(3)]
    reviewer = sign_in(moderator)
    html = reviewer.get("/review").get_data(as_text=True)
    client.post(f"/api/v1/comments/{ids[1]}/reports", headers=site.headers,
                json={"reason": "spam", "reporter_id": "worried"})
    client.post(f"/api/v1/comments/{ids[2]}/reports", headers=site.headers,
                json={"reason": "self_harm", "reporter_id": "friend"})

    page = post_bulk(reviewer, html, tick=ids, action="reject", reason_choice="Spam or advertising").get_data(as_text=True)

    assert "2 comments rejected" in page and "1 skipped" in page
    assert f'<li id="skipped-{ids[2]}">' in page and "came in since you opened" not in page
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in ids] == ["rejected", "rejected", "held"]
