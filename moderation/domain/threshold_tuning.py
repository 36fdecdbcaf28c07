"""Choosing a site's hold threshold for one attribute from its own moderators' decisions.

No rescoring: the scores stored on the comments are read back. The decided comments (the last N
whose decision still stands; rejected = positive) give the PR curve, precision and recall; every
comment the site received over the days those came in gives the held-per-day volume, since a
lower threshold also holds comments that were published and never decided.

For toxicity every rejection is a positive. For another attribute only a rejection whose reason
names it is ("Threat or incitement to violence" for threat; moderation/domain/reason_labels.py),
and rejections for other reasons are left out: counting every rejection as a threat, a helper's
site was offered "hold at threat 0.002".

An admin asks for a target precision (the lowest threshold reaching it, so recall is highest:
classifiers.metrics.threshold_for_precision) or a target number held per day (the lowest threshold
holding no more), previews the effect, and saves: the site's `thresholds` change, audited.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
from sqlalchemy import Float, select
from sqlalchemy.orm import Session

from classifiers.comparison import effect_at, highest_below, pr_curve, threshold_for_volume
from classifiers.metrics import threshold_for_precision
from moderation.domain.backtest import DEFAULT_LIMIT, MAX_LIMIT
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import DECIDED, REJECTED
from moderation.domain.label_export import FEW_OF_A_KIND, one_sided
from moderation.domain.policy import MIN_THRESHOLD, OFF, reject_below_hold
from moderation.domain.reason_labels import rejection_labels
from moderation.domain.status import audit
from moderation.domain.typed_numbers import typed_float
from moderation.domain.written import span_days, span_words, written_at, written_bounds
from moderation.models import Comment, Site, User

PRECISION = "precision"
VOLUME = "volume"
TARGETS = (PRECISION, VOLUME)
# How far past the limit to read for it, as rejections for other reasons are left out: a bound on
# one preview's work where nearly every rejection is spam. At least SCAN_AT_LEAST rows: four times
# a small limit came back empty behind a dozen spam rejections (a re-check).
SCAN_FACTOR = 4
SCAN_AT_LEAST = 20_000


@dataclass
class TuningData:
    attribute: str
    y: np.ndarray              # decided comments: 1 rejected, 0 approved
    score: np.ndarray          # their stored score for the attribute
    volume_score: np.ndarray   # every scored comment received in the same days
    days: float
    current: float | None      # the threshold in force (the site's, else the model's)
    # How many of the decided comments each model version scored, and the version scoring the site
    # now: after a promotion the curve is the old version's, and Save writes the new one's threshold.
    versions: dict[str, int] = field(default_factory=dict)
    scoring_now: str | None = None

    @property
    def decided(self) -> int:
        return len(self.y)


def tuning_data(session: Session, site: Site, attribute: str, *, model_threshold: float | None,
                limit: int = DEFAULT_LIMIT, scoring_now: str | None = None) -> TuningData:
    limit = max(1, min(int(limit), MAX_LIMIT))
    stored = Comment.scores[attribute].astext.cast(Float)
    decided = session.execute(
        select(Comment.decision, Comment.decision_reason, stored.label("score"), written_at().label("written_at"),
               Comment.model_version)
        .where(Comment.site_id == site.id, Comment.decision.in_(DECIDED), Comment.status == Comment.decision,
               Comment.scores.has_key(attribute))
        .order_by(Comment.decided_at.desc(), Comment.id.desc()).limit(max(limit * SCAN_FACTOR, SCAN_AT_LEAST))
        .execution_options(yield_per=min(limit * 2, 5000))
    )
    # The limit counts the comments that inform this attribute: cut before the rejections for other
    # reasons were left out, the last five decisions (all spam) left insult "no decided comment" (a walk).
    rows = list(islice((r for r in decided if attribute == "toxicity" or r.decision != REJECTED
                        or rejection_labels(r.decision_reason).get(attribute) == 1), limit))
    decided.close()
    current = site.thresholds.get(attribute, model_threshold)
    if not rows:
        return TuningData(attribute, np.zeros(0), np.zeros(0), np.zeros(0), 1.0, current, scoring_now=scoring_now)
    first, last = written_bounds([r.written_at for r in rows])
    volume = session.scalars(
        select(stored).where(Comment.site_id == site.id, Comment.scores.has_key(attribute),
                             written_at() >= first, written_at() <= last)
    ).all()
    return TuningData(
        attribute,
        y=np.array([r.decision == REJECTED for r in rows], dtype=int),
        score=np.array([r.score for r in rows], dtype=float),
        volume_score=np.array(volume, dtype=float),
        days=span_days(first, last),
        current=None if current is None else float(current),
        versions=dict(Counter(r.model_version or "unknown" for r in rows)),
        scoring_now=scoring_now,
    )


def parse_target(kind: str | None, raw: str | None) -> tuple[str, float]:
    """The form's target as (kind, value), or ValidationFailed naming the field."""
    if kind not in TARGETS:
        raise ValidationFailed("choose a target precision or a target number held per day", field="target")
    try:
        value = typed_float(raw or "")
    except ValueError:
        raise ValidationFailed("the target must be a number", field="value") from None
    if kind == PRECISION and not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise ValidationFailed("the target precision must be above 0 and at most 1", field="value")
    if kind == VOLUME and not (math.isfinite(value) and value >= 0.0):
        raise ValidationFailed("the number held per day must be 0 or more", field="value")
    return kind, value


def preview(data: TuningData, kind: str, value: float) -> dict[str, Any]:
    """The threshold the target implies and its effect next to the current threshold's. Saves nothing."""
    if data.decided == 0:
        raise ValidationFailed(f"no decided comments of this site have a {data.attribute} score yet",
                               field="attribute")
    note = None
    if kind == PRECISION:
        if data.y.min() == data.y.max():
            if data.attribute != "toxicity" and not data.y.any():
                raise ValidationFailed(f"no rejection of these comments gives a reason that names "
                                       f"{data.attribute.replace('_', ' ')}: its precision cannot be estimated "
                                       "(a target number held per day still works)", field="value")
            raise ValidationFailed("moderators have only approved, or only rejected, these comments: "
                                   "precision cannot be estimated", field="value")
        found = threshold_for_precision(data.y, data.score, value)
        threshold = found["threshold"]
        if not found["target_reached"]:
            note = f"No threshold reaches precision {value:.2f}; this is the most precise one."
        if threshold > HIGHEST_HOLD:
            # Seven rejections scored 1.0 offered "Save insult ≥ 1.000", which holds nothing (a re-check).
            threshold = HIGHEST_HOLD
            note = (f"{note} " if note else "") + (f"It is the highest hold, {HIGHEST_HOLD:g}: "
                                                   f"{OFF:g} would turn the hold off.")
    else:
        threshold = threshold_for_volume(data.volume_score, value, data.days, off=OFF)
    chosen = _effect(data, threshold)
    if kind == PRECISION and found["target_reached"] and (chosen["precision"] or 0.0) < value:
        # Capped below 1, it also holds what scored just under it: 0.33 offered for a target of 0.9,
        # with no word of it (a re-check).
        note = f"No threshold below {OFF:g} reaches precision {value:.2f}. " + (note or "")
    if kind == VOLUME and chosen["held_per_day"] > value:
        note = (f"No threshold below {OFF:g}, which turns the hold off, holds as few as {_per_day(value)} a day; "
                f"this one holds the fewest.")
    current = _effect(data, data.current) if data.current is not None else None
    return {
        "attribute": data.attribute, "kind": kind, "value": value, "note": note,
        "decided": data.decided, "days": data.days, "chosen": chosen, "current": current,
        "warnings": _warnings(data, chosen, current), "blocked": too_few_for(data, kind),
    }


HIGHEST_HOLD = highest_below(OFF)  # saved thresholds have six places; OFF itself holds nothing


def _effect(data: TuningData, threshold: float) -> dict[str, Any]:
    """effect_at, but a threshold at OFF holds nothing, as the policy drops it (the page had shown a
    site's 1.0 holding 168 a day)."""
    if threshold >= OFF:
        return {**effect_at(data.y, data.score, math.inf, data.days, data.volume_score),
                "threshold": float(threshold), "off": True}
    return effect_at(data.y, data.score, threshold, data.days, data.volume_score)


# A precision target is not offered for saving on fewer decisions than this, with FEW_OF_A_KIND of
# each kind: a head of community was offered "Save toxicity ≥ 0.998" from 22 decisions, which would
# have published everything below it.
MIN_DECIDED_FOR_PRECISION = 100


def too_few_for(data: TuningData, kind: str) -> str | None:
    """Why a threshold for this kind of target may not be saved from these decisions, or None."""
    if kind != PRECISION:
        return None
    approved, rejected = int((data.y == 0).sum()), int(data.y.sum())
    if data.decided >= MIN_DECIDED_FOR_PRECISION and not one_sided(rejected, approved):
        return None
    return (f"a precision target needs {MIN_DECIDED_FOR_PRECISION} decided comments, {FEW_OF_A_KIND} of them "
            f"approved and {FEW_OF_A_KIND} rejected, and there are {data.decided} ({approved} approved, {rejected} "
            "rejected). Aim at a number held per day instead, or wait for more decisions")


def _per_day(n: float) -> str:
    return f"{n:.1f}".removesuffix(".0") if n < 10 else f"{n:,.0f}"


# Recall below this is a hold all but switched off.
FEW_CAUGHT = 0.1
# Held per day this many times today's is a change in moderators' work worth a second look.
MUCH_MORE_HELD = 1.5


def other_versions_warning(data: TuningData) -> str | None:
    """Said when decided comments were scored by another version than the one scoring the site now:
    after a promotion, an admin tuned here on the previous version's scores and undid the retrain
    (an admin's walk; the warning came only after Preview, beside Save)."""
    others = sum(n for version, n in data.versions.items() if version != data.scoring_now)
    if not data.scoring_now or not others:
        return None
    scored_by = ", ".join(f"{v} ({n})" for v, n in sorted(data.versions.items(), key=lambda item: -item[1])
                          if v != data.scoring_now)
    return (f"{others} of these {data.decided} comments were scored by another version than "
            f"{data.scoring_now}, which scores this site now: {scored_by}. A threshold chosen on their "
            "scores may hold a very different share under the version in use; decide some of its "
            "comments first, or compare the two with a backtest.")


def _warnings(data: TuningData, chosen: dict[str, Any], current: dict[str, Any] | None) -> list[str]:
    """What the table alone hides. Precision is counted over decided comments, which are mostly
    ones the model held or readers reported: a target of 0.9 was met at 0.071 on them, where about
    0.73 of all comments at or above it were really toxic. The table shows it for either kind of target."""
    found = []
    rejected = int(data.y.sum())
    if rejected and not chosen.get("recall"):
        # "5 a day" offered 0.999994, which held none of them, with no word of it (a moderator's walk).
        found.append(f"This holds none of the {rejected} comments moderators rejected: the model would "
                     f"hardly hold anything for {data.attribute.replace('_', ' ')}.")
    elif rejected and chosen["recall"] < FEW_CAUGHT:
        # "100 a day" offered insult 0.999997 at recall 0.007, with no word of it (an admin's walk).
        found.append(f"This holds {chosen['recall']:.1%} of the {rejected} comments moderators rejected: it all but "
                     f"turns off holding for {data.attribute.replace('_', ' ')}.")
    if data.days < 1:
        found.append(f"These decisions came in over {span_words(data.days)}, so held per day assumes the whole day "
                     "brings comments at that rate.")
    if current is not None and chosen["held_per_day"] > MUCH_MORE_HELD * max(current["held_per_day"], 1.0):
        found.append(f"This holds {_per_day(chosen['held_per_day'])} comments a day where the current threshold "
                     f"holds {_per_day(current['held_per_day'])}: more work for the moderators, "
                     "and more readers waiting.")
    if (scored_elsewhere := other_versions_warning(data)) is not None:
        found.append(scored_elsewhere)
    approved, rejected = int((data.y == 0).sum()), int(data.y.sum())
    fewer = one_sided(rejected, approved)
    if fewer:
        # Said of the side that is short: the explanation had described too few approvals where there
        # were no rejections (a migrating site's walk).
        why = ("a threshold that holds nearly everything looks precise when nearly every decided comment was "
               "rejected" if fewer == "approved" else
               "with hardly any rejection to find, precision and recall say little about what a threshold holds")
        found.append(f"Only {approved if fewer == 'approved' else rejected} {fewer}: a precision over so few comments "
                     f"is a guess: {why}. A target number held per day does not lean on them.")
    found.append(f"Precision and recall here count only the {data.decided} comments moderators decided "
                 f"({int(data.y.sum())} rejected), and most comments are decided because they were held or "
                 "reported. Of all the comments a low threshold holds, those scoring at or above it, far fewer "
                 "would be rejected: compare held per day before saving.")
    return found


def curve(data: TuningData) -> dict[str, list[float]]:
    return pr_curve(data.y, data.score)


def save_target_threshold(session: Session, site: Site, data: TuningData, kind: str, value: float, threshold: float,
                          *, user: User, previewed_current: str | None = None) -> None:
    """Save the hold threshold the page offered for a target, if `data` still gives it: not one a
    target may not be saved from (too_few_for), nor a number the target does not give (a posted 0.998
    was saved as sent from 4 decisions, an adversarial walk), nor over a threshold someone changed
    after the preview (`previewed_current`, the one in force then, as the form sent it). The caller commits."""
    if data.current is not None and math.isclose(data.current, threshold, abs_tol=1e-6):
        # Already so: the same form sent twice (a double click, Back and resend) had been refused as
        # "changed since your preview, by someone else" (an admin's walk).
        return
    _refuse_if_changed_since_preview(previewed_current, data.current, data.attribute)
    blocked = too_few_for(data, kind)  # the page offers no Save then; a form posted anyway is refused the same way
    if blocked:
        raise ValidationFailed(blocked, field="value")
    implied = preview(data, kind, value)["chosen"]["threshold"]
    if not math.isclose(implied, threshold, abs_tol=1e-6):
        raise ValidationFailed(f"the decisions changed since the page was shown: the target now gives "
                               f"{implied:.3f}; look at it again before saving", field="threshold")
    save_threshold(session, site, data.attribute, threshold, user=user, target={"kind": kind, "value": value})


def _refuse_if_changed_since_preview(previewed: str | None, current: float | None, attribute: str) -> None:
    """Another admin changed the threshold after this one's preview: saving had replaced theirs
    without a word to either (an admin's walk). A form from before this field was sent is let through."""
    if previewed is None:
        return
    try:
        then = typed_float(previewed) if previewed.strip() else None
    except ValueError:
        raise ValidationFailed("the preview this form came from cannot be read; preview again", field="threshold") from None
    if then != current and not (then is not None and current is not None and math.isclose(then, current)):
        now_text = f"{current:.3f}" if current is not None else "the model's default"
        raise ValidationFailed(f"the {attribute.replace('_', ' ')} threshold was changed to {now_text} since your "
                               "preview, by someone else; preview again", field="threshold")


def save_threshold(session: Session, site: Site, attribute: str, threshold: float, *, user: User,
                   target: dict[str, Any] | None = None) -> None:
    """Set the site's hold threshold for `attribute`, audited like any settings change. The caller commits."""
    if not (math.isfinite(threshold) and 0.0 <= threshold <= 1.0):
        raise ValidationFailed("the threshold must be between 0 and 1", field="threshold")
    kept = round(float(threshold), 6)
    if kept <= 0:  # 1e-9 was stored as 0, which holds every comment: no target here chooses that
        raise ValidationFailed(f"the threshold must be at least {MIN_THRESHOLD:f}: below it, it would hold every "
                               "comment, however civil", field="threshold")
    # The row as stored, locked until the commit: from the copy the page loaded, a save here checked
    # and overwrote settings another admin had saved since (auto-reject 0.6 stood beside hold 0.8,
    # and their threshold change was lost: a re-check).
    session.refresh(site, with_for_update=True)
    # Whether or not auto-reject is on now, as the site page checks: with it off, such a pair was
    # saved here, and the site page then refused to turn it on (a re-check).
    if reject_below_hold({attribute: kept}, site.reject_thresholds or {}):
        # Saved anyway, the site page refused every later save, even of its moderation mode.
        rejecting = site.reject_thresholds[attribute]
        raise ValidationFailed(f"the site's {attribute.replace('_', ' ')} auto-reject threshold ({rejecting:g}) is below "
                               "this hold threshold: raise or clear it on the site's page first",
                               field="threshold")
    old = dict(site.thresholds or {})
    new = {**old, attribute: kept}
    site.thresholds = new
    audit(session, f"user:{user.username}", "site:settings_changed", site_id=site.id, site=site.name,
          setting="thresholds", old=old, new=new, via="threshold tuning", target=target or {})

