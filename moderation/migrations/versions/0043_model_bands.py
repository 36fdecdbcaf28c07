"""comments: held comments ranked again by the model's bands (6 December)

This release ranks what the model holds by what it flagged and how sure it is (policy.MODEL_BANDS):
a standards editor's audit had found the largest score/threshold ratio put "you are stupid" beside
"he not white hes a kike" and an identity attack at 1.00 below toxicity's 1.96. Nothing ranks a
held comment's scores again until it is decided, so the comments held before the upgrade would keep
the old scale among the new (a toxicity hold at 1.96 above a new identity attack's 1.00-over-0.931).

For each comment still held by the model alone, with stored scores, no rule's hold and no reports'
share or late lift in its priority, the priority is computed again with the thresholds in force
now: its scoring version's card under the site's own, halved on a strict story (policy.stricter), as
releasing held comments reads them. A comment a rule holds or readers reported keeps its priority: a
rule's floor, a word list's *Ranks with*, another language's abuse and the reports' caps cannot be
read back from a priority (a re-check found this migration's first version dropping a word list
ranked with hate from 3.56 to 1.32, and lifting an untried reader's self-harm report past 3.99);
the model's share of those is a hundredth of it, and reported comments rank again when their next
report or decision comes. A comment whose version is not in the registry is left as it was. The
bands are copied here as this release has them: a migration must not change when the code does.
One pass over the held comments in batches of BATCH by id (100,000 in about 30 s).

Revision ID: 0043_model_bands
Revises: 0042_held_rescores
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043_model_bands"
down_revision = "0042_held_rescores"
branch_labels = None
depends_on = None

# policy.MODEL_BANDS as of this release.
BANDS = {"profanity": (0.5, 0.95), "toxicity": (1.0, 1.35), "insult": (1.4, 1.65), "severe_toxicity": (1.7, 1.95),
         "identity_attack": (2.935, 2.97), "threat": (3.5, 3.95)}
BATCH = 1000


def _ratio(score: float, threshold: float) -> float:
    return score / max(threshold, 0.000001) if threshold > 0 else (1.0 + score if score > 0 else 0.0)


def _new(thresholds: dict[str, float], scores: dict[str, float]) -> float:
    priority = 0.0
    for attribute, threshold in thresholds.items():
        score = scores.get(attribute, 0.0)
        if score < threshold:
            priority = max(priority, _ratio(score, threshold))
            continue
        floor, ceiling = BANDS.get(attribute, BANDS["toxicity"])
        margin = 1.0 if threshold >= 1 else min(max((score - threshold) / (1 - threshold), 0.0), 1.0)
        priority = max(priority, floor + (ceiling - floor) * margin)
    return priority


def _holding(hits: object) -> bool:
    return isinstance(hits, list) and any(isinstance(h, dict) and h.get("action") in ("hold", "reject") for h in hits)


def _thresholds(card: object, site: object, strict: bool) -> dict[str, float]:
    found = card.get("thresholds") if isinstance(card, dict) else None
    if not isinstance(found, dict):
        return {}
    reliable = card.get("attributes") if isinstance(card.get("attributes"), list) else list(found)
    merged = {a: float(t) for a, t in found.items()
              if a in reliable and isinstance(t, (int, float)) and not isinstance(t, bool)}
    for attribute, value in (site if isinstance(site, dict) else {}).items():
        if attribute in merged and isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[attribute] = float(value)
    return {a: (t * 0.5 if strict else t) for a, t in merged.items() if t < 1.0}


def upgrade() -> None:
    bind = op.get_bind()
    cards = dict(bind.execute(sa.text("SELECT version, card FROM model_versions")).all())
    sites = dict(bind.execute(sa.text("SELECT id, thresholds FROM sites")).all())
    strict = set(bind.execute(sa.text("SELECT site_id, story_id FROM stories WHERE strict")).all())
    after = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, site_id, story_id, model_version, scores, rule_hits, scored_priority, priority FROM comments "
            "WHERE status = 'held' AND scores IS NOT NULL AND scored_priority IS NOT NULL AND id > :after "
            f"ORDER BY id LIMIT {BATCH}"), {"after": after}).all()
        if not rows:
            break
        after = rows[-1][0]
        updates = []
        for comment_id, site_id, story_id, version, scores, hits, scored, priority in rows:
            if version not in cards or not isinstance(scores, dict) or _holding(hits) or abs(priority - scored) > 1e-6:
                continue
            thresholds = _thresholds(cards[version], sites.get(site_id), (site_id, story_id) in strict)
            if not thresholds:
                continue
            numbers = {a: float(s) for a, s in scores.items()
                       if isinstance(s, (int, float)) and not isinstance(s, bool)}
            model = round(_new(thresholds, numbers), 6)
            if model != scored:
                updates.append({"id": comment_id, "scored": model, "priority": model})
        if updates:
            bind.execute(sa.text("UPDATE comments SET scored_priority = :scored, priority = :priority WHERE id = :id"),
                         updates)


def downgrade() -> None:
    # The old scale is not kept: an older release ranks what it scores anew by its own, and these by these.
    pass
