"""A run of held comments scored again, as the thresholds page follows it: stale only once it stops
moving, not while a big site's run still scores; and no run offered when there is nothing to score."""
from __future__ import annotations

from datetime import timedelta

from review_helpers import csrf_token
from sqlalchemy import select, update
from test_rescore_held import ATTRIBUTES, NEW, OLD_SCORES, Promoted, _held, _section, promoted  # noqa: F401

from moderation import db
from moderation.domain import held_rescore
from moderation.domain.held_rescore import held_count, score_held_again
from moderation.domain.held_rescore_publish import offer, publish_run
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.models import Comment, HeldRescoreRun, Site

WATCHES = {"name": "watches", "kind": "banned_words", "words": ["cheap watches"]}
WATCHES_HIT = {"rule": "watches", "action": "hold", "reason": "banned words: cheap watches", "kind": "banned_words"}


def _save_rules(app, site_id: int, rules: list[dict]) -> None:
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site_id), validate_rules(rules), actor="test", take_away=True)
        db.session.commit()


def _asked_long_ago(app, site_id: int, **ago: int) -> int:
    """A run asked for that long ago (and not moved since), as the page's button starts it."""
    with app.app_context():
        run = held_rescore.start_run(db.session, db.session.get(Site, site_id), by="user:ada")
        run.requested_at -= timedelta(**ago)
        run.progressed_at -= timedelta(**ago)
        db.session.commit()
        return run.id


def test_a_run_still_scoring_past_the_stale_time_is_followed_not_replaced(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    site = promoted
    for n in range(3):
        _held(make_comment, site, 20, words=f"A silly take number {n}")
    run_id = _asked_long_ago(app, site.id, hours=2)  # a big site's queue: its worker began long after
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    seen = []

    def look(_read: int) -> None:  # after each page, as the admin's page sees it meanwhile
        page = client.get(url).get_data(as_text=True)
        status = client.get(f"{url}/rescore-held/status").get_json()["run"]
        started = client.post(f"{url}/rescore-held", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
        seen.append((_section(page), status, " ".join(started.get_data(as_text=True).split())))

    with app.app_context():
        score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), run_id=run_id, page=1,
                         progress=look)
    said, status, after_press = seen[1]
    assert "Scoring the held comments again with test-model-2: 2 scored so far of 3" in said
    assert "No worker finished" not in said and "Score held comments" not in said
    assert status == {"id": run_id, "state": "scoring", "active": True, "scored": 2, "version": NEW}
    assert "Nothing scored again: a run asked by user:ada is still scoring them (2 so far)" in after_press
    with app.app_context():  # the run went on to its end, not replaced by the press
        run = db.session.scalar(select(HeldRescoreRun))
        assert (run.id, run.scored, run.finished_at is not None) == (run_id, 3, True)

    # Its worker killed part way: it stops moving, and is taken over once the stale time has passed.
    with app.app_context():
        run = db.session.get(HeldRescoreRun, run_id)
        run.finished_at, run.scored, run.progressed_at = None, 2, run.progressed_at - timedelta(minutes=20)
        db.session.commit()
    assert "Score held comments" not in _section(client.get(url).get_data(as_text=True))
    with app.app_context():
        db.session.get(HeldRescoreRun, run_id).progressed_at -= timedelta(minutes=11)
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "No worker finished the run user:ada asked for" in _section(page)
    assert "it has not moved since" in _section(page) and "(2 scored)" in _section(page)
    assert client.get(f"{url}/rescore-held/status").get_json()["run"]["state"] == "stale"
    assert client.post(f"{url}/rescore-held", data={"csrf_token": csrf_token(page)}).status_code == 303
    with app.app_context():
        [new] = db.session.scalars(select(HeldRescoreRun)).all()
        assert new.id != run_id and new.finished_at is None


def test_the_page_says_when_there_is_nothing_to_score_and_offers_no_run(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    site = promoted
    scored_now = _held(make_comment, site, 20, model_version=NEW)  # the version in force held it
    _held(make_comment, site, 20, flagged=["toxicity", "reports"])  # readers' reports hold it too
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    page = client.get(url).get_data(as_text=True)
    said = _section(page)
    assert ("Nothing to score again: every held comment the model alone holds (1) was scored by test-model-2, "
            "the version in force.") in said
    assert "Score held comments" not in said
    # A page drawn before, or a second tab: pressing anyway starts nothing.
    pressed = client.post(f"{url}/rescore-held", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Nothing scored again: no held comment the model alone holds was scored by a version other than " \
           "test-model-2" in pressed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(HeldRescoreRun)) is None
        db.session.execute(update(Comment).where(Comment.id == scored_now).values(status="approved"))
        db.session.commit()
    said = _section(client.get(url).get_data(as_text=True))
    assert "Nothing to score again: no held comment is held by the model alone." in said
    assert "Score held comments" not in said

    _held(make_comment, site, 20)  # held by an older version's scores: one to score
    said = _section(client.get(url).get_data(as_text=True))
    assert "score again the 1 the model alone holds on another version's scores" in said
    assert "Score held comments with test-model-2" in said and "Nothing to score again" not in said


def test_the_command_says_when_there_is_nothing_to_score_and_exits_0(app, services, make_site, make_comment):
    from click.testing import CliRunner

    from moderation.cli import main

    site = make_site("shell-gazette")
    make_comment(site.id, "Thanks for the article.", scores=OLD_SCORES, flagged=["reports"], model_version="retired-0")
    result = CliRunner().invoke(main, ["models", "rescore-held", "--site", site.name, "--publish"], env=services.env())
    assert result.exit_code == 0, result.output
    assert "Nothing to score again: no held comment of shell-gazette that the model alone holds was scored by a " \
           "version other than" in " ".join(result.output.split())
    with app.app_context():
        assert db.session.scalar(select(HeldRescoreRun)) is None


def test_a_comment_a_saved_rule_holds_is_not_counted_as_held_by_the_model_alone(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """A rule's hold is in rule_hits, never in `flagged`: the page offered "score again the 1 the model
    alone holds" and the run then "would publish 0"."""
    site = promoted
    _save_rules(app, site.id, [WATCHES])
    # As scoring stores a comment that both the model's scores and a banned_words rule hold.
    _held(make_comment, site, 20, words="Buy cheap watches here", rule_hits=[WATCHES_HIT])
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    said = _section(client.get(url).get_data(as_text=True))
    assert "Nothing to score again: no held comment is held by the model alone." in said  # was "score again the 1"
    assert "Score held comments" not in said

    _held(make_comment, site, 20)  # the model alone holds this one: counted, scored, and published
    said = _section(client.get(url).get_data(as_text=True))
    assert "score again the 1 the model alone holds on another version's scores" in said
    with app.app_context():
        run = score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), by="user:ada")
        assert run.scored == 1
    assert "it would publish 1 of them" in " ".join(_section(client.get(url).get_data(as_text=True)).split())


def test_a_comment_also_held_by_a_rule_since_removed_is_scored_again_offered_and_published(
        app, services, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """Held by the model and by a rule the site then removed, it was neither scored again nor offered
    (the thresholds page's release, reading the rules in force, did publish it): the model alone holds
    it now. One the rule still in force holds is left out, as before."""
    from click.testing import CliRunner

    from moderation.cli import main

    site = promoted
    _save_rules(app, site.id, [WATCHES, {"name": "links-wave", "kind": "banned_words", "words": ["cheap pills"]}])
    removed = _held(make_comment, site, 20, words="Cheap pills, the column says", rule_hits=[
        {"rule": "links-wave", "action": "hold", "reason": "banned words: cheap pills", "kind": "banned_words"}])
    in_force = _held(make_comment, site, 20, words="Buy cheap watches here", rule_hits=[WATCHES_HIT])
    _save_rules(app, site.id, [WATCHES])  # the wave is over: its rule goes
    with app.app_context():
        assert held_count(db.session, db.session.get(Site, site.id), NEW, ATTRIBUTES) == 1
    said = " ".join(_section(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True)).split())
    assert "score again the 1 the model alone holds on another version's scores" in said

    result = CliRunner().invoke(main, ["models", "rescore-held", "--site", site.name, "--quiet"], env=services.env())
    assert result.exit_code == 0, result.output
    assert "scored 1 held comment of promoted-gazette again; they stay held." in " ".join(result.output.split())
    with app.app_context():  # the command's run was the shipped model's: this one is the promoted version's
        site_row = db.session.get(Site, site.id)
        assert score_held_again(db.session, site_row, lambda _: Promoted(), by="user:ada").scored == 1
        found = offer(db.session, site_row, NEW, ATTRIBUTES, {"toxicity": 0.5, "insult": 0.5})
        assert (found.held_by_model, found.count, [c.id for c, _ in found.examples]) == (1, 1, [removed])
        released = publish_run(db.session, site_row, NEW, ATTRIBUTES, {"toxicity": 0.5, "insult": 0.5}, actor="user:ada")
        assert released.published == 1
        assert db.session.get(Comment, removed).status == "published"
        assert db.session.get(Comment, in_force).status == "held"


def test_the_status_of_no_such_site_is_a_json_404(sign_in, admin):
    answer = sign_in(admin).get("/admin/sites/999999/thresholds/rescore-held/status",
                                headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert answer.get_json() == {"error": {"code": "not_found", "message": "site 999999 does not exist", "field": None}}


def test_the_total_is_never_below_the_count_scored_when_the_held_comments_are_decided_mid_run(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    site = promoted
    ids = [_held(make_comment, site, 20, words=f"A silly take number {n}") for n in range(4)]
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    seen = []

    def look(_read: int) -> None:
        if len(seen) == 2:  # moderators reject all four while the run is on its third
            with app.app_context():
                db.session.execute(update(Comment).where(Comment.id.in_(ids)).values(status="rejected"))
                db.session.commit()
        seen.append(" ".join(_section(client.get(url).get_data(as_text=True)).split()))

    run_id = _asked_long_ago(app, site.id, seconds=1)
    with app.app_context():
        score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), run_id=run_id, page=1,
                         progress=look)
    assert "2 scored so far of 4" in seen[1]
    assert "3 scored so far of 3" in seen[2] and "of 0" not in seen[2]  # was "3 scored so far of 0"
