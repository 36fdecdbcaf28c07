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
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, cast, exists, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.types import DateTime, String

from moderation.domain.ban_evasion import RULE as EVASION_RULE
from moderation.domain.legal_holds import under_hold
from moderation.domain.lifecycle import HELD, now
from moderation.domain.rules import _NORMALISED, FLAG, READ_LIMIT
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS, in_force_condition
from moderation.domain.stories import SITE_HOLD, STORY_HOLD
from moderation.models import AuthorSanction, Comment, Report, RuleSet, Site, StoryStorm

# What a rule is besides its name, its reason and its action (a hold or a reject holds alike).
_NOT_WHAT_FIRES = ("name", "reason", "action")
_FOR_A_PERSON = (STORY_HOLD.rule, SITE_HOLD.rule)


def held_by_model_alone(session: Session, site: Site, attributes: Iterable[str]) -> tuple:
    """The site's held comments the model alone holds now, as where-clauses."""
    spans = holds_in_force(session, site)
    return (Comment.site_id == site.id, Comment.status == HELD, Comment.text_erased_at.is_(None),
            _model_alone(attributes), _held_by_none_of(spans), *_nothing_else_now())


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


def holds_in_force(session: Session, site: Site) -> list[tuple[str, datetime | None, datetime | None]]:
    """(name, from, until): a hold stored under `name` on a comment scored in [from, until) holds it
    now (None: no bound)."""
    versions = session.execute(select(RuleSet.rules, RuleSet.created_at).where(RuleSet.site_id == site.id)
                               .order_by(RuleSet.version)).all()
    current = [r for r in (versions[-1].rules if versions else []) if isinstance(r, dict)]
    holding: dict[str, list[frozenset[str] | None]] = {}
    for rule in current:
        if rule.get("action") != FLAG:
            rest, words = _what_fires(rule)
            holding.setdefault(rest, []).append(words)
    spans: list[tuple[str, datetime | None, datetime | None]] = [(name, None, None) for name in _FOR_A_PERSON]
    if any(r.get("kind") in _NORMALISED for r in current):
        spans.append((READ_LIMIT, None, None))
    open_: dict[str, int] = {}  # a name's last span, to lengthen while the next version keeps it
    # A name's rule in the version before, and whether it holds now: most of a save's rules are the
    # last version's, and reading each version's every rule afresh cost ~1 ms a version.
    before: dict[str, tuple[dict, bool]] = {}
    for n, (rules, since) in enumerate(versions):
        until = versions[n + 1].created_at if n + 1 < len(versions) else None
        for rule in rules or ():
            if not isinstance(rule, dict):
                continue
            name = str(rule.get("name"))
            last = before.get(name)
            holds = last[1] if last is not None and last[0] == rule else _still_holds(rule, holding)
            before[name] = (rule, holds)
            if not holds:
                continue
            at = open_.get(name)
            if at is not None and spans[at][2] == since:
                spans[at] = (name, spans[at][1], until)
            else:
                open_[name] = len(spans)
                spans.append((name, since, until))
    return spans


def _still_holds(rule: Mapping[str, Any], holding: Mapping[str, list[frozenset[str] | None]]) -> bool:
    """Whether a rule in force that holds fires on every text `rule` fired on: the same rule, or the
    same with more words."""
    rest, words = _what_fires(rule)
    return any(now_ == words or (words is not None and now_ is not None and words <= now_)
               for now_ in holding.get(rest, ()))


def _what_fires(rule: Mapping[str, Any]) -> tuple[str, frozenset[str] | None]:
    """A rule besides its name, reason and action, and apart from that its words (None: it has none)."""
    rest = {k: v for k, v in rule.items() if k not in _NOT_WHAT_FIRES and k != "words"}
    words = rule.get("words")
    return (json.dumps(rest, sort_keys=True, default=str),
            frozenset(map(str, words)) if isinstance(words, list) else None)


# The evaded author, as ban_evasion.evasion_hits words the hold: the tail anchored, so an id with
# ", " in it is read whole.
_EVADED = ("^the same text as comment #[0-9]+, rejected, by (.*), (?:"
           + "|".join(KIND_LABELS[k] for k in BARRING_KINDS) + ") when this came$")


def _held_by_none_of(spans: list[tuple[str, datetime | None, datetime | None]]) -> TextClause:
    # One look-up per stored hit, whatever the number of rules (an OR of one JSONB containment per
    # rule name took the page's count from 147 to 644 ms at 43,000 held and 50 rules); the spans by
    # name as epoch seconds, a comment's hit read against those of its rule's name alone. A hit that
    # only flagged holds too once its rule, unchanged but for its action, holds: publishing reads it so.
    by_name: dict[str, list[list[float]]] = {}
    for name, since, until in spans:
        by_name.setdefault(name, []).append([since.timestamp() if since else -_NO_BOUND,
                                             until.timestamp() if until else _NO_BOUND])
    return text(
        "NOT (jsonb_typeof(comments.rule_hits) IS NOT DISTINCT FROM 'array'"
        " AND comments.rule_hits <> '[]'::jsonb AND ("
        " EXISTS (SELECT 1 FROM jsonb_array_elements(comments.rule_hits) AS hit,"
        "  jsonb_array_elements(CAST(:holds AS jsonb) -> (hit->>'rule')) AS span"
        "  WHERE extract(epoch FROM coalesce(comments.scored_at, comments.received_at)) >= (span->>0)::float8"
        "  AND extract(epoch FROM coalesce(comments.scored_at, comments.received_at)) < (span->>1)::float8)"
        " OR (comments.rule_hits @> CAST(:evasion_hold AS jsonb) AND EXISTS ("
        "  SELECT 1 FROM jsonb_array_elements(comments.rule_hits) AS hit JOIN author_sanctions AS s"
        "  ON s.site_id = comments.site_id AND s.author_id = substring(hit->>'reason' from :evaded)"
        "  WHERE hit->>'rule' = :evasion_rule AND hit->>'action' = 'hold'"
        "  AND s.kind = ANY(CAST(:barring AS text[])) AND s.lifted_at IS NULL"
        "  AND (s.expires_at IS NULL OR s.expires_at > :at)))))"
    ).bindparams(bindparam("holds", json.dumps(by_name)), bindparam("evasion_rule", EVASION_RULE),
                 bindparam("evasion_hold", json.dumps([{"rule": EVASION_RULE, "action": "hold"}])),
                 bindparam("barring", list(BARRING_KINDS), type_=ARRAY(String)),
                 bindparam("at", now(), type_=DateTime(timezone=True)), bindparam("evaded", _EVADED))


_NO_BOUND = 1e12  # seconds: past any comment's time


def _model_alone(attributes: Iterable[str]) -> ColumnElement[bool]:
    """threshold_release.flagged_by_model_alone in SQL: a non-empty list of flags, each an attribute."""
    return and_(func.jsonb_typeof(Comment.flagged) == "array", Comment.flagged != cast(literal("[]"), JSONB),
                Comment.flagged.contained_by(cast(literal(json.dumps(sorted(set(attributes)))), JSONB)))
