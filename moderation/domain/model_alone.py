"""Which held comments the model alone holds: those the thresholds page's release would publish if
the model's flags went away. The rescore's run, its count, the page's offer and the command read this
one definition, and publishing (threshold_release.nothing_else_holds) then agrees with it.

Publishing runs the rules in force on the text. Doing so here, on every render of the thresholds page
over every held comment, costs seconds to minutes (~7 ms a comment under 50 word-list rules, 43,000
held). Instead a hold stored when the comment was scored is read against the rule that made it, as it
was then (the site's rule set in force at the comment's scored_at), and counts while a rule in force
now, under whatever name, would fire wherever that one did: the same rule, or the same with more words.
So a rule renamed still holds, and one edited to fire elsewhere, or whose name went to another kind,
does not (matching names, a rename freed every comment it held, and an edit freed none). The router's
own holds are read as publishing reads them: a story's or site's hold for a person stays, a strict
story's is the model's own scores, ban evasion holds while the evaded author's ban or suspension is in
force, and a text too long to read whole while a rule in force reads the text.

What this cannot see without reading the text: a rule added, or edited to fire on more than a list's
words, after the comment was scored. Such a comment is counted and scored, and publishing then reads
the rule and leaves it held.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, cast, func, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause
from sqlalchemy.types import DateTime, String

from moderation.domain.ban_evasion import RULE as EVASION_RULE
from moderation.domain.lifecycle import HELD, now
from moderation.domain.rules import _NORMALISED, FLAG, READ_LIMIT
from moderation.domain.sanctions import BARRING_KINDS, KIND_LABELS
from moderation.domain.stories import SITE_HOLD, STORY_HOLD
from moderation.models import Comment, RuleSet, Site

# What a rule is besides its name, its reason and its action (a hold or a reject holds alike).
_NOT_WHAT_FIRES = ("name", "reason", "action")
_FOR_A_PERSON = (STORY_HOLD.rule, SITE_HOLD.rule)


def held_by_model_alone(session: Session, site: Site, attributes: Iterable[str]) -> tuple:
    """The site's held comments the model alone holds now, as where-clauses."""
    spans = holds_in_force(session, site)
    return (Comment.site_id == site.id, Comment.status == HELD, Comment.text_erased_at.is_(None),
            _model_alone(attributes), _held_by_none_of(spans))


def holds_in_force(session: Session, site: Site) -> list[tuple[str, datetime | None, datetime | None]]:
    """(name, from, until): a hold stored under `name` on a comment scored in [from, until) holds it
    now (None: no bound)."""
    versions = session.execute(select(RuleSet.rules, RuleSet.created_at).where(RuleSet.site_id == site.id)
                               .order_by(RuleSet.version)).all()
    current = [r for r in (versions[-1].rules if versions else []) if isinstance(r, dict)]
    holding = [r for r in current if r.get("action") != FLAG]
    spans: list[tuple[str, datetime | None, datetime | None]] = [(name, None, None) for name in _FOR_A_PERSON]
    if any(r.get("kind") in _NORMALISED for r in current):
        spans.append((READ_LIMIT, None, None))
    open_: dict[str, int] = {}  # a name's last span, to lengthen while the next version keeps it
    for n, (rules, since) in enumerate(versions):
        until = versions[n + 1].created_at if n + 1 < len(versions) else None
        for rule in rules or ():
            if not isinstance(rule, dict) or not any(_fires_wherever(rule, now_) for now_ in holding):
                continue
            name = str(rule.get("name"))
            at = open_.get(name)
            if at is not None and spans[at][2] == since:
                spans[at] = (name, spans[at][1], until)
            else:
                open_[name] = len(spans)
                spans.append((name, since, until))
    return spans


def _fires_wherever(then: Mapping[str, Any], now_: Mapping[str, Any]) -> bool:
    """Whether rule `now_` fires on every text rule `then` fired on: the same rule, or its words more."""
    was = {k: v for k, v in then.items() if k not in _NOT_WHAT_FIRES}
    is_ = {k: v for k, v in now_.items() if k not in _NOT_WHAT_FIRES}
    if was == is_:
        return True
    words_then, words_now = was.pop("words", None), is_.pop("words", None)
    return (was == is_ and isinstance(words_then, list) and isinstance(words_now, list)
            and set(words_then) <= set(words_now))


# The evaded author, as ban_evasion.evasion_hits words the hold: the tail anchored, so an id with
# ", " in it is read whole.
_EVADED = ("^the same text as comment #[0-9]+, rejected, by (.*), (?:"
           + "|".join(KIND_LABELS[k] for k in BARRING_KINDS) + ") when this came$")


def _held_by_none_of(spans: list[tuple[str, datetime | None, datetime | None]]) -> TextClause:
    # One pass over a comment's few hits, whatever the number of rules: an OR of one JSONB containment
    # per rule name took the page's count from 147 to 644 ms at 43,000 held and 50 rules.
    return text(
        "NOT EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(comments.rule_hits) = 'array' "
        "THEN comments.rule_hits ELSE '[]'::jsonb END) AS hit WHERE hit->>'action' = 'hold' AND ("
        " EXISTS (SELECT 1 FROM unnest(CAST(:hold_names AS text[]), CAST(:hold_since AS timestamptz[]), CAST(:hold_until AS timestamptz[])) AS span(name, since, until)"
        "  WHERE span.name = hit->>'rule'"
        "  AND (span.since IS NULL OR coalesce(comments.scored_at, comments.received_at) >= span.since)"
        "  AND (span.until IS NULL OR coalesce(comments.scored_at, comments.received_at) < span.until))"
        " OR (hit->>'rule' = :evasion_rule AND EXISTS (SELECT 1 FROM author_sanctions AS s"
        "  WHERE s.site_id = comments.site_id AND s.kind = ANY(CAST(:barring AS text[])) AND s.lifted_at IS NULL"
        "  AND (s.expires_at IS NULL OR s.expires_at > :at)"
        "  AND s.author_id = substring(hit->>'reason' from :evaded)))))"
    ).bindparams(bindparam("hold_names", [s[0] for s in spans], type_=ARRAY(String)),
                 bindparam("hold_since", [s[1] for s in spans], type_=ARRAY(DateTime(timezone=True))),
                 bindparam("hold_until", [s[2] for s in spans], type_=ARRAY(DateTime(timezone=True))),
                 bindparam("evasion_rule", EVASION_RULE), bindparam("barring", list(BARRING_KINDS), type_=ARRAY(String)),
                 bindparam("at", now(), type_=DateTime(timezone=True)), bindparam("evaded", _EVADED))


def _model_alone(attributes: Iterable[str]) -> ColumnElement[bool]:
    """threshold_release.flagged_by_model_alone in SQL: a non-empty list of flags, each an attribute."""
    return and_(func.jsonb_typeof(Comment.flagged) == "array", Comment.flagged != cast(literal("[]"), JSONB),
                Comment.flagged.contained_by(cast(literal(json.dumps(sorted(set(attributes)))), JSONB)))
