"""Approvals a retrained model cannot act on: comments held for profanity.

An approval is a label for toxicity only (reason_labels: an approved comment may still swear), so a
sports desk retrained on 95 approved joy-swears still scored their profanity 1.00 and held them. Its
backtest said "held -> published: 0" and a data scientist read the retrain as failed; the lever was
the site's profanity hold threshold, named only in another document (a data scientist's walk). The
backtest and the training run's log say so where it applies, with what the lever would publish that
the moderators rejected.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import cast, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.domain.policy import OFF, Policy
from moderation.domain.rules import HOLD, REJECT, stored_hits, strongest
from moderation.models import Comment, Site

PROFANITY = "profanity"
# Counted up to this many: the hint needs "some", not a scan of a big site's every decision.
CAP = 50_000


def held_for_profanity_alone(policy: Policy, scores: Mapping[str, float]) -> bool:
    """Whether `policy` holds these scores for profanity and no other attribute (as policy.decide flags)."""
    return [a for a, t in policy.thresholds.items() if scores.get(a, 0.0) >= t] == [PROFANITY]


def backtest_hint(site: Site, policy: Policy, held_by_rule: Sequence[bool], scores: Sequence[Mapping[str, float]],
                  rejected: Sequence[bool]) -> str | None:
    """What the candidate under `policy` holds for profanity alone of the decided comments: the shipped
    model had held a sports desk's joy-swears for toxicity and profanity, the retrained one for
    profanity alone, and counting the stored flags missed every one of them (a re-check)."""
    if PROFANITY not in policy.thresholds:
        return None
    alone = [not rule and held_for_profanity_alone(policy, s) for rule, s in zip(held_by_rule, scores, strict=True)]
    approved = sum(a and not r for a, r in zip(alone, rejected, strict=True))
    return _said(site, approved, sum(a and r for a, r in zip(alone, rejected, strict=True)),
                 "the candidate holds for profanity alone")


def training_hint(session: Session, site: Site) -> str | None:
    """Before training, with no candidate yet: approvals held with profanity among the reasons (the
    new model may learn they are not toxic, and profanity goes on holding them), and the rejections
    held for profanity alone, which the lever would publish with them."""
    if _is_off((site.thresholds or {}).get(PROFANITY)):
        return None
    swore = Comment.flagged.contains(cast(literal(f'["{PROFANITY}"]'), JSONB))
    approved = _count(session, site.id, APPROVED, swore)
    if not approved:
        return None
    rejected = _count(session, site.id, REJECTED, Comment.flagged == cast(literal(f'["{PROFANITY}"]'), JSONB))
    return _said(site, approved, rejected, "were held with profanity among the reasons")


def _count(session: Session, site_id: int, decision: str, flagged: object) -> int:
    rows = session.execute(select(Comment.rule_hits).where(
        Comment.site_id == site_id, Comment.decision == decision, Comment.status == decision,
        Comment.text_erased_at.is_(None), flagged).limit(CAP)).all()
    return sum(1 for row in rows if strongest(stored_hits(row)) not in (HOLD, REJECT))


def _said(site: Site, approved: int, rejected: int, how: str) -> str | None:
    if not approved:
        return None
    plus = "+" if approved >= CAP else ""
    said = (f"{approved:,}{plus} {'comment' if approved == 1 else 'comments'} your moderators approved {_verb(how, approved)}: "
            "retraining does not change profanity's holds (an approval teaches the model that a comment is not "
            "toxic, not that it does not swear).")
    if rejected:
        said += f" The same lever would publish {rejected:,} they rejected, held for profanity alone too."
    lever = (f"the \"Hold at\" threshold of profanity on the site's settings page (/admin/sites/{site.id}; "
             "docs/moderation.md#a-sites-settings)")
    if rejected >= approved:
        return said + f" Setting {lever} to 1 would publish at least as many they rejected: leave it, and decide those by hand."
    return said + f" To publish swearing, set {lever} to 1."


def _verb(how: str, count: int) -> str:
    if how.startswith("the candidate"):
        return how
    return how if count != 1 else how.replace("were", "was", 1)


def _is_off(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= OFF
