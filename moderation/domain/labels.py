"""Training labels from the service's own work, each with where it came from.

A moderator's decision adds one labelled example (kind "decision"), each report it resolves adds
one (kind "report_outcome"), each suggestscore call one (kind "suggestscore", perspective/suggest.py).
Undoing or reversing a decision removes the examples that decision added, so the labels always
follow a comment's final decision. What the labels say comes from domain/reason_labels.py.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import REJECTED
from moderation.domain.reason_labels import decision_labels, report_labels
from moderation.models import Comment, LabelledExample, Report, User

DECISION = "decision"
REPORT_OUTCOME = "report_outcome"
SUGGESTSCORE = "suggestscore"
IMPORTED = "import"
KINDS = (DECISION, REPORT_OUTCOME, SUGGESTSCORE, IMPORTED)
# The older `source` column (kept: existing readers filter on it).
SOURCES = {DECISION: "moderator", REPORT_OUTCOME: "report", SUGGESTSCORE: "suggestscore", IMPORTED: "import"}


def record_decision(session: Session, comment: Comment, user: User, reports: list[Report]) -> None:
    """The labels of the decision just applied to `comment` and of the reports it resolved."""
    common = dict(site_id=comment.site_id, comment_id=comment.id, text=comment.text, labelled_by=user.id,
                  actor=f"user:{user.username}", decision=comment.decision, decided_at=comment.decided_at)
    session.add(LabelledExample(kind=DECISION, source=SOURCES[DECISION], reason=comment.decision_reason,
                                labels=decision_labels(comment.decision, comment.decision_reason), **common))
    for report in reports:
        session.add(LabelledExample(kind=REPORT_OUTCOME, source=SOURCES[REPORT_OUTCOME], report_id=report.id,
                                    reason=report.reason, labels=report_labels(report.outcome, report.reason),
                                    **common))


def record_import(session: Session, comment: Comment) -> None:
    """The label of an imported comment's decision, which the site's earlier system made (its
    moderators, by whatever rules it had): its own kind, "import", which the export counts apart and
    `moderation train --site` reads with the site's other labels; withdrawn as a moderator's are when
    its decision is undone."""
    session.add(LabelledExample(kind=IMPORTED, source=SOURCES[IMPORTED], site_id=comment.site_id, comment_id=comment.id,
                                text=comment.text, labelled_by=None, actor=f"site:{comment.site_id}",
                                decision=comment.decision, decided_at=comment.decided_at, reason=comment.decision_reason,
                                labels=decision_labels(comment.decision, None)))


def withdraw_decision(session: Session, comment: Comment) -> list[int]:
    """Delete the examples the comment's current decision added; returns their ids (for the audit log)."""
    if comment.decision is None:
        return []
    mine = (LabelledExample.comment_id == comment.id, LabelledExample.kind.in_((DECISION, REPORT_OUTCOME, IMPORTED)),
            LabelledExample.decision == comment.decision)
    # The standing decision's rows carry its instant. Failing that (the instant was edited), its
    # labels are the comment's latest of the same decision: an earlier decision (approved,
    # reported again, then rejected) keeps its labels, and undone ones are gone already.
    exact = session.scalar(select(func.count()).where(*mine, LabelledExample.decided_at == comment.decided_at))
    latest = comment.decided_at if exact else session.scalar(select(func.max(LabelledExample.decided_at)).where(*mine))
    if latest is None:
        return _withdraw_legacy(session, comment)
    removed = session.scalars(
        delete(LabelledExample).where(*mine, LabelledExample.decided_at == latest)
        .returning(LabelledExample.id).execution_options(synchronize_session=False)
    )
    return sorted(removed)


def _withdraw_legacy(session: Session, comment: Comment) -> list[int]:
    # Rows from before 0014_labels do not say which decision they came from: the newest one of the
    # comment, if its toxicity says what the decision said (a set-aside rejection added none).
    example = session.scalar(
        select(LabelledExample)
        .where(LabelledExample.comment_id == comment.id, LabelledExample.kind == DECISION,
               LabelledExample.decided_at.is_(None))
        .order_by(LabelledExample.id.desc()).limit(1)
    )
    if example is None or example.labels.get("toxicity") != (1 if comment.decision == REJECTED else 0):
        return []
    session.delete(example)
    return [example.id]
