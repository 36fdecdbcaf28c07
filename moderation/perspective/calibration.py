"""What a Coral site's toxicity threshold would hold, read against its own moderators' decisions.

Coral sends each approval and deletion to `comments:suggestscore`, and those are the only record
of its moderators' decisions here: its comments are scored and never stored. A migrating site's
walk found its thresholds page and backtest blind to them ("0 decided comments") and could only
type 51. Here the texts of its newest decisions are scored as `comments:analyze` answers them
(the model's TOXICITY, raised where the plain-words matchers read a threat, but for a kind the site
keeps only to flag),
and each threshold's effect on them is counted: how many it would hold, how many of those its
moderators deleted, and how many of their deletions it would miss. Coral holds a comment scoring
above its threshold, not at it (toxic.ts: `score > threshold`): counted with `>=`, the row at 95 had
held every comment a rule lifts to exactly 0.95, which a Coral at 95 publishes (a Coral developer's
walk: 48 held on the page, 33 by Coral).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from moderation.domain.model_contract import Model
from moderation.models import LabelledExample
from moderation.perspective import plain_words
from moderation.perspective.suggest import SOURCE

# Scored while the page is drawn: at most a thousand comments, and no more text than scores in about
# two seconds. A re-check's thousand 19 KB comments had kept the page 205 s.
MAX_DECISIONS = 1000
MAX_CHARACTERS = 300_000
# A comment longer than this is left out of the table rather than spend the page's budget: twelve
# 19,000-character decisions sent last had pushed out the sixty before them (a third re-check).
LONGEST = 2_000
# From 0.1: Wikipedia talk's insults score low and rank well (a reviewer's 28 held 11 at 0.51, 95 of
# 154 toxic comments held at 0.3 and 110 at 0.2), and a site wanting most of them could not read
# from the table where that is.
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
ATTRIBUTE = "toxicity"


@dataclass(frozen=True)
class ThresholdEffect:
    threshold: float
    held: int
    held_deleted: int  # of the held, those its moderators deleted
    deleted: int  # its moderators' deletions in all

    @property
    def precision(self) -> float | None:
        return self.held_deleted / self.held if self.held else None

    @property
    def recall(self) -> float | None:
        return self.held_deleted / self.deleted if self.deleted else None


@dataclass(frozen=True)
class CoralCalibration:
    decisions: int
    deleted: int
    first: datetime | None
    last: datetime | None
    rows: list[ThresholdEffect]
    current: ThresholdEffect | None = None  # at the model's own threshold, as the docs have Coral given it
    cut_short: bool = False  # fewer than the site has: their texts passed MAX_CHARACTERS


def suggested_decisions(session: Session, site_id: int,
                        limit: int | None = None) -> tuple[list[tuple[str, bool, datetime]], bool]:
    """(text, deleted, when) of the site's newest `limit` Coral comments decided through suggestscore,
    each LONGEST characters at most, whose texts add up to at most MAX_CHARACTERS, newest first, and
    whether that budget left some out; each by its last decision (Coral's
    clientToken: a comment approved, then deleted, counts as deleted). Only decisions: a plain
    client's suggested score is no moderator's word, and had been counted as a deletion (a re-check).
    Repeats of one comment are folded before the limit: 2,000 calls for one clientToken had left a
    table of one comment (a re-check)."""
    limit = limit or MAX_DECISIONS
    decided = or_(LabelledExample.labels.has_key("rejected"), LabelledExample.labels.has_key("approved"))
    comment = func.coalesce(LabelledExample.client_token, "#" + cast(LabelledExample.id, String))
    last = (select(LabelledExample.text, LabelledExample.labels, LabelledExample.created_at, LabelledExample.id)
            .where(LabelledExample.site_id == site_id, LabelledExample.source == SOURCE, decided)
            .ext(distinct_on(comment)).order_by(comment, LabelledExample.created_at.desc(), LabelledExample.id.desc())
            .subquery())
    rows = session.execute(select(last.c.text, last.c.labels, last.c.created_at)
                           .order_by(last.c.created_at.desc(), last.c.id.desc()).limit(limit))
    found, characters = [], 0
    for text, labels, at in rows:
        if len(text) > LONGEST:
            continue
        characters += len(text)
        if found and characters > MAX_CHARACTERS:
            return found, True
        found.append((text, bool((labels or {}).get("rejected")), at))
    return found, False


def calibrate(model: Model, decisions: list[tuple[str, bool, datetime]], current: float | None = None,
              cut_short: bool = False, kinds: frozenset[str] = frozenset()) -> CoralCalibration:
    """`kinds`: the kinds whose matchers raise the site's scores, as comments:analyze's do
    (plain_words.lifting)."""
    texts = [text for text, _, _ in decisions]
    scores = [plain_words.raised(found, plain_words.floors(text, kinds)).get(ATTRIBUTE, 0.0)
              for text, found in zip(texts, model.score(texts) if texts else [], strict=True)]
    deleted = [flag for _, flag, _ in decisions]

    def effect(threshold: float) -> ThresholdEffect:
        held = [flag for score, flag in zip(scores, deleted, strict=True) if score > threshold]
        return ThresholdEffect(threshold, len(held), sum(held), sum(deleted))

    when = [at for _, _, at in decisions]
    # The model's threshold as Coral is given it, a whole percentage (docs/perspective.md): 0.511 is
    # typed as 51, and Coral then holds above 0.51, not above 0.511.
    typed = round(current * 100) / 100 if current is not None else None
    return CoralCalibration(len(decisions), sum(deleted), min(when, default=None), max(when, default=None),
                            [effect(t) for t in THRESHOLDS], effect(typed) if typed is not None else None,
                            cut_short=cut_short)
