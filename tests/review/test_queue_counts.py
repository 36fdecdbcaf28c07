"""Tab counts stay cheap on a deep queue: past a cap they say "10,000+" instead of counting every row."""
from __future__ import annotations

from moderation import db
from moderation.domain.queue import COUNT_CAP, QueuePage, review_queue
from moderation.domain.queue_filters import QueueFilters
from moderation.models import User


def test_counts_past_the_cap_read_as_at_least_the_cap(app, site, admin, make_comment):
    for _ in range(4):
        make_comment(site.id)
    make_comment(site.id, status="published", flagged=[], report_weight=3.0)
    make_comment(site.id, status="approved")
    with app.app_context():
        page = review_queue(db.session, viewer=db.session.get(User, admin.id), count_cap=3)
    assert page.count_label("held") == "3+"
    # To review is held plus reported: past the cap as soon as either part is.
    assert page.count_label("review") == "3+"
    assert (page.count_label("reported"), page.count_label("approved"), page.count_label("pending")) == ("1", "1", "0")
    assert page.count_label("all") == "3+"


def test_filtered_counts_are_exact_whatever_the_cap(app, site, admin, make_comment):
    for _ in range(4):
        make_comment(site.id, "The bridge toll is a scandal")
    make_comment(site.id, "Nothing to do with tolls")
    with app.app_context():
        page = review_queue(db.session, viewer=db.session.get(User, admin.id), filters=QueueFilters(q="bridge"),
                            count_cap=3)
    assert page.counts["held"] == 4 and page.count_label("held") == "4"


def test_the_page_shows_each_tab_count(sign_in, admin, site, make_comment):
    make_comment(site.id)
    html = sign_in(admin).get("/review").get_data(as_text=True)
    assert 'Held <span class="count">1</span>' in html


def test_large_counts_read_with_thousands_separated_and_the_cap_as_10000_plus():
    def page(cap: int | None) -> QueuePage:
        return QueuePage(items=[], tab="held", counts={"held": 12_345}, next_cursor=None, page_size=50, count_cap=cap)

    assert COUNT_CAP == 10_000
    assert page(COUNT_CAP).count_label("held") == "10,000+"
    assert page(None).count_label("held") == "12,345"
