"""comments.rule_hits: the rule's kind on hits stored before it was recorded (2 December)

What hides a held comment on a post-moderation site (lifecycle.HIDING_RULE_KINDS) and how urgently
a rule's hold is queued (rules.Kind.priority) are read from each hit's "kind". Hits stored by
releases before 2 December have only the rule's name, so an operator's walk found the phone
numbers held the week before the upgrade still shown on a post-moderation site, and the week's
phone and address holds queued at 1.0 under the new ones at 2.0.

The kind comes from the site's rules by the hit's name: the version in force when the comment was
scored (the newest saved by then), else any version naming it, newest first. A hit no rule names
(a pre-moderated story's, or a rule renamed since) is left as it was. For comments still held, the
scored priority rises to what the kind says, as rules.rule_priority gives a new hold, and the queue
priority by as much (reports' share unchanged). The kinds' priorities are copied here as this
release has them: a migration must not change when the code does. One pass over the comments,
in batches of BATCH by id, each row with such hits rewritten: not timed at scale; as 0027, run it
in a quiet hour on a large database.

Visibility is not stored: filling the kind hides those comments. Their sites learn it from the
`comment.status_changed` events `moderation up` / `db upgrade` queue after migrating
(moderation/domain/upgrade_visibility.py).

Revision ID: 0038_rule_hit_kinds
Revises: 0037_legal_holds
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0038_rule_hit_kinds"
down_revision = "0037_legal_holds"
branch_labels = None
depends_on = None

# rules.KINDS[kind].priority and rules.WORD_LIST_RANKS as of this release.
KIND_PRIORITY = {"phone": 2.0, "email": 2.0, "street_address": 2.0, "payment_card": 2.0, "social_handle": 2.0,
                 "group_attack": 3.0, "threat_words": 4.0, "urging_self_harm": 4.0, "contact_seeking": 4.0,
                 "at_risk": 100.0}
WORD_LIST_RANKS = {"suspect words": 1.0, "personal information": 2.0, "hate": 3.0, "threats": 4.0, "at risk": 100.0}
AT_RISK_RANK, MODEL_SHARE, BATCH = "at risk", 0.01, 1000


def _lacks_kind() -> str:
    return ("c.rule_hits IS NOT NULL AND jsonb_typeof(c.rule_hits) = 'array' AND EXISTS ("
            "SELECT 1 FROM jsonb_array_elements(c.rule_hits) h WHERE jsonb_typeof(h) = 'object' AND NOT h ? 'kind')")


def _rule_named(versions: list[tuple], name: str, when) -> dict | None:  # noqa: ANN001 - a datetime or None
    """The rule called `name` in the version in force at `when`, else in any version, newest first."""
    in_force = [rules for created_at, rules in versions if when is None or created_at is None or created_at <= when]
    for rules in ([in_force[0]] if in_force else []) + [rules for _, rules in versions]:
        for rule in rules or ():
            if isinstance(rule, dict) and rule.get("name") == name and isinstance(rule.get("kind"), str):
                return rule
    return None


def upgrade() -> None:
    bind = op.get_bind()
    sites = bind.execute(sa.text(f"SELECT DISTINCT c.site_id FROM comments c WHERE {_lacks_kind()}")).scalars().all()
    for site_id in sites:
        versions = bind.execute(sa.text("SELECT created_at, rules FROM rule_sets WHERE site_id = :s ORDER BY version DESC"),
                                {"s": site_id}).all()
        after = 0
        while True:
            rows = bind.execute(sa.text(
                f"SELECT c.id, c.status, c.rule_hits, c.scored_priority, COALESCE(c.scored_at, c.received_at) "
                f"FROM comments c WHERE c.site_id = :s AND c.id > :after AND {_lacks_kind()} ORDER BY c.id LIMIT {BATCH}"),
                {"s": site_id, "after": after}).all()
            if not rows:
                break
            after = rows[-1][0]
            updates = [update for row in rows if (update := _filled(row, versions)) is not None]
            if updates:
                bind.execute(sa.text("UPDATE comments SET rule_hits = CAST(:hits AS jsonb), "
                                     "scored_priority = :scored, priority = priority + :raise WHERE id = :id"), updates)


def _filled(row, versions: list[tuple]) -> dict | None:  # noqa: ANN001 - a result row
    comment_id, status, hits, scored, when = row
    least, changed = None, False
    for hit in hits:
        if not isinstance(hit, dict) or "kind" in hit:
            continue
        rule = _rule_named(versions, str(hit.get("rule")), when)
        if rule is None:
            continue
        ranks_with = rule.get("ranks_with", "")
        hit["kind"] = "at_risk" if ranks_with == AT_RISK_RANK else rule["kind"]
        changed = True
        if hit.get("action") in ("hold", "reject"):
            urgency = WORD_LIST_RANKS.get(ranks_with, KIND_PRIORITY.get(rule["kind"], 1.0))
            least = urgency if least is None else max(least, urgency)
    if not changed:
        return None
    new_scored = scored
    if status == "held" and least is not None and (scored or 0.0) < least:
        # Releases before 2 December queued every rule's hold at max(model, 1.0): above 1.0 that is
        # the model's own priority, and its share orders a kind's holds as a new hold's does.
        model = scored if scored is not None and scored > 1.0 else 0.0
        new_scored = round(max(scored or 0.0, least) + MODEL_SHARE * model, 6)
    return {"id": comment_id, "hits": json.dumps(hits), "scored": new_scored,
            "raise": (new_scored or 0.0) - (scored or 0.0)}


def downgrade() -> None:
    # The kinds stay: every release since 2 December reads them, and older ones ignore them.
    pass
