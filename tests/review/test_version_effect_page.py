"""/admin/models/effect: what each version flagged on each site, so an admin reads a promotion's
effect on what is held (an admin's walk found no page saying it)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from moderation import db
from moderation.domain.version_effect import by_version, daily_shares
from moderation.models import Site


def _scored(make_comment, site_id, days_ago, version, flagged, n=1):
    at = datetime.now(timezone.utc) - timedelta(days=days_ago)
    for _ in range(n):
        make_comment(site_id, "Some comment.", status="held" if flagged else "published", model_version=version,
                     scored_at=at, received_at=at, flagged=list(flagged))


def test_each_version_shows_the_share_it_flagged_beside_the_version_before(app, sign_in, admin, make_site,
                                                                           make_comment):
    gazette, herald = make_site("gazette"), make_site("herald")
    _scored(make_comment, gazette.id, 5, "v1", ["toxicity"], n=1)
    _scored(make_comment, gazette.id, 4, "v1", [], n=9)  # v1: 1 of 10
    _scored(make_comment, gazette.id, 2, "v2", ["insult", "toxicity"], n=3)
    _scored(make_comment, gazette.id, 1, "v2", ["author_banned"], n=1)  # a sanction, not the model
    _scored(make_comment, gazette.id, 1, "v2", [], n=6)  # v2: 3 of 10
    _scored(make_comment, herald.id, 1, "v1", [], n=2)
    _scored(make_comment, herald.id, 45, "v0", ["toxicity"], n=2)  # before the days read

    page = sign_in(admin).get("/admin/models/effect").get_data(as_text=True)

    gazette_rows = page[page.index(">gazette<"):page.index(">herald<")]
    assert "<code>v1</code>" in gazette_rows and "10.0 %" in gazette_rows
    assert "<code>v2</code>" in gazette_rows and "30.0 %" in gazette_rows and "+20.0 points" in gazette_rows
    herald_rows = page[page.index(">herald<"):]
    assert "0.0 %" in herald_rows and "<code>v0</code>" not in page
    with app.app_context():
        spans = by_version(daily_shares(db.session))
        assert [(s.version, s.scored, s.flagged) for s in spans[gazette.id]] == [("v1", 10, 1), ("v2", 10, 3)]


def test_the_plot_is_a_png_and_says_so_when_nothing_was_scored(app, sign_in, admin, make_site, make_comment):
    client = sign_in(admin)
    empty = client.get("/admin/models/effect.png")
    assert empty.status_code == 200 and empty.data.startswith(b"\x89PNG")
    site = make_site("gazette")
    _scored(make_comment, site.id, 2, "v1", ["toxicity"], n=2)
    _scored(make_comment, site.id, 1, "v2", [], n=2)
    with app.app_context():
        assert db.session.get(Site, site.id).name == "gazette"
    drawn = client.get("/admin/models/effect.png")
    assert drawn.status_code == 200 and drawn.data.startswith(b"\x89PNG") and len(drawn.data) > len(empty.data)


def test_what_a_version_published_is_one_link_away_to_hold_again_after_a_rollback(app, sign_in, admin, make_site,
                                                                                  make_comment):
    """A data scientist's walk: after rolling a version back, the 1,244 comments it had published
    stayed published, 215 of them ones the site wanted held, and no page listed them."""
    import re

    gazette = make_site("gazette")
    _scored(make_comment, gazette.id, 2, "v1", [], n=2)
    _scored(make_comment, gazette.id, 1, "v2-bad", [], n=3)
    _scored(make_comment, gazette.id, 1, "v2-bad", ["toxicity"], n=1)  # held: not what it published
    client = sign_in(admin)
    page = client.get("/admin/models/effect").get_data(as_text=True)
    link = re.search(r'<code>v2-bad</code> <a href="([^"]+)">what it published', page).group(1).replace("&amp;", "&")
    listed = client.get(link).get_data(as_text=True)
    assert len(re.findall(r'<li class="card item" id="comment-\d+"', listed)) == 3
    assert 'name="model" value="v2-bad"' in listed and "All <span" in listed  # the bulk decision over all of them


def test_versions_of_one_day_are_in_the_order_they_first_scored_with_their_times(app, sign_in, admin, make_site,
                                                                                make_comment):
    """A data scientist's walk: promote, roll back and promote again in one day, and the page listed the
    candidate first, by name, with the shipped model after it "+11.1 points against the version
    before", as if the shipped model had replaced it; both rows said only the day."""
    site = make_site("sports-desk")
    now = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)

    def scored(version: str, minutes: int, flagged: list[str]) -> None:
        at = now + timedelta(minutes=minutes)
        make_comment(site.id, "Some comment.", status="held" if flagged else "published", model_version=version,
                     scored_at=at, received_at=at, flagged=flagged)

    scored("zz-shipped", 0, ["toxicity"])      # the shipped model, first
    scored("aa-candidate", 60, [])             # promoted
    scored("zz-shipped", 90, ["toxicity"])     # rolled back
    scored("aa-candidate", 120, [])            # promoted again
    with app.app_context():
        spans = by_version(daily_shares(db.session, at=now + timedelta(hours=3)))
    assert [s.version for s in spans[site.id]] == ["zz-shipped", "aa-candidate"]

    page = " ".join(sign_in(admin).get("/admin/models/effect").get_data(as_text=True).split())
    rows = page[page.index(">sports-desk<"):]
    assert rows.index("zz-shipped") < rows.index("aa-candidate") and "-100.0 points" in rows
    assert now.strftime("%Y-%m-%d 12:00") in rows and now.strftime("%Y-%m-%d 13:30") in rows
