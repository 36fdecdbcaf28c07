"""A scored comment's route, the same for the live model and a shadow: the policy's verdict made
stricter by the site's rules (`rules.apply_hits`), then overridden by its author's sanction
(`sanctions.enforce`), then one exception over both. A reader who may be at risk reaches a person:
whatever would reject the comment unseen (a reject rule, the model's auto-reject, a ban or a
suspension), it is held instead, and hidden while held (flag `would_reject`). Rejected, "I'm going
to kill myself tonight." from a banned author had never reached the queue (a moderator's walk)."""
from __future__ import annotations

from collections.abc import Sequence

from moderation.domain.lifecycle import AUTO_REJECTED, HELD, REJECTED, WOULD_REJECT
from moderation.domain.policy import Verdict
from moderation.domain.rules import Hit, apply_hits, reader_at_risk
from moderation.domain.sanctions import enforce
from moderation.models import AuthorSanction


def route(verdict: Verdict, hits: Sequence[Hit], sanction: AuthorSanction | None) -> tuple[Verdict, str | None]:
    """The verdict with the rules and the sanction applied, and the sanction's reason to record."""
    verdict, sanction_reason = enforce(apply_hits(verdict, hits), sanction)
    if verdict.status == REJECTED and reader_at_risk(hits):
        verdict = Verdict(HELD, [*(f for f in verdict.flagged if f != AUTO_REJECTED), WOULD_REJECT], verdict.priority)
        if sanction_reason:
            sanction_reason = f"{sanction_reason}; held: the reader may be at risk"
    return verdict, sanction_reason
