"""Approvals a retrained model cannot act on: comments held for profanity alone.

An approval is a label for toxicity only (reason_labels: an approved comment may still swear), so a
sports desk retrained on 95 approved joy-swears still scored their profanity 1.00 and held them. Its
backtest said "held -> published: 0" and a data scientist read the retrain as failed; the lever was
the site's profanity hold threshold, named only in another document (a data scientist's walk). The
backtest and the training run's log say so where it applies.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import cast, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED
from moderation.domain.policy import OFF, site_policy
from moderation.domain.rules import HOLD, REJECT, stored_hits, strongest
from moderation.models import Comment, Site

PROFANITY = "profanity"
# Counted up to this many: the hint needs "some", not a scan of a big site's every approval.
CAP = 50_000


def approved_held_for_profanity_alone(session: Session, site_id: int) -> int:
    """The site's standing approvals that the model held for profanity and nothing else: no other
    attribute, and no rule that held it (a rule's hit is not among the flags)."""
    rows = session.execute(select(Comment.rule_hits).where(
        Comment.site_id == site_id, Comment.decision == APPROVED, Comment.status == APPROVED,
        Comment.flagged == cast(literal(f'["{PROFANITY}"]'), JSONB)).limit(CAP)).all()
    return sum(1 for row in rows if strongest(stored_hits(row)) not in (HOLD, REJECT))


def profanity_hint(session: Session, site: Site, attributes: Iterable[str] | None = None,
                   model_thresholds: Mapping[str, float] | None = None) -> str | None:
    """What to do about approvals held for profanity alone, when some are and the site's thresholds
    over this model's still hold for profanity; None otherwise (a site that set it to 1 did it).
    Without a model (before training, none exists yet) only the site's own setting is read."""
    if attributes is None:
        holds = not _is_off((site.thresholds or {}).get(PROFANITY))
    else:
        holds = PROFANITY in site_policy(site, attributes, model_thresholds or {}).thresholds
    count = approved_held_for_profanity_alone(session, site.id) if holds else 0
    if not count:
        return None
    were = "comment your moderators approved was" if count == 1 else "comments your moderators approved were"
    return (f"{count:,}{'+' if count >= CAP else ''} {were} held for profanity alone: retraining does not change "
            "that (an approval teaches the model that a comment is not toxic, not that it does not swear). To "
            "publish swearing, set the \"Hold at\" threshold of profanity to 1 on the site's settings page "
            f"(/admin/sites/{site.id}; docs/moderation.md#a-sites-settings).")


def _is_off(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= OFF
