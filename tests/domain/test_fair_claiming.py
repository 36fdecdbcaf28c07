"""One site's flood of comments cannot fill every batch: claiming takes each site's oldest in turn,
and while another site waits, only a short turn of the flood's."""
from __future__ import annotations

from sqlalchemy import text

from fake_model import FakeModel
from moderation import db
from moderation.domain.batch_submission import submit_comments
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.edits import edit_comment
from moderation.domain.scoring import SHARED_TURN, claim_batch, claim_ids, score_pending
from moderation.models import Site


def flood(site_id: int, n: int) -> None:
    db.session.execute(text(
        "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status, received_at)"
        " SELECT :site, 'flood-' || i, 's', 'a', 'flood ' || i, 'x', 'pending', now() - make_interval(secs => 3600 - i)"
        " FROM generate_series(1, :n) AS i"), {"site": site_id, "n": n})
    db.session.commit()


def add_comment(site_id: int, external_id: str) -> int:
    data = CommentInput(external_id=external_id, story_id="s", author_id="a", text="a comment")
    return submit_comment(db.session, db.session.get(Site, site_id), data).comment.id


def test_the_first_batch_takes_the_other_sites_comment_despite_a_flood(app, site, outsider):
    with app.app_context():
        flood(site.id, 1000)
        other = add_comment(outsider.id, "newest")
        first_flooded = add_comment(site.id, "flood-task")  # its own task asks for it by id

        claimed = [c.id for c in claim_batch(db.session, [first_flooded], batch_size=10)]
        db.session.rollback()

        assert claimed[0] == first_flooded and other in claimed


def test_a_sweep_over_a_flood_scores_the_other_sites_comment_in_its_first_batch(app, site, outsider):
    with app.app_context():
        flood(site.id, 300)
        other = add_comment(outsider.id, "quiet-site")

        scored = score_pending(db.session, FakeModel, [], batch_size=50)

        assert len(scored) == SHARED_TURN + 1 and other in scored


def test_a_claim_while_another_site_waits_takes_a_short_turn_of_the_flood(app, site, outsider):
    """Every comment of a batch is decided when all of it is: a quiet site's comment claimed beside
    255 of a flooding neighbour's waited for their scoring, seconds on a busy machine."""
    with app.app_context():
        flood(site.id, 1000)
        other = add_comment(outsider.id, "quiet-site")

        claimed = claim_ids(db.session, [], batch_size=256)
        db.session.rollback()

        assert other in claimed and len(claimed) == SHARED_TURN + 1


def test_a_flood_alone_still_fills_its_batches(app, site):
    with app.app_context():
        flood(site.id, 1000)

        assert len(claim_ids(db.session, [], batch_size=256)) == 256


def test_a_claim_takes_the_floods_full_batch_while_another_worker_scores_the_quiet_sites_comment(
        app, site, outsider):
    with app.app_context():
        flood(site.id, 1000)
        other = add_comment(outsider.id, "quiet-site")
        with app.extensions["db_engine"].connect() as first_worker:
            first_worker.exec_driver_sql(f"SELECT id FROM comments WHERE id = {other} FOR UPDATE")

            claimed = claim_ids(db.session, [], batch_size=256)
            db.session.rollback()
            first_worker.rollback()

        assert len(claimed) == 256


def test_the_sweep_goes_on_with_full_batches_after_the_short_turn(app, site, outsider):
    with app.app_context():
        flood(site.id, 1000)
        other = add_comment(outsider.id, "quiet-site")

        scored = score_pending(db.session, FakeModel, [], batch_size=256, max_batches=2)

        assert other in scored and len(scored) == SHARED_TURN + 1 + 256


def test_a_second_worker_takes_its_turn_of_each_flood_past_the_rows_the_first_holds(app, site, outsider):
    with app.app_context():
        flood(site.id, 300)
        flood(outsider.id, 300)
        with app.extensions["db_engine"].connect() as first_worker:
            held = first_worker.exec_driver_sql(
                f"SELECT id FROM comments WHERE site_id = {site.id} ORDER BY received_at LIMIT 100 FOR UPDATE"
            ).scalars().all()

            claimed = claim_ids(db.session, [], batch_size=256)
            sites = db.session.execute(text("SELECT site_id, count(*) FROM comments WHERE id = ANY(:ids) GROUP BY 1"),
                                       {"ids": claimed}).all()
            db.session.rollback()
            first_worker.rollback()

        # Two floods and no quiet site: each its half of the batch, past the rows the first worker holds.
        assert not set(claimed) & set(held) and dict(sites) == {site.id: 128, outsider.id: 128}


def test_a_second_worker_claims_the_next_comments_of_a_flood_while_the_first_holds_the_oldest(app, site):
    with app.app_context():
        flood(site.id, 50)
        with app.extensions["db_engine"].connect() as first_worker:
            held = first_worker.exec_driver_sql(
                "SELECT id FROM comments ORDER BY received_at LIMIT 10 FOR UPDATE").scalars().all()

            claimed = [c.id for c in claim_batch(db.session, [], batch_size=10)]
            db.session.rollback()
            first_worker.rollback()

        assert len(claimed) == 10 and not set(claimed) & set(held)


def test_a_surge_the_database_statistics_have_not_caught_up_with_is_still_claimed_at_once(app, site):
    """Autovacuum analyzes a table a minute or so after it changes, and a surge arrives faster. With
    the statistics of an empty table the planner once joined the ranking to the comments table by
    re-reading it for every pending comment: 18 s a claim at 20,000 pending. Claiming must look the
    candidates up by id whatever the statistics say; 3 s is a hundred times what it needs."""
    with app.app_context():
        db.session.execute(text("ANALYZE comments"))  # statistics taken before the surge
        db.session.commit()
        flood(site.id, 10_000)
        db.session.execute(text("SET LOCAL statement_timeout = '2s'"))

        claimed = claim_ids(db.session, [], batch_size=256)
        db.session.rollback()

        assert len(claimed) == 256


def import_batch(site_id: int, n: int) -> None:
    """The site's import through comments:batch's own path."""
    items = [CommentInput(external_id=f"import-{i}", story_id="archive", author_id=f"reader-{i % 40}",
                          text=f"an archived comment {i}") for i in range(n)]
    submit_comments(db.session, db.session.get(Site, site_id), items)


def test_a_readers_comment_is_scored_in_the_first_batch_during_its_own_sites_import(app, site):
    with app.app_context():
        import_batch(site.id, 300)
        live = add_comment(site.id, "posted-during-the-import")

        scored = score_pending(db.session, FakeModel, [], batch_size=50)

        assert len(scored) == SHARED_TURN + 1 and live in scored


def test_a_stream_of_single_posts_does_not_hold_back_the_sites_import(app, site):
    with app.app_context():
        import_batch(site.id, 1)
        flood(site.id, 300)  # posted one at a time, all before the import's comment
        imported = db.session.scalar(text("SELECT id FROM comments WHERE external_id = 'import-0'"))

        scored = score_pending(db.session, FakeModel, [], batch_size=50)

        assert imported in scored


def test_an_imported_comment_its_reader_edits_is_scored_among_the_live_ones(app, site):
    with app.app_context():
        import_batch(site.id, 300)
        edited = db.session.scalar(text("SELECT id FROM comments WHERE external_id = 'import-299'"))
        edit_comment(db.session, db.session.get(Site, site.id), edited, text="an archived comment, corrected by its reader")
        db.session.commit()

        scored = score_pending(db.session, FakeModel, [], batch_size=50)

        assert edited in scored


def test_the_events_of_an_imports_scoring_wait_in_the_sites_bulk_lane(app, make_site):
    hooked = make_site("hooked", webhook_url="https://example.org/hook")
    with app.app_context():
        import_batch(hooked.id, 3)
        live = add_comment(hooked.id, "posted-during-the-import")

        score_pending(db.session, FakeModel, [], batch_size=50, send=lambda session, deliveries: None)
        lanes = dict(db.session.execute(text("SELECT comment_id, bulk FROM webhook_deliveries")).all())

        assert len(lanes) == 4 and lanes.pop(live) is False and set(lanes.values()) == {True}


def test_two_backlogs_and_no_quiet_site_split_a_full_batch_between_them(app, site, outsider):
    """A re-check: with the short turn taken whenever two sites had comments, two imports were scored
    in batches of 64 for their whole length, half again the CPU; busy sites alone share a full batch."""
    with app.app_context():
        flood(site.id, 600)
        flood(outsider.id, 600)

        claimed = claim_ids(db.session, [], batch_size=256)
        db.session.rollback()

        sites = dict(db.session.execute(text("SELECT id, site_id FROM comments WHERE id = ANY(:ids)"),
                                        {"ids": claimed}).all())
        assert len(claimed) == 256
        assert sorted(list(sites.values()).count(s) for s in (site.id, outsider.id)) == [128, 128]


def test_a_claim_whose_share_shrank_as_other_workers_rows_were_skipped_still_says_more_are_waiting(app, site, outsider):
    """A re-check: another worker holding the quiet site's oldest 32 of 40 turned the claim's share from
    128 to 32 in its last pass; the claim said it was not full, and the task stopped with 936 pending."""
    with app.app_context():
        flood(site.id, 1000)
        flood(outsider.id, 40)
        with app.extensions["db_engine"].connect() as first_worker:
            for site_id in (outsider.id, site.id):
                first_worker.exec_driver_sql(
                    f"SELECT id FROM comments WHERE site_id = {site_id} ORDER BY received_at LIMIT 32 FOR UPDATE")
            claims: list[bool] = []
            score_pending(db.session, FakeModel, [], batch_size=256, max_batches=20, on_claim=claims.append)
            left = db.session.execute(text("SELECT count(*) FROM comments WHERE status = 'pending'")).scalar()
            db.session.rollback()
            first_worker.rollback()

        assert left == 64  # only the rows the first worker holds
