"""A card's context: the thread around the comment and precedent (similar decided comments)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from moderation import db
from moderation.domain.precedent import precedents_for
from moderation.domain.thread import threads_for
from moderation.models import Comment, User

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _the_moderator_works_the_site(grant, moderator, site):
    grant(moderator, site)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _threads(app, *ids: int):
    with app.app_context():
        comments = [db.session.get(Comment, i) for i in ids]
        return threads_for(db.session, comments)


def _precedents(app, user_id: int, *ids: int):
    with app.app_context():
        comments = [db.session.get(Comment, i) for i in ids]
        return precedents_for(db.session, comments, viewer=db.session.get(User, user_id))


def _decided(make_comment, site_id: int, text: str, decision: str, decider_id: int, **fields) -> int:
    return make_comment(site_id, text, status=decision, decision=decision, decided_by=decider_id,
                        decided_at=at(-60), decision_reason=fields.pop("decision_reason", None), **fields)


def test_a_reply_shows_its_parent_and_the_earlier_replies_but_not_later_ones_nor_other_sites(
        app, site, outsider, make_comment):
    make_comment(site.id, "The bridge is a waste of money.", external_id="p1", parent_id=None,
                 author_name="Parent Author", received_at=at(0), status="published")
    first = make_comment(site.id, "I agree, it is.", parent_id="p1", received_at=at(1), status="published")
    second = make_comment(site.id, "No, traffic needs it.", parent_id="p1", received_at=at(2), status="approved")
    card = make_comment(site.id, "You are all idiots.", parent_id="p1", received_at=at(3))
    later = make_comment(site.id, "Calm down.", parent_id="p1", received_at=at(4), status="published")
    # Same parent id on another site: another conversation altogether.
    make_comment(outsider.id, "Other site's parent", external_id="p1", received_at=at(0), status="published")
    foreign = make_comment(outsider.id, "Other site's reply", parent_id="p1", received_at=at(2), status="published")

    thread = _threads(app, card)[card]

    assert thread.is_reply and thread.parent is not None
    assert (thread.parent.text, thread.parent.author) == ("The bridge is a waste of money.", "Parent Author")
    assert [e.id for e in thread.earlier] == [first, second]
    assert thread.earlier_total == 2 and thread.not_shown == 0
    assert later not in [e.id for e in thread.earlier] and foreign not in [e.id for e in thread.earlier]
    assert [e.status for e in thread.earlier] == ["published", "approved"]


def test_only_the_last_five_earlier_replies_show_and_the_rest_are_counted(app, sign_in, moderator, site, make_comment):
    make_comment(site.id, "Parent", external_id="p1", received_at=at(0), status="published")
    replies = [make_comment(site.id, f"reply number {i}", parent_id="p1", received_at=at(i), status="published")
               for i in range(1, 8)]
    card = make_comment(site.id, "the held reply", parent_id="p1", received_at=at(10))

    thread = _threads(app, card)[card]
    assert [e.id for e in thread.earlier] == replies[2:]
    assert (thread.earlier_total, thread.not_shown) == (7, 2)

    html = sign_in(moderator).get("/review?tab=held").get_data(as_text=True)
    assert 'data-key="thread"' in html
    assert "reply to Reader 1, after 7 other replies" in html
    assert "and 2 earlier, not shown" in html
    assert "reply number 6" in html and "reply number 1<" not in html


def test_a_top_level_comment_shows_the_earlier_top_level_comments_on_its_story(app, site, make_comment):
    before = make_comment(site.id, "First!", story_id="s1", received_at=at(0), status="published")
    make_comment(site.id, "a reply, not top level", story_id="s1", parent_id="c1", received_at=at(1), status="published")
    make_comment(site.id, "another story", story_id="s2", received_at=at(1), status="published")
    card = make_comment(site.id, "Top-level and held", story_id="s1", received_at=at(2))
    make_comment(site.id, "later on the story", story_id="s1", received_at=at(3), status="published")

    thread = _threads(app, card, before)
    assert not thread[card].is_reply and thread[card].parent is None
    assert [e.text for e in thread[card].earlier] == ["First!"]
    assert thread[before].earlier == [] and thread[before].earlier_total == 0


def test_a_reply_sent_before_its_parent_on_another_story_does_not_quote_that_comment(app, site, make_comment):
    """An archive import's walk: sent ahead of its parent (on another story), the reply was stored, and
    its card quoted the other story's comment as the one replied to."""
    reply = make_comment(site.id, "Spot on.", story_id="s-2", parent_id="p-1", received_at=at(0))
    make_comment(site.id, "About Internet Explorer.", story_id="s-317", external_id="p-1", received_at=at(1),
                 status="published")
    thread = _threads(app, reply)
    assert thread[reply].is_reply and thread[reply].parent is None


def test_a_reply_whose_parent_never_arrived_says_so(sign_in, moderator, site, make_comment):
    make_comment(site.id, "reply to a lost comment", parent_id="gone-42")
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "reply to a comment not received" in html
    assert "The parent comment (gone-42) never reached us on this story." in html


def test_precedent_is_the_nearest_decided_comments_of_the_same_site_with_their_decisions(
        app, site, outsider, moderator, make_comment):
    text = "You are a pathetic idiot and nobody wants to read your garbage opinions."
    card = make_comment(site.id, text)
    closest = _decided(make_comment, site.id, "You are a pathetic idiot and nobody wants your garbage opinions.",
                       "rejected", moderator.id, decision_reason="Personal attack or insult")
    close = _decided(make_comment, site.id, "Nobody wants to read your garbage opinions, you idiot.",
                     "rejected", moderator.id)
    approved = _decided(make_comment, site.id, "Nobody wants to read opinions like yours, but fair enough.",
                        "approved", moderator.id)
    fourth = _decided(make_comment, site.id, "you are a pathetic reader", "approved", moderator.id)
    _decided(make_comment, site.id, "The council meets again on Tuesday to vote on the budget.", "approved", moderator.id)
    make_comment(site.id, text, status="held")  # identical, but nobody decided it yet
    _decided(make_comment, outsider.id, text, "rejected", moderator.id)  # identical, another site

    found = _precedents(app, moderator.id, card)[card]

    # At most three, most similar first: the fourth similar one and the unrelated one are left out.
    assert [p.id for p in found] == [closest, close, approved] and fourth not in [p.id for p in found]
    assert [p.decision for p in found] == ["rejected", "rejected", "approved"]
    assert found[0].decision == "rejected" and found[0].reason == "Personal attack or insult"
    assert found[0].decided_by == "mona" and found[0].decided_at == at(-60)
    assert found[0].similarity > found[1].similarity >= found[2].similarity >= 0.2
    assert all(p.text != "The council meets again on Tuesday to vote on the budget." for p in found)


def test_a_decided_comment_is_never_its_own_precedent(app, site, moderator, make_comment):
    card = _decided(make_comment, site.id, "Spam spam buy cheap watches at example dot com", "rejected", moderator.id)
    other = _decided(make_comment, site.id, "Spam spam buy cheap watches at example dot org", "rejected", moderator.id)
    assert [p.id for p in _precedents(app, moderator.id, card)[card]] == [other]


def test_no_precedent_for_a_comment_of_a_site_the_viewer_does_not_work(app, site, outsider, make_moderator,
                                                                       moderator, make_comment):
    card = make_comment(site.id, "Buy cheap watches now")
    _decided(make_comment, site.id, "Buy cheap watches now!", "rejected", moderator.id)
    stranger = make_moderator("bea", sites=[outsider])
    assert _precedents(app, stranger.id, card) == {}
    assert len(_precedents(app, moderator.id, card)[card]) == 1


def test_thread_and_precedent_text_is_escaped_on_the_queue_the_fragment_and_the_detail_page(
        app, sign_in, moderator, site, make_comment):
    make_comment(site.id, "<script>alert('parent')</script>", external_id="p1", received_at=at(0),
                 author_name="<b>Boldface</b>", status="published")
    make_comment(site.id, "<img src=x onerror=alert(1)> earlier", parent_id="p1", received_at=at(1), status="published")
    card = make_comment(site.id, "<i>you idiot</i> go away", parent_id="p1", received_at=at(2))
    _decided(make_comment, site.id, "<i>you idiot</i> go away now", "rejected", moderator.id,
             decision_reason="<em>Personal attack</em>")
    client = sign_in(moderator)

    queue = client.get("/review?tab=held").get_data(as_text=True)
    fragment = client.get(f"/review/{card}/precedent").get_data(as_text=True)
    detail = client.get(f"/review/{card}").get_data(as_text=True)

    # The queue loads precedent when a card's precedent is opened; the detail page shows it at once.
    assert f'data-key="precedent" data-src="/review/{card}/precedent"' in queue
    for html in (queue, detail):
        assert 'data-key="thread"' in html
        assert "&lt;script&gt;alert(&#39;parent&#39;)&lt;/script&gt;" in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt; earlier" in html and "<img src=x" not in html
        assert "&lt;b&gt;Boldface&lt;/b&gt;" in html and "<b>Boldface" not in html
    for html in (fragment, detail):
        assert "1 rejected, 0 approved among the most similar decided comments on this site." in html
        assert "&lt;i&gt;you idiot&lt;/i&gt; go away now" in html and "<i>you idiot" not in html
        assert "Reason: &lt;em&gt;Personal attack&lt;/em&gt;" in html
        assert "by mona" in html


def test_the_precedent_fragment_of_another_sites_comment_is_not_found(sign_in, make_moderator, outsider, site,
                                                                       moderator, make_comment):
    card = make_comment(site.id, "Buy cheap watches now")
    _decided(make_comment, site.id, "Buy cheap watches now!", "rejected", moderator.id)
    stranger = sign_in(make_moderator("bea", sites=[outsider]))
    assert stranger.get(f"/review/{card}/precedent").status_code == 404
    assert stranger.get("/review/999999/precedent").status_code == 404
    assert "Buy cheap watches now!" in sign_in(moderator).get(f"/review/{card}/precedent").get_data(as_text=True)


def test_a_comment_without_similar_decisions_says_so(sign_in, moderator, site, make_comment):
    card = make_comment(site.id, "Completely unlike anything decided before")
    client = sign_in(moderator)
    assert "No similar decided comments on this site." in client.get(f"/review/{card}/precedent").get_data(as_text=True)
    assert "the first comment on this story" in client.get("/review").get_data(as_text=True)


def test_a_page_of_cards_loads_its_context_in_the_same_number_of_queries_whatever_its_size(
        app, site, moderator, make_comment):
    make_comment(site.id, "Parent", external_id="p1", received_at=at(0), status="published")
    ids = [make_comment(site.id, f"reply {i} you idiot", parent_id="p1" if i % 2 else None, received_at=at(i + 1))
           for i in range(12)]
    for i in range(4):
        _decided(make_comment, site.id, f"reply {i} you idiot!", "rejected", moderator.id)

    def statements(card_ids: list[int]) -> int:
        count = 0

        def counting(*_args) -> None:
            nonlocal count
            count += 1

        with app.app_context():
            comments = [db.session.get(Comment, i) for i in card_ids]
            viewer = db.session.get(User, moderator.id)
            event.listen(app.extensions["db_engine"], "before_cursor_execute", counting)
            try:
                threads_for(db.session, comments)
                precedents_for(db.session, comments, viewer=viewer)
            finally:
                event.remove(app.extensions["db_engine"], "before_cursor_execute", counting)
        return count

    assert statements(ids[:2]) == statements(ids) <= 4


def test_an_erased_comment_in_the_thread_says_so_rather_than_quoting_nothing(app, sign_in, moderator, site, make_comment):
    """A walk: an erased author's comment showed in another card's thread as an empty quote."""
    make_comment(site.id, "", external_id="p1", received_at=at(0), status="deleted", text_erased_at=at(5))
    make_comment(site.id, "", parent_id="p1", received_at=at(1), status="deleted", text_erased_at=at(5))
    card = make_comment(site.id, "the held reply", parent_id="p1", received_at=at(10))

    thread = _threads(app, card)[card]
    assert thread.parent.erased and [e.erased for e in thread.earlier] == [True]
    html = sign_in(moderator).get(f"/review/{card}").get_data(as_text=True)
    assert html.count("(text erased)") == 2 and '<blockquote class="excerpt" dir="auto"></blockquote>' not in html
