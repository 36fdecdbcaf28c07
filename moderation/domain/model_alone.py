"""Which held comments the model alone holds: those the thresholds page's release would publish if
the model's flags went away. The rescore's run, its count, the page's offer and the command read this
one definition, and publishing (threshold_release.nothing_else_holds) then agrees with it.

Publishing runs the rules in force on the text. Doing so here, on every render of the thresholds page
over every held comment, costs minutes (~9 ms a comment under 50 word-list rules: 6 minutes at 43,000
held), most of it normalising the whole text. Instead each stored hit is read again by the rules in
force that hold, on what it found: the words a word list's or phrase's reason quotes (a few
characters, each distinct one once), or the text where it quotes none. Matching the hit's rule as it
was when the comment was scored by its exact definition freed every comment a rule held once it was
narrowed at all, and read a hit stored after scoring against rules that were not yet there. The
router's own holds are read as publishing reads them: a story's or site's hold for a person stays, a
strict story's is the model's own scores, ban evasion holds while the evaded author's ban or
suspension is in force, and a text too long to read whole while a rule in force reads the text.

The author's sanction, a legal hold, a storm and an open report are read as they are now, as
publishing reads them, and so is a story or site set to hold every comment for a person since. What
this does not see: a rule added since that fires elsewhere in the text than the stored hits found,
and a ban evasion found only since.
Such a comment is counted and scored, and publishing then reads it and leaves it held.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, cast, exists, false, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.types import DateTime, Integer, String

from moderation.domain.ban_evasion import EVADED_AUTHOR
from moderation.domain.ban_evasion import RULE as EVASION_RULE
from moderation.domain.legal_holds import under_hold
from moderation.domain.lifecycle import HELD, now
from moderation.domain.rule_sets import current_rules
from moderation.domain.errors import ValidationFailed
from moderation.domain.rules import FLAG, NORMALISED_KINDS, READ_ACTIVITY_KINDS, READ_LIMIT, Compiled, Facts, validate_rules
from moderation.domain.sanctions import BARRING_KINDS, in_force_condition
from moderation.domain.stories import SITE_HOLD, STORY_HOLD, holds_all, premoderated_story
from moderation.models import AuthorSanction, Comment, Report, Site, StoryStorm

_FOR_A_PERSON = (STORY_HOLD.rule, SITE_HOLD.rule)


def held_by_model_alone(session: Session, site: Site, attributes: Iterable[str]) -> tuple:
    """The site's held comments the model alone holds now, as where-clauses."""
    besides = (Comment.site_id == site.id, Comment.status == HELD, Comment.text_erased_at.is_(None),
               _model_alone(attributes), *_nothing_else_now(), *_no_hold_for_a_person_now(site))
    return (*besides, _held_by_no_rule(session, site, besides))


def _nothing_else_now() -> tuple:
    """What publishing reads besides the text (threshold_release.nothing_else_holds), in SQL: the
    author's sanction in force, a legal hold, a storm on the story, a report open on it. Counted as the
    model's alone, a banned author's comment was scored, offered again and again, and never published.
    A moderator's claim is not read here: it lasts minutes, and publishing leaves the comment to them."""
    at = now()
    sanctioned = exists().where(AuthorSanction.site_id == Comment.site_id, AuthorSanction.author_id == Comment.author_id,
                                in_force_condition(at))
    stormy = exists().where(StoryStorm.site_id == Comment.site_id, StoryStorm.story_id == Comment.story_id,
                            StoryStorm.ended_at.is_(None))
    reported = exists().where(Report.comment_id == Comment.id, Report.outcome.is_(None))
    return (~sanctioned, ~under_hold(), ~stormy,
            or_(func.coalesce(Comment.report_weight, 0) == 0, ~reported))


def _no_hold_for_a_person_now(site: Site) -> tuple:
    """A story pre-moderated or the site set to hold every comment since the comment was scored:
    publishing (stories.story_hit) leaves it held for a person. Counted as the model's alone, such a
    comment was scored, left held, and offered again after every run."""
    return (false(),) if holds_all(site) else (~premoderated_story(Comment.site_id, Comment.story_id),)


# What a word list's or phrase's hit found, as its reason words it: '...: "listed"' or '...: "listed"
# written "written"' as scoring stores it, '...: listed' as hits stored before the quotes have it.
_FOUND = re.compile(r': (?:"(?P<listed>[^"]+)"(?: written "(?P<written>[^"]+)")?|(?P<bare>[^"]+))$')


def _held_by_no_rule(session: Session, site: Site, besides: tuple) -> ColumnElement[bool]:
    """No stored hit holds the comment now (ban evasion, read in SQL, aside)."""
    rules = _readable(current_rules(session, site.id))
    holding = [r for r in rules if r.get("action") != FLAG]
    kinds = {str(r.get("name")): r.get("kind") for r in rules}
    # Two sets: the word lists and phrases read only what a hit found (normalising a whole text is
    # most of the 9 ms a comment), the rest read the text, which costs them little.
    reader = _Reader(Compiled([r for r in holding if r.get("kind") in NORMALISED_KINDS]),
                     Compiled([r for r in holding if r.get("kind") not in (*NORMALISED_KINDS, *READ_ACTIVITY_KINDS)]),
                     {r.get("kind") for r in holding if r.get("kind") in READ_ACTIVITY_KINDS},
                     any(r.get("kind") in NORMALISED_KINDS for r in rules), kinds)
    hits = func.coalesce(Comment.rule_hits, cast(literal("[]"), JSONB), type_=JSONB)
    # Each distinct list of hits once, with its comments' ids: decoding every comment's hits was most
    # of the count's time, and held comments share few lists (a rule's reason and the word it found).
    stored = session.execute(select(Comment.rule_hits, func.array_agg(Comment.id))
                             .where(*besides, func.jsonb_typeof(hits) == "array",
                                    hits != cast(literal("[]"), JSONB)).group_by(Comment.rule_hits)).all()
    # The comments none of whose hits hold, not those one does: a comment held by a rule after this
    # read is left out of the count, never counted as the model's alone. The text is fetched only for
    # a hit that quotes no words: fetching every one doubled the read.
    alone, undecided = [], []
    for comment_hits, ids in stored:
        said = [reader.holds(hit) for hit in comment_hits if isinstance(hit, dict)]
        if True in said:
            continue
        (undecided if None in said else alone).extend(ids)
    for start in range(0, len(undecided), 1000):
        for id_, text_, author_name, comment_hits in session.execute(
                select(Comment.id, Comment.text, Comment.author_name, Comment.rule_hits)
                .where(Comment.id.in_(undecided[start:start + 1000]))):
            if not any(reader.holds(hit, text_ or "", author_name or "")
                       for hit in comment_hits or () if isinstance(hit, dict)):
                alone.append(id_)
    no_hits = or_(func.jsonb_typeof(hits) != "array", hits == cast(literal("[]"), JSONB))
    return and_(or_(no_hits, text("comments.id IN (SELECT unnest(CAST(:alone AS integer[])))").bindparams(
        bindparam("alone", alone, type_=ARRAY(Integer)))), _no_evasion_in_force())


def _readable(stored: list[Any]) -> list[dict[str, Any]]:
    """The rules in force with their defaults filled in, as the matchers need them: a set written by an
    older release or by hand may lack an action (a KeyError, and a 500 on the page). A rule that no
    longer validates is left out, one at a time, not the whole set."""
    rules = []
    for rule in stored:
        try:
            rules.extend(validate_rules([rule]))
        except ValidationFailed:
            continue
    return rules


class _Reader:
    """Whether a stored hit holds now: a holding rule in force fires on what it found."""

    def __init__(self, words: Compiled, others: Compiled, activity: set, reads_text: bool,
                 kinds: Mapping[str, Any]) -> None:
        self.words, self.others, self.activity, self.reads_text, self.kinds = words, others, activity, reads_text, kinds
        self.read: dict[tuple[int, str, str], bool] = {}  # a word is read once however many hits found it

    def holds(self, hit: Mapping[str, Any], text_: str | None = None, author_name: str = "") -> bool | None:
        """True or False; None when only the text can tell and `text_` was not given."""
        rule = hit.get("rule")
        if rule in _FOR_A_PERSON:
            return True
        if rule == EVASION_RULE:
            return False
        if rule == READ_LIMIT:
            return self.reads_text
        kind = hit.get("kind") or self.kinds.get(str(rule))
        if kind in READ_ACTIVITY_KINDS:
            # What the author had done when the comment came, which reading the matched text again cannot
            # see: the hit holds while a rule of its kind holds, as the one that made it did.
            return kind in self.activity
        found = _FOUND.search(str(hit.get("reason") or ""))
        if (kind in NORMALISED_KINDS or kind is None) and found is not None:
            if self._fires(self.words, found["written"] or found["listed"] or found["bare"], ""):
                return True
            if kind in NORMALISED_KINDS:
                return False
        if text_ is None:
            return None
        if (kind in NORMALISED_KINDS or kind is None) and found is None and self._fires(self.words, text_, ""):
            return True  # a reason without its words: the text, rarely
        return kind not in NORMALISED_KINDS and self._fires(self.others, text_, author_name)

    def _fires(self, compiled: Compiled, text_: str, author_name: str) -> bool:
        key = (id(compiled), author_name, text_)
        if key not in self.read:
            self.read[key] = any(h.action != FLAG for h in compiled.evaluate(text_, Facts(author_name=author_name)))
        return self.read[key]


def _no_evasion_in_force() -> TextClause:
    """No ban evasion hold whose evaded author's ban or suspension is still in force."""
    return text(
        "NOT (jsonb_typeof(comments.rule_hits) IS NOT DISTINCT FROM 'array'"
        " AND comments.rule_hits @> CAST(:evasion_hold AS jsonb) AND EXISTS ("
        "  SELECT 1 FROM jsonb_array_elements(comments.rule_hits) AS hit JOIN author_sanctions AS s"
        "  ON s.site_id = comments.site_id AND s.author_id = substring(hit->>'reason' from :evaded)"
        "  WHERE hit->>'rule' = :evasion_rule AND hit->>'action' = 'hold'"
        "  AND s.kind = ANY(CAST(:barring AS text[])) AND s.lifted_at IS NULL"
        "  AND (s.expires_at IS NULL OR s.expires_at > :at)))"
    ).bindparams(bindparam("evasion_rule", EVASION_RULE),
                 bindparam("evasion_hold", json.dumps([{"rule": EVASION_RULE, "action": "hold"}])),
                 bindparam("barring", list(BARRING_KINDS), type_=ARRAY(String)),
                 bindparam("at", now(), type_=DateTime(timezone=True)), bindparam("evaded", EVADED_AUTHOR))


def _model_alone(attributes: Iterable[str]) -> ColumnElement[bool]:
    """threshold_release.flagged_by_model_alone in SQL: a non-empty list of flags, each an attribute."""
    return and_(func.jsonb_typeof(Comment.flagged) == "array", Comment.flagged != cast(literal("[]"), JSONB),
                Comment.flagged.contained_by(cast(literal(json.dumps(sorted(set(attributes)))), JSONB)))
