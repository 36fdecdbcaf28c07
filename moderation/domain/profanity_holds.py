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

from moderation.domain.lifecycle import APPROVED
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
    """What the candidate under `policy` holds (or rejects unseen) for profanity alone of the decided
    comments: the shipped model had held a sports desk's joy-swears for toxicity and profanity, the
    retrained one for profanity alone, and counting the stored flags missed every one (a re-check)."""
    if PROFANITY not in policy.thresholds:
        return None
    alone = [not rule and held_for_profanity_alone(policy, s) for rule, s in zip(held_by_rule, scores, strict=True)]
    approved = sum(a and not r for a, r in zip(alone, rejected, strict=True))
    if not approved:
        return None
    disliked = sum(a and r for a, r in zip(alone, rejected, strict=True))
    # A site that auto-rejects profanity must raise that threshold too: the settings page refuses a
    # hold threshold above the reject one (a re-check).
    rejects = policy.auto_reject and PROFANITY in policy.reject_thresholds
    lever = ("the \"Hold at\" threshold of profanity" + (" and its auto-reject threshold" if rejects else "")
             + f" on the site's settings page (/admin/sites/{site.id}; docs/moderation.md#a-sites-settings)")
    said = (f"{_comments(approved)} your moderators approved the candidate "
            f"{'holds or rejects' if rejects else 'holds'} for profanity alone: {_NOT_RETRAINING}")
    if disliked >= approved:
        return said + (f" Setting {lever} to 1 would publish them, and {disliked:,} they rejected that it holds for "
                       "profanity alone too: leave it, and decide those by hand.")
    return (said + f" To publish swearing, set {lever} to 1"
            + (f"; it would publish {disliked:,} they rejected too." if disliked else "."))


def training_hint(session: Session, site: Site) -> str | None:
    """Before training, with no candidate yet: approvals held with profanity among the reasons, which
    profanity goes on holding whatever the new model learns of their toxicity. The lever waits for
    the backtest, which knows what the candidate holds and what the lever would publish (a re-check:
    "set it to 1" here would have published the rejections and none of the approvals toxicity held)."""
    if _is_off((site.thresholds or {}).get(PROFANITY)):
        return None
    swore = Comment.flagged.contains(cast(literal(f'["{PROFANITY}"]'), JSONB))
    rows = session.execute(select(Comment.rule_hits).where(
        Comment.site_id == site.id, Comment.decision == APPROVED, Comment.status == APPROVED,
        Comment.text_erased_at.is_(None), swore).limit(CAP)).all()
    approved = sum(1 for row in rows if strongest(stored_hits(row)) not in (HOLD, REJECT))
    if not approved:
        return None
    return (f"{_comments(approved)} your moderators approved {'was' if approved == 1 else 'were'} held with profanity "
            f"among the reasons: {_NOT_RETRAINING} Backtest the candidate: it says how many it still holds for "
            "profanity alone, and the threshold that would publish them.")


_NOT_RETRAINING = ("retraining does not change profanity's holds (an approval teaches the model that a comment is "
                   "not toxic, not that it does not swear).")


def _comments(count: int) -> str:
    return f"{count:,}{'+' if count >= CAP else ''} {'comment' if count == 1 else 'comments'}"


def _is_off(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= OFF
