"""The holds that hide, read when a comment arrives on a post-moderation site, not only when scored.

A post-moderation site shows a pending comment, and a hold for a reader's personal information, a
threat or urging self-harm hides one there (lifecycle.HIDING_RULE_KINDS). Read only by the scorer,
"Call me at 555-867-5309" was answered `visible: true` when posted, and an edit re-showed a held
street address until it was scored again: seconds, or as long as scoring stalls (a security
review). These rules read the text alone, so they run here too; the scorer reads every rule again
and keeps its own answer. Pre-moderation sites hide pending comments anyway: nothing runs for them.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from moderation.domain.lifecycle import HIDING_RULE_KINDS, POST_MODERATION
from moderation.domain.rule_sets import current_rules
from moderation.domain.rules import HOLD, Compiled, Facts, children_read_own_streets
from moderation.models import Comment, Site


def hold_on_arrival(session: Session, site: Site, comments: Iterable[Comment]) -> None:
    """Add to each comment's rule hits those of the site's hiding holds its text trips."""
    if site.moderation_mode != POST_MODERATION:
        return
    # Read as the scorer reads them before the filter: a contact_seeking rule kept as a flag still
    # makes a children's site, whose street rule then holds a child's "i live on elm road".
    rules = [r for r in children_read_own_streets(list(current_rules(session, site.id)))
             if r["kind"] in HIDING_RULE_KINDS and r["action"] == HOLD]
    if not rules:
        return
    compiled = Compiled(rules)
    for comment in comments:
        facts = Facts(author_id=comment.author_id, is_reply=comment.parent_id is not None,
                      author_name=comment.author_name or "")
        hits = [hit.as_json() for hit in compiled.evaluate(comment.text, facts) if hit.action == HOLD]
        if hits:
            comment.rule_hits = [*(comment.rule_hits or []), *hits]
