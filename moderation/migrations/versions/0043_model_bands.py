"""comments: held comments ranked again by the model's bands (6 December)

This release ranks what the model holds by what it flagged and how sure it is (policy.MODEL_BANDS):
a standards editor's audit had found the largest score/threshold ratio put "you are stupid" beside
"he not white hes a kike" and an identity attack at 1.00 below toxicity's 1.96. Nothing ranks a
held comment's scores again until it is decided, so the comments held before the upgrade would keep
the old scale among the new (a toxicity hold at 1.96 above a new identity attack's 1.00-over-0.931).

For each comment still held with stored scores, the model's part of its priority is computed again
with the thresholds in force now: its scoring version's card under the site's own, halved on a
strict story (policy.stricter), as releasing held comments reads them. A rule's floor it had is kept
(found from the old priority, else from its hits' kinds), and the model's part added to it as
rules.rule_priority adds it. The queue priority moves by as much (reports' share unchanged); one a
late report lifted (policy.overdue_priority) is lifted again from its share. A comment whose version
is not in the registry is left as it was. The bands and constants are copied here as this release
has them: a migration must not change when the code does. One pass over the held comments in
batches of BATCH by id; not timed at scale.

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

# policy.MODEL_BANDS, the old policy.URGENCY, rules.MODEL_SHARE, the rules' floors and
# policy.OVERDUE_REPORT_PRIORITY as of this release.
BANDS = {"profanity": (0.5, 0.95), "toxicity": (1.0, 1.35), "insult": (1.4, 1.65), "severe_toxicity": (1.7, 1.95),
         "identity_attack": (2.935, 2.97), "threat": (3.5, 3.95)}
OLD_URGENCY = {"profanity": 0.5, "threat": 2.0}
MODEL_SHARE, LIFT, FLOORS = 0.01, 2.9, (1.0, 2.0, 3.0, 4.0, 100.0)
KIND_PRIORITY = {"phone": 2.0, "email": 2.0, "street_address": 2.0, "payment_card": 2.0, "social_handle": 2.0,
                 "ban_evasion": 2.0, "group_attack": 3.0, "threat_words": 4.0, "urging_self_harm": 4.0,
                 "contact_seeking": 4.0, "at_risk": 100.0}
BATCH = 1000


def _ratio(score: float, threshold: float) -> float:
    return score / max(threshold, 0.000001) if threshold > 0 else (1.0 + score if score > 0 else 0.0)


def _old(thresholds: dict[str, float], scores: dict[str, float]) -> float:
    return max((_ratio(scores.get(a, 0.0), t) * OLD_URGENCY.get(a, 1.0) for a, t in thresholds.items()), default=0.0)


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


def _rule_floor(scored: float, old: float, hits: object) -> float | None:
    holding = [h for h in hits if isinstance(h, dict) and h.get("action") in ("hold", "reject")] \
        if isinstance(hits, list) else []
    if not holding:
        return None
    # A floor above the model's part left max(old, floor) + share: exactly one of FLOORS, word lists'
    # ranks and another language's abuse included, which the hits' kinds do not say.
    implied = scored - MODEL_SHARE * old
    nearest = min(FLOORS, key=lambda floor: abs(floor - implied))
    if implied > old and abs(nearest - implied) < 0.001:
        return nearest
    return max(KIND_PRIORITY.get(str(h.get("kind", "")), 1.0) for h in holding)


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


def _ranked(scored: float, priority: float, model: float, old: float, hits: object) -> tuple[float, float]:
    floor = _rule_floor(scored, old, hits)
    new_scored = round(model if floor is None else max(model, floor) + MODEL_SHARE * model, 6)
    lifted_from = (priority - LIFT) * 100
    if scored < LIFT <= priority < LIFT + 0.03 and lifted_from >= scored - 0.001:
        again = new_scored + (lifted_from - scored)
        return new_scored, round(again if again >= LIFT else LIFT + max(again, 0.0) / 100, 6)
    return new_scored, round(priority + new_scored - scored, 6)


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
            if version not in cards or not isinstance(scores, dict):
                continue
            thresholds = _thresholds(cards[version], sites.get(site_id), (site_id, story_id) in strict)
            if not thresholds:
                continue
            numbers = {a: float(s) for a, s in scores.items()
                       if isinstance(s, (int, float)) and not isinstance(s, bool)}
            model, old = _new(thresholds, numbers), _old(thresholds, numbers)
            new_scored, new_priority = _ranked(scored, priority, model, old, hits)
            if (new_scored, new_priority) != (scored, priority):
                updates.append({"id": comment_id, "scored": new_scored, "priority": new_priority})
        if updates:
            bind.execute(sa.text("UPDATE comments SET scored_priority = :scored, priority = :priority WHERE id = :id"),
                         updates)


def downgrade() -> None:
    # The old scale is not kept: an older release ranks what it scores anew by its own, and these by these.
    pass
