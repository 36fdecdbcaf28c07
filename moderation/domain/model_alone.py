"""Which held comments the model alone holds: those the thresholds page's release would publish if
the model's flags went away. The rescore's run, its count, the page's offer and the command read this
one definition, and publishing (threshold_release.nothing_else_holds) then agrees with it.

Publishing runs the rules in force on the text. Doing so here, on every render of the thresholds page
over every held comment, costs minutes (~9 ms a comment under 50 word-list rules: 6 minutes at 43,000
held). Instead a hold stored when the comment was scored is read against the rule that made it, as it
was then (the site's rule set in force at the comment's scored_at), and counts while a rule in force
now, under whatever name, would fire wherever that one did: the same rule, or the same with more words.
So a rule renamed still holds, and one edited to fire elsewhere, or whose name went to another kind,
does not (matching names, a rename freed every comment it held, and an edit freed none). The router's
own holds are read as publishing reads them: a story's or site's hold for a person stays, a strict
story's is the model's own scores, ban evasion holds while the evaded author's ban or suspension is in
force, and a text too long to read whole while a rule in force reads the text.

The author's sanction, a legal hold, a storm and an open report are read as they are now, as
publishing reads them. What this cannot see without reading the text: a rule added, or edited to
fire on more than a list's words, after the comment was scored, and a ban evasion found only since.
Such a comment is counted and scored, and publishing then reads it and leaves it held.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, cast, exists, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.types import DateTime, Integer, String

from moderation.domain.ban_evasion import RULE as EVASION_RULE
from moderation.domain.legal_holds import under_hold
from moderation.domain.lifecycle import HELD, now
from moderation.domain.rule_sets import current_rules
from moderation.domain.rules import _NORMALISED, _READ_ACTIVITY, FLAG, READ_LIMIT, Compiled, Facts
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS, in_force_condition
from moderation.domain.stories import SITE_HOLD, STORY_HOLD
from moderation.models import AuthorSanction, Comment, Report, Site, StoryStorm

# What a rule is besides its name, its reason and its action (a hold or a reject holds alike).
_NOT_WHAT_FIRES = ("name", "reason", "action")
_FOR_A_PERSON = (STORY_HOLD.rule, SITE_HOLD.rule)


def held_by_model_alone(session: Session, site: Site, attributes: Iterable[str]) -> tuple:
    """The site's held comments the model alone holds now, as where-clauses."""
    besides = (Comment.site_id == site.id, Comment.status == HELD, Comment.text_erased_at.is_(None),
               _model_alone(attributes), *_nothing_else_now())
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


# Kinds that read the author's activity when the comment came (Facts), which reading the matched text
# again cannot see: their hit holds while a rule of the kind holds, as the one that made it did.
_ACTIVITY = (*_READ_ACTIVITY, "flood")
# The words a word list or phrase kind found, as evaluate words its reason: '...: "listed"' or
# '...: "listed" written "written"'.
_QUOTED = re.compile(r': "(?P<listed>[^"]+)"(?: written "(?P<written>[^"]+)")?(?: \(in the author\'s name\))?$')


def _held_by_no_rule(session: Session, site: Site, besides: tuple) -> ColumnElement[bool]:
    """No stored hit holds: each is read again by the rules in force that hold, as publishing reads the
    comment. A hit's rule was once matched against its rule as it was then (the rule set in force when
    the comment was scored), which freed every comment a rule held once it was narrowed at all: a word
    taken off its list, its case changed, a list split in two, a parameter filled in by a later save.
    The rules are run on the words the hit found (a few characters, once per distinct word) where its
    reason quotes them, and on the comment's text where it doesn't (contact details, links, shouting).
    A hit the rule now misses (a matcher narrowed since) no longer holds, as publishing reads it."""
    rules = [r for r in current_rules(session, site.id) if isinstance(r, dict)]
    holding = [r for r in rules if r.get("action") != FLAG]
    kinds = {str(r.get("name")): r.get("kind") for r in rules}
    compiled = Compiled([r for r in holding if r.get("kind") not in _ACTIVITY])
    activity = {r.get("kind") for r in holding if r.get("kind") in _ACTIVITY}
    reads_text = any(r.get("kind") in _NORMALISED for r in rules)
    hits = func.coalesce(Comment.rule_hits, cast(literal("[]"), JSONB), type_=JSONB)
    stored = session.execute(select(Comment.id, Comment.text, Comment.author_name, Comment.rule_hits)
                             .where(*besides, func.jsonb_typeof(hits) == "array",
                                    hits != cast(literal("[]"), JSONB))).all()
    read: dict[str, bool] = {}

    def fires(words: str, author_name: str = "") -> bool:
        key = f"{author_name}\0{words}"
        if key not in read:
            read[key] = any(h.action != FLAG for h in compiled.evaluate(words, Facts(author_name=author_name)))
        return read[key]

    alone = []
    for id_, text_, author_name, comment_hits in stored:
        if not any(_holds(hit, text_ or "", author_name or "", kinds, activity, reads_text, fires)
                   for hit in comment_hits if isinstance(hit, dict)):
            alone.append(id_)
    no_hits = or_(func.jsonb_typeof(hits) != "array", hits == cast(literal("[]"), JSONB))
    return and_(or_(no_hits, text("comments.id = ANY(:alone)").bindparams(
        bindparam("alone", alone, type_=ARRAY(Integer)))), _no_evasion_in_force())


def _holds(hit: Mapping[str, Any], text_: str, author_name: str, kinds: Mapping[str, Any], activity: set,
           reads_text: bool, fires: Callable[..., bool]) -> bool:
    """Whether a stored hit holds the comment now (ban evasion aside: read in SQL)."""
    rule = hit.get("rule")
    if rule in _FOR_A_PERSON:
        return True
    if rule == EVASION_RULE:
        return False
    if rule == READ_LIMIT:
        return reads_text
    kind = hit.get("kind") or kinds.get(str(rule))
    if kind in _ACTIVITY:
        return kind in activity
    quoted = _QUOTED.search(str(hit.get("reason") or ""))
    if quoted is not None and not str(hit.get("reason")).endswith("(in the author's name)"):
        return fires(quoted["written"] or quoted["listed"])
    return fires(text_, author_name)


# The evaded author, as ban_evasion.evasion_hits words the hold: the tail anchored, so an id with
# ", " in it is read whole.
_EVADED = ("^the same text as comment #[0-9]+, rejected, by (.*), (?:"
           + "|".join(KIND_LABELS[k] for k in BARRING_KINDS) + ") when this came$")


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
                 bindparam("at", now(), type_=DateTime(timezone=True)), bindparam("evaded", _EVADED))


def _model_alone(attributes: Iterable[str]) -> ColumnElement[bool]:
    """threshold_release.flagged_by_model_alone in SQL: a non-empty list of flags, each an attribute."""
    return and_(func.jsonb_typeof(Comment.flagged) == "array", Comment.flagged != cast(literal("[]"), JSONB),
                Comment.flagged.contained_by(cast(literal(json.dumps(sorted(set(attributes)))), JSONB)))
