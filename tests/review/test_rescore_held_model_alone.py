""""Held by the model alone" is what the thresholds page's release would publish if the model's flags
went away: the run, its count, the page's offer and the command read it so, and publishing agrees."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from test_rescore_held import ATTRIBUTES, NEW, Promoted, _held, _publish, _run, _section, promoted  # noqa: F401
from test_rescore_held_runs import WATCHES, WATCHES_HIT, _save_rules

from moderation import db
from moderation.domain.held_rescore import held_count
from moderation.domain.held_rescore_publish import offer
from moderation.domain.rule_backfill import hold_published_matches
from moderation.domain.stories import STRICT_HOLD
from moderation.domain.threshold_release import releasable
from moderation.models import Comment, RuleSet, Site, Story

THRESHOLDS = {"toxicity": 0.5, "insult": 0.5}


def _counted(app, site_id: int) -> tuple[int, int]:
    """What a run would score, and what the page says the model alone holds."""
    with app.app_context():
        site = db.session.get(Site, site_id)
        return (held_count(db.session, site, NEW, ATTRIBUTES),
                offer(db.session, site, NEW, ATTRIBUTES, THRESHOLDS).held_by_model)


def _release_offers(app, site_id: int) -> list[str]:
    """The texts the thresholds page's release would publish (comments the version in force scored)."""
    with app.app_context():
        found = releasable(db.session, db.session.get(Site, site_id), NEW, ATTRIBUTES, THRESHOLDS)
        return sorted(c.text for c in found.comments)


def _twins(make_comment, site, words: str, **fields) -> int:
    """One held on the old version's scores, for the rescore; its twin on the version in force's, for
    the thresholds page's release; both held, as scoring left them, by the model and `fields`' holds."""
    _held(make_comment, site, 20, words=words, model_version=NEW, scores={"toxicity": 0.2, "insult": 0.1}, **fields)
    return _held(make_comment, site, 20, words=words, **fields)


def test_a_rule_renamed_still_holds_its_comments_and_no_run_is_offered(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """Renamed "watch-spam", the rule's holds were the model's alone: the page offered "score again the
    1", the run scored it, published 0 ("held by something besides the model") and was offered again."""
    site = promoted
    _save_rules(app, site.id, [WATCHES])
    _twins(make_comment, site, "Buy cheap watches here", rule_hits=[WATCHES_HIT])
    _save_rules(app, site.id, [{**WATCHES, "name": "watch-spam"}])
    assert _release_offers(app, site.id) == []
    assert _counted(app, site.id) == (0, 0)
    said = _section(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True))
    assert "Nothing to score again: no held comment is held by the model alone." in said
    # Set to flag, and back to hold: the hit it stored while it flagged holds as publishing reads it.
    _save_rules(app, site.id, [{**WATCHES, "action": "flag"}])
    _twins(make_comment, site, "Cheap watches for all", rule_hits=[{**WATCHES_HIT, "action": "flag"}])
    assert _counted(app, site.id) == (2, 4)  # nothing holds either now
    _save_rules(app, site.id, [{**WATCHES, "name": "watch-spam"}])
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))
    # More words on the list: it still fires where it did.
    _save_rules(app, site.id, [{**WATCHES, "name": "watch-spam", "words": ["cheap watches", "cheap rolex"]}])
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))


def test_a_rule_kept_by_name_but_edited_away_is_scored_again_and_published_as_the_release_publishes(
        app, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """"watches" edited to other words, or its name given to a rule of another kind: the release
    published the in-force version's comment, and the rescore never scored the old version's twin."""
    site = promoted
    _save_rules(app, site.id, [WATCHES])
    edited = _twins(make_comment, site, "Buy cheap watches here", rule_hits=[WATCHES_HIT])
    reused = _twins(make_comment, site, "Cheap watches, the column says", rule_hits=[WATCHES_HIT])
    assert _counted(app, site.id) == (0, 0)
    _save_rules(app, site.id, [{**WATCHES, "words": ["cheap rolex"]}])
    assert _release_offers(app, site.id) == ["Buy cheap watches here 20", "Cheap watches, the column says 20"]
    assert _counted(app, site.id) == (2, 4)  # was (0, 0)
    _save_rules(app, site.id, [{"name": "watches", "kind": "links"}])
    assert _release_offers(app, site.id) == ["Buy cheap watches here 20", "Cheap watches, the column says 20"]
    assert _counted(app, site.id) == (2, 4)

    _run(app, site.id)
    released = _publish(app, site.id)
    assert (released.published, released.other_hold) == (2, 0)
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in (edited, reused)] == ["published", "published"]


def test_a_strict_storys_holds_are_the_models_and_are_scored_again_once_it_is_no_longer_strict(
        app, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """Inverted: the less toxic comment, held only by the story's strictness, was never scored again,
    and the more toxic one, held at the site's thresholds too, was."""
    site = promoted
    with app.app_context():
        db.session.add(Story(site_id=site.id, story_id="s1", strict=True))
        db.session.commit()
    fair = _held(make_comment, site, 40, words="A sharp but fair take", story_id="s1",
                 rule_hits=[STRICT_HOLD.as_json()])
    nasty = _held(make_comment, site, 81, words="A nastier take", story_id="s1")
    assert _counted(app, site.id) == (2, 2)  # was (1, 1): the nastier one alone
    with app.app_context():
        db.session.execute(text("UPDATE stories SET strict = false WHERE site_id = :s"), {"s": site.id})
        db.session.commit()
    _run(app, site.id)
    released = _publish(app, site.id)
    assert (released.published, released.held_at_thresholds) == (1, 1)
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in (fair, nasty)] == ["published", "held"]


def _evasion_hit(original: int, author: str) -> dict:
    return {"rule": "sanctioned_author_text", "action": "hold", "kind": "ban_evasion",
            "reason": f"the same text as comment #{original}, rejected, by {author}, banned when this came"}


def test_ban_evasion_holds_while_the_ban_is_in_force_and_not_once_it_is_lifted(
        app, promoted, make_comment, admin):  # noqa: F811 - the fixture, imported
    site = promoted
    words = "You should all read what the teacher did"
    # An id with ", " in it, as the hold words it: read whole.
    original = make_comment(site.id, f"{words} 20", author_id="raider, 1", status="rejected",
                            decision="rejected", decided_by=admin.id)
    copied = _twins(make_comment, site, words, rule_hits=[_evasion_hit(original, "raider, 1")])
    with app.app_context():
        db.session.execute(text("INSERT INTO author_sanctions (site_id, author_id, kind, reason, created_at) "
                                "VALUES (:site, 'raider, 1', 'ban', 'raid', now())"), {"site": site.id})
        db.session.commit()
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))
    with app.app_context():
        db.session.execute(text("UPDATE author_sanctions SET lifted_at = now() WHERE site_id = :site"), {"site": site.id})
        db.session.commit()
    assert _release_offers(app, site.id) == ["You should all read what the teacher did 20"]
    assert _counted(app, site.id) == (1, 2)  # was (0, 0): the lifted ban held it for good
    _run(app, site.id)
    assert _publish(app, site.id).published == 1
    with app.app_context():
        assert db.session.get(Comment, copied).status == "published"


def test_a_text_too_long_to_read_is_held_while_a_rule_reads_texts(app, promoted, make_comment):  # noqa: F811
    site = promoted
    too_long = {"rule": "too long to read", "action": "hold", "kind": "read_limit",
                "reason": "too long for the rules to read whole"}
    essay = "A long essay on the bridge. " * 1_500  # past what the rules read of a text
    _save_rules(app, site.id, [WATCHES])
    _twins(make_comment, site, essay, rule_hits=[too_long])
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))
    _save_rules(app, site.id, [{"name": "no-links", "kind": "links"}])  # no rule reads the words now
    assert _release_offers(app, site.id) == [f"{essay} 20"]
    assert _counted(app, site.id) == (1, 2)


def test_what_publishing_reads_besides_the_text_keeps_a_comment_out_of_the_run_while_it_lasts(
        app, promoted, make_comment, admin):  # noqa: F811 - the fixture, imported
    """A banned author's held comment, one under a legal hold, on a story in a storm, or with a report
    open: counted as the model's alone, each was scored, left held by publishing, and offered again."""
    from moderation.models import LegalHold, Report, StoryStorm
    site = promoted
    banned = _held(make_comment, site, 20, words="A take by a raider", author_id="raider-1")
    evidence = _held(make_comment, site, 20, words="A take named in a letter")
    stormy = _held(make_comment, site, 20, words="A take on a stormy story", story_id="storm-1")
    reported = _held(make_comment, site, 20, words="A take one reader reported", report_weight=0.5)
    with app.app_context():
        db.session.execute(text("INSERT INTO author_sanctions (site_id, author_id, kind, reason, created_at) "
                                "VALUES (:site, 'raider-1', 'ban', 'raid', now())"), {"site": site.id})
        db.session.add(LegalHold(site_id=site.id, scope="comment", target=str(evidence), reason="solicitor's letter"))
        db.session.add(StoryStorm(site_id=site.id, story_id="storm-1", trigger="130 comments in the last minute",
                                  started_at=func.now(), last_stormy_at=func.now()))
        assert db.session.scalar(select(Report.id).where(Report.comment_id == reported)) is not None
        db.session.commit()
    assert _counted(app, site.id) == (0, 0)  # was (4, 4)
    with app.app_context():
        db.session.execute(text("UPDATE author_sanctions SET lifted_at = now()"))
        db.session.execute(text("UPDATE legal_holds SET lifted_at = now()"))
        db.session.execute(text("UPDATE story_storms SET ended_at = now()"))
        db.session.execute(text("UPDATE reports SET outcome = 'dismissed'"))
        db.session.commit()
    assert _counted(app, site.id) == (4, 4)
    _run(app, site.id)
    assert _publish(app, site.id).published == 4
    with app.app_context():
        assert {db.session.get(Comment, i).status for i in (banned, evidence, stormy, reported)} == {"published"}


# As scoring words a listed word's hit: the list's spelling, and the comment's where it differs.
WRITTEN_HIT = {**WATCHES_HIT, "reason": 'banned words: "cheap watches" written "CHEAP Watches"'}


@pytest.mark.parametrize("before, after, hit", [
    ([{**WATCHES, "words": ["cheap watches", "bridge"]}], [WATCHES], WATCHES_HIT),  # "bridge" taken off
    ([{**WATCHES, "words": ["Cheap Watches"]}], [WATCHES], WATCHES_HIT),  # the same words, lower-cased
    ([{**WATCHES, "words": ["cheap watches", "cheap rolex"]}],  # one list split in two
     [{**WATCHES, "words": ["cheap watches"]}, {"name": "rolex", "kind": "banned_words", "words": ["cheap rolex"]}],
     WATCHES_HIT),
    ([{**WATCHES, "kind": "suspect_words"}], [WATCHES], {**WATCHES_HIT, "kind": "suspect_words"}),  # now rejects
    ([{**WATCHES, "words": ["cheap watches", "bridge"]}], [{**WATCHES, "name": "spam"}], WRITTEN_HIT),
], ids=["word-taken-off", "case", "split", "made-banned", "renamed-narrowed"])
def test_a_rule_narrowed_but_still_firing_keeps_holding_and_no_run_is_offered(
        app, promoted, make_comment, before, after, hit):  # noqa: F811 - the fixture, imported
    """Any edit that changed a rule's definition freed every comment it held, though it still fired on
    them: counted as the model's alone, scored, left held by publishing ("other hold 1") and offered
    again after every run."""
    site = promoted
    _save_rules(app, site.id, before)
    _twins(make_comment, site, "Buy CHEAP Watches here", rule_hits=[hit])
    _save_rules(app, site.id, after)
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))


@pytest.mark.parametrize("legacy, words, hit", [
    ({"name": "watches", "kind": "banned_words", "action": "reject", "reason": "banned word",
      "words": ["cheap watches"]}, "Buy cheap watches here", WATCHES_HIT),  # before ranks_with
    ({"name": "streets", "kind": "street_address", "action": "hold", "reason": "a street address"},
     "The planning officer lives at 12 Elm Road",  # before own_street
     {"rule": "streets", "action": "hold", "kind": "street_address", "reason": "a street address"}),
], ids=["ranks_with", "own_street"])
def test_the_first_save_after_an_upgrade_leaves_what_an_unchanged_rule_held_held(
        app, promoted, make_comment, legacy, words, hit):  # noqa: F811 - the fixture, imported
    """A rule saved before a parameter existed gets its default at the next save of any rule: every
    comment it held was then counted as the model's alone, at every site that saved its rules."""
    site = promoted
    with app.app_context():
        db.session.add(RuleSet(site_id=site.id, version=1, rules=[legacy], created_by="test"))
        db.session.commit()
    _twins(make_comment, site, words, rule_hits=[hit])
    assert _counted(app, site.id) == (0, 0)
    _save_rules(app, site.id, [legacy, {"name": "phones", "kind": "phone"}])
    assert (_release_offers(app, site.id), _counted(app, site.id)) == ([], (0, 0))
    _run(app, site.id)
    assert (_publish(app, site.id).published, _counted(app, site.id)) == (0, (0, 0))


def test_a_comment_the_rescore_published_and_the_rules_page_held_again_is_not_offered(
        app, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """Published by the rescore, it kept its arrival's flags, version and scored_at; held again by a
    rule applied to published comments, its new hit was read against the rules of that old scored_at,
    where the rule did not exist: counted, scored, left held, and offered after every run."""
    site = promoted
    alone = _held(make_comment, site, 20, words="The bridge is a scandal")
    _run(app, site.id)
    assert _publish(app, site.id).published == 1
    _save_rules(app, site.id, [{"name": "scandal", "kind": "suspect_words", "words": ["scandal"]}])
    with app.app_context():
        hold_published_matches(db.session, db.session.get(Site, site.id), actor="user:ada")
        db.session.commit()
        assert db.session.get(Comment, alone).status == "held"
    assert _counted(app, site.id) == (0, 0)
    _run(app, site.id)
    assert (_publish(app, site.id).other_hold, _counted(app, site.id)) == (0, (0, 0))


def test_a_hit_the_unchanged_rule_no_longer_fires_on_is_scored_again_as_the_release_publishes(
        app, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """A freephone number an older matcher held: the rule is unchanged but no longer fires on it. The
    release published the in-force version's comment; the old version's twin was never offered."""
    site = promoted
    _save_rules(app, site.id, [{"name": "phones", "kind": "phone"}])
    hit = {"rule": "phones", "action": "hold", "kind": "phone", "reason": "phone number"}
    _twins(make_comment, site, "Call the council free on 0800 123 4567 about the bridge", rule_hits=[hit])
    assert _release_offers(app, site.id) == ["Call the council free on 0800 123 4567 about the bridge 20"]
    assert _counted(app, site.id) == (1, 2)
    _run(app, site.id)
    assert _publish(app, site.id).published == 1


def test_a_rule_set_written_without_its_defaults_still_holds(app, promoted, make_comment):  # noqa: F811
    """Rules written by an older release or by hand lack an action: the matchers need it, and the
    count must neither fail nor count what the list holds as the model's alone."""
    site = promoted
    with app.app_context():
        db.session.add(RuleSet(site_id=site.id, version=1, rules=[WATCHES], created_by="test"))
        db.session.commit()
    _twins(make_comment, site, "Buy cheap watches here", rule_hits=[WATCHES_HIT])
    assert _counted(app, site.id) == (0, 0)
