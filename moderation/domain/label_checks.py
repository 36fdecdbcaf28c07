"""Whose decisions a candidate would learn against the model's surest scores, said before it is promoted.

An admin's walk: one moderator approved 60 insults the model scored near 1.00, and the candidate
trained on them published fresh insults ("You ignorant cretin, go away" 0.99 -> 0.19) while the run's
log, the card and the promotion's question said nothing. A moderator who overrules the model where it
is surest, often and in one direction, is either the house style (sports banter a site allows) or a
mistake or worse; a person should read those decisions before a model learns them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, func, select
from sqlalchemy.orm import Session

from classifiers.sources import OWN_SOURCE_PREFIX
from moderation.domain.label_export import sites_learnt_from
from moderation.domain.labels import DECISION
from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.models import Comment, CommentRevision, LabelledExample, Site

SURE = 0.9  # the model's toxicity at or above which an approval, or at or below 1 - SURE a rejection, overrules it
MIN_OVERRULED = 10
MIN_SHARE = 0.25


@dataclass(frozen=True)
class Overruling:
    moderator: str  # "bob"
    decisions: int
    approved_sure_toxic: int
    rejected_sure_civil: int

    @property
    def overruled(self) -> int:
        return self.approved_sure_toxic + self.rejected_sure_civil

    def sentence(self, site: str) -> str:
        parts = ([f"approved {self.approved_sure_toxic} the model scored {SURE:g} or more toxic"]
                 if self.approved_sure_toxic else []) + (
            [f"rejected {self.rejected_sure_civil} it scored {1 - SURE:.1g} or less"] if self.rejected_sure_civil else [])
        return (f"{self.moderator} {' and '.join(parts)} ({self.overruled} of their {self.decisions} decisions on "
                f"{site}): read them (the queue's Approved or Rejected tab, Decided by {self.moderator}) before a "
                "model learns them")


def overrulings(session: Session, site: Site, *, until: datetime | None = None) -> list[Overruling]:
    """The moderators whose decisions on `site` (made before `until`) overrule the model's surest scores
    at least MIN_OVERRULED times and in at least MIN_SHARE of their decisions, most first."""
    # The scores of the text decided: the comment's own, or those an edit kept with the text it replaced
    # (a re-check found an edited text's scores read for the decision, then a second one found edited
    # decisions dropped from the count while training still learnt them).
    kept_with_revision = (select(CommentRevision.scores["toxicity"].astext.cast(Float))
                          .where(CommentRevision.comment_id == LabelledExample.comment_id,
                                 CommentRevision.text == LabelledExample.text)
                          .order_by(CommentRevision.revision.desc()).limit(1).scalar_subquery())
    score = case((LabelledExample.text == Comment.text, Comment.scores["toxicity"].astext.cast(Float)),
                 else_=kept_with_revision)
    approved_toxic = func.count().filter(LabelledExample.decision == APPROVED, score >= SURE)
    rejected_civil = func.count().filter(LabelledExample.decision == REJECTED, score <= 1 - SURE)
    query = (select(LabelledExample.actor, func.count(), approved_toxic, rejected_civil)
             .join(Comment, Comment.id == LabelledExample.comment_id)
             .where(LabelledExample.site_id == site.id, LabelledExample.kind == DECISION,
                    LabelledExample.actor.is_not(None))
             .group_by(LabelledExample.actor))
    if until is not None:
        query = query.where(LabelledExample.created_at <= until)
    found = [Overruling(actor.removeprefix("user:"), total, toxic, civil)
             for actor, total, toxic, civil in session.execute(query)]
    return sorted((o for o in found if o.overruled >= MIN_OVERRULED and o.overruled >= MIN_SHARE * o.decisions),
                  key=lambda o: -o.overruled)


def overruling_note(session: Session, card: dict[str, Any] | None) -> str:
    """For a promotion's question and the card: whose labels, learnt by this version, overrule the model
    where it was surest; "" when none."""
    own = ((card or {}).get("training_data") or {}).get("own_labels") or {}
    said = []
    for name in sorted(sites_learnt_from(card)):
        site = session.scalar(select(Site).where(Site.name == name))
        if site is None:
            continue
        info = own.get(f"{OWN_SOURCE_PREFIX}{name}")
        until = _instant(info.get("read_at")) if isinstance(info, dict) else None
        said.extend(o.sentence(name) for o in overrulings(session, site, until=until))
    return f" It learnt decisions that overrule the model where it was surest: {'; '.join(said)}." if said else ""


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
