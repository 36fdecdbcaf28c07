"""A site's rule sets: the version in force, saving a new version (audited), and the preview.

Every save adds a version; the newest is in force, and earlier ones stay for the record (the
editor lists them). The preview runs a proposed set over the site's last PREVIEW_SIZE comments
with the very facts the scorer would load, so "would have held 37" is what saving then does.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.lifecycle import audit
from moderation.domain.rule_facts import load_facts
from moderation.domain.rules import KINDS, Compiled, validate_rules
from moderation.json_numbers import finite_numbers
from moderation.models import Comment, RuleSet, Site

PREVIEW_SIZE = 1000
MAX_RULES_TEXT = 200_000
# What a new site starts with (`keys create --rules starter`): the rules that hold what the model is
# known to miss, threats and hate said in ordinary words ("Someone should shoot the mayor." scores
# threat 0.29, "I hate women." toxicity 0.38), comments it cannot read ("Du bist ein
# geistesgestörter Idiot" scores toxicity 0.1), and a reader's personal information, which is civil
# ("I know where the councilman lives: 12 Oak Street" scores 0.03). All are narrow: over the shared
# data the first two fire on 36 and 41 of 112,067 comments people labelled civil, the third on
# 0.06 % of all comments, most of them truly not English, and the last four together on 187 of
# 112,067, most of them real numbers and addresses (bench/personal_information.py).
STARTER_RULES: tuple[dict[str, Any], ...] = (
    {"name": "threats", "kind": "threat_words"},
    {"name": "group-hate", "kind": "group_attack"},
    {"name": "at-risk", "kind": "at_risk"},
    {"name": "urging-self-harm", "kind": "urging_self_harm"},
    {"name": "other-language", "kind": "other_language"},
    {"name": "phone-numbers", "kind": "phone"},
    {"name": "email-addresses", "kind": "email"},
    {"name": "street-addresses", "kind": "street_address"},
    {"name": "card-numbers", "kind": "payment_card"},
)


def starter_rules() -> list[dict[str, Any]]:
    """STARTER_RULES with their kinds' defaults filled in, as a save would store them."""
    return validate_rules([dict(rule) for rule in STARTER_RULES])


def parse_rules_text(text: str | None) -> list[dict[str, Any]]:
    """The editor's JSON, validated; a blank editor is an empty rule set."""
    text = (text or "").strip() or "[]"
    if len(text) > MAX_RULES_TEXT:
        raise ValidationFailed(f"the rules may be at most {MAX_RULES_TEXT} characters", field="rules")
    try:
        raw = json.loads(text, **_NUMBERS)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValidationFailed(f"the rules are not valid JSON: {error.msg[:1].lower()}{error.msg[1:]} at {where}",
                               field="rules") from None
    except RecursionError:  # "[[[[…": the parser gives up past Python's recursion limit
        raise ValidationFailed("the rules are nested too deeply to be rules", field="rules") from None
    except ValueError:  # a number of over 4,300 digits, which Python refuses to read (a 500 in a re-check)
        raise ValidationFailed("the rules are not valid JSON: a number in them is too long", field="rules") from None
    return validate_rules(raw)


_NUMBERS = finite_numbers(lambda what: ValidationFailed(f"the rules are not valid JSON: {what}", field="rules"))


def current_rule_set(session: Session, site_id: int) -> RuleSet | None:
    return session.scalar(select(RuleSet).where(RuleSet.site_id == site_id).order_by(RuleSet.version.desc()).limit(1))


def current_rules(session: Session, site_id: int) -> list[dict[str, Any]]:
    rule_set = current_rule_set(session, site_id)
    return list(rule_set.rules) if rule_set else []


def rule_names(session: Session, site_ids: list[int]) -> list[str]:
    """The names of the rules in force on these sites, sorted: what the queue's Rule filter offers
    (a free text box had to be typed from memory; left since several stops). One query."""
    newest = (select(RuleSet.rules).where(RuleSet.site_id.in_(site_ids))
              .ext(distinct_on(RuleSet.site_id)).order_by(RuleSet.site_id, RuleSet.version.desc()))
    names = {str(rule.get("name")) for rules in session.scalars(newest) for rule in rules or []
             if isinstance(rule, dict) and rule.get("name")}
    return sorted(names)


class StaleRules(Conflict):
    """Another save came between the editor's opening and saving: `version` is the one in force now."""

    def __init__(self, message: str, *, field: str, version: int) -> None:
        super().__init__(message, field=field)
        self.version = version


class TakesAway(ValidationFailed):
    """A save that would take rules away, unasked: `removing` names them, `protective` those of them
    that hold threats, hate and readers at risk."""

    def __init__(self, message: str, *, removing: list[str], protective: list[str]) -> None:
        super().__init__(message, field="rules")
        self.removing = removing
        self.protective = protective


def taken_away(in_force: list[dict[str, Any]], rules: list[dict[str, Any]]) -> list[str]:
    """The rules in force a save of `rules` would take away, to ask about first, whichever way the set
    was made (the form, the JSON editor, or any other caller of save_rules): every rule in force that
    `rules` keeps neither by name (same kind, and not turned to `flag` from holding) nor, renamed, by
    what it holds (same kind and settings). A newcomer pasted what a warning asked for and took the
    personal-information rules away unasked; a re-check saved the phone and e-mail rules as flags;
    and a tester's refused paste, loaded into the form, saved from the form's own button, whose
    check had read the protections only: 7 of 12 rules went, and a phone number, an e-mail, a home
    address and a Russian insult were published. The protections are named last if not already."""
    pasted = {rule["name"]: rule for rule in rules}
    unmatched = [rule for rule in rules if rule["name"] not in {kept["name"] for kept in in_force}]
    gone = []
    for rule in in_force:
        same = pasted.get(rule["name"])
        if same is not None and same["kind"] == rule["kind"] and _still_holds(rule, same):
            continue
        renamed = next((new for new in unmatched if _settings(new) == _settings(rule) and _still_holds(rule, new)),
                       None)
        if renamed is not None:  # a rename is no rule taken away (a re-check): what it holds stays held
            unmatched.remove(renamed)
            continue
        gone.append(rule["name"])
    return gone + [name for name in protections_removed(in_force, rules) if name not in gone]


def _still_holds(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """`new` does what `old` did to a comment it fires on: kept as a flag only, it publishes it."""
    return new.get("action") != "flag" or old.get("action") == "flag"


def _settings(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule less what names or describes it: its kind and settings."""
    return {key: value for key, value in rule.items() if key not in ("name", "reason", "action")}


def rule_version(session: Session, site_id: int, version: int) -> RuleSet | None:
    return session.scalar(select(RuleSet).where(RuleSet.site_id == site_id, RuleSet.version == version))


def rule_versions(session: Session, site_id: int, limit: int = 20) -> list[RuleSet]:
    return list(session.scalars(
        select(RuleSet).where(RuleSet.site_id == site_id).order_by(RuleSet.version.desc()).limit(limit)))


# Kinds that keep readers safe: a newsroom that pasted only the lines it meant to add lost them, and
# an editor's walk saw "Nobody would miss me now." and "When he gets out he's a dead man." published.
PROTECTIVE_KINDS = tuple(name for name, kind in KINDS.items() if kind.protective)


def protections_removed(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """The names of `old`'s holding rules of a PROTECTIVE_KINDS kind that `new` holds with none of: a
    kind kept but only as `flag` publishes what it finds, as if taken away (a re-check saved all four so)."""
    def holding(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [rule for rule in rules if rule["kind"] in PROTECTIVE_KINDS and rule["action"] != "flag"]

    kept = {rule["kind"] for rule in holding(new)}
    return [rule["name"] for rule in holding(old) if rule["kind"] not in kept]


def save_rules(session: Session, site: Site, rules: list[dict[str, Any]], *, actor: str,
               based_on: int | None = None, take_away: bool | Collection[str] = False) -> RuleSet | None:
    """Add a version holding `rules` (already validated), audited; None when nothing changed.

    `based_on` is the version the editor showed: if another admin saved since, this save is a
    Conflict rather than silently dropping their rules. A save that takes rules away (`taken_away`)
    is refused as TakesAway, naming each, unless `take_away` agrees to them: the names the admin was
    shown and ticked "Take them away" for (a tick given for some does not take away one more), or
    True for all. Every way of saving rules goes through here, so each asks alike. The caller commits.
    """
    current = current_rule_set(session, site.id)
    current_version = current.version if current else 0
    if based_on is not None and based_on != current_version:
        raise StaleRules(f"the rules changed to version {current_version} while you edited version {based_on}",
                         field="rules", version=current_version)
    in_force = current.rules if current else []
    removing = taken_away(in_force, rules)
    agreed = set(removing) if take_away is True else set(take_away or ())
    if not set(removing) <= agreed:
        raise TakesAway(f"these rules take away {', '.join(removing)}", removing=removing,
                        protective=protections_removed(in_force, rules))
    if current is not None and current.rules == rules or current is None and not rules:
        return None
    new = RuleSet(site_id=site.id, version=current_version + 1, rules=rules, created_by=actor)
    session.add(new)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise StaleRules("another admin saved the rules at the same moment", field="rules",
                         version=current_version + 1) from None
    audit(session, actor, "site:rules_changed", site_id=site.id, site=site.name, version=new.version,
          old=current.rules if current else [], new=rules)
    return new


# Per rule, shown: enough to see what it catches, or that it catches the wrong thing; and kept, for a
# list the page folds: a business desk's "scam-words held 83" showed three pitches and hid the civil
# "cut 10% of its workforce" and "WhatsApp groups of tech founders" it had caught too.
PREVIEW_EXAMPLES = 3
PREVIEW_MORE_EXAMPLES = 100


@dataclass(frozen=True)
class PreviewExample:
    comment_id: int
    text: str  # the start of the comment
    reason: str  # what the rule read in it


@dataclass
class Preview:
    comments: int = 0
    by_rule: dict[str, Counter] = field(default_factory=dict)  # rule name -> {action: comments}
    matched: int = 0  # comments at least one rule fired on
    examples: dict[str, list[PreviewExample]] = field(default_factory=dict)  # rule name -> newest first
    unread: int = 0  # comments too long for the rules to read whole: held as such, whatever the rules

    def fired(self, name: str) -> int:
        return sum(self.by_rule.get(name, Counter()).values())


def recent_comment_ids(site_id: int, limit: int = PREVIEW_SIZE, *,  # noqa: ANN201 (a scalar subquery)
                       status: str | None = None):
    """The ids of the site's last `limit` comments received (with `status`, of those in it): what the
    preview and the backfill of published comments look at."""
    query = select(Comment.id).where(Comment.site_id == site_id, *([Comment.status == status] if status else []))
    return query.order_by(Comment.received_at.desc(), Comment.id.desc()).limit(limit).scalar_subquery()


def preview(session: Session, site_id: int, rules: list[dict[str, Any]], *, limit: int = PREVIEW_SIZE) -> Preview:
    """What `rules` would have done to the site's last `limit` comments."""
    comments = list(session.scalars(
        select(Comment).where(Comment.id.in_(recent_comment_ids(site_id, limit)))
        .order_by(Comment.received_at.desc(), Comment.id.desc())))
    result = Preview(comments=len(comments), by_rule={r["name"]: Counter() for r in rules})
    if not rules:
        return result
    compiled = Compiled(rules)
    facts = load_facts(session, comments, rules)
    for comment in comments:
        hits = compiled.evaluate(comment.text, facts[comment.id])
        for hit in hits:
            if hit.rule not in result.by_rule:  # no rule of the site's: "too long to read" (a 500 in a re-check)
                result.unread += 1
                continue
            result.by_rule[hit.rule][hit.action] += 1
            shown = result.examples.setdefault(hit.rule, [])
            if len(shown) < PREVIEW_MORE_EXAMPLES:
                shown.append(PreviewExample(comment.id, (comment.text or "")[:160], hit.reason))
        result.matched += bool(hits)
    return result

