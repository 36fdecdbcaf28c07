"""A scored comment's route, the same for the live model and a shadow: the policy's verdict made
stricter by the site's rules (`rules.apply_hits`), then overridden by its author's sanction
(`sanctions.enforce`), then one exception over both. A comment the model cannot read (another
language) is never rejected on the model's scores alone. A reader who may be at risk reaches a person:
whatever would reject the comment unseen (a reject rule, the model's auto-reject, a ban or a
suspension), it is held instead, and hidden while held (flag `would_reject`). Rejected, "I'm going
to kill myself tonight." from a banned author had never reached the queue (a moderator's walk)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moderation.domain.lifecycle import AUTO_REJECTED, HELD, PUBLISHED, REJECTED, WOULD_REJECT
from moderation.domain.policy import REPORTS, Verdict
from moderation.domain.rules import HOLD, REJECT, Hit, apply_hits, reader_at_risk
from moderation.domain.sanctions import enforce
from moderation.models import AuthorSanction

# The rule kinds that say the model cannot read a comment's language, and that its reader may be
# at risk (rules.KINDS): neither is rejected unseen.
UNREAD, AT_RISK = "other_language", "at_risk"


def route(verdict: Verdict, hits: Sequence[Hit], sanction: AuthorSanction | None, *,
          reported_at_risk: bool = False) -> tuple[Verdict, str | None]:
    """The verdict with the rules and the sanction applied, and the sanction's reason to record.
    `reported_at_risk`: a named reader reported, while it waited, that its author may be at risk."""
    verdict, sanction_reason = enforce(_unread_not_auto_rejected(apply_hits(verdict, hits), hits), sanction)
    if verdict.status == REJECTED and (reader_at_risk(hits) or reported_at_risk):
        verdict = Verdict(HELD, [*(f for f in verdict.flagged if f != AUTO_REJECTED), WOULD_REJECT], verdict.priority)
        if sanction_reason:
            sanction_reason = f"{sanction_reason}; held: the reader may be at risk"
    return verdict, sanction_reason


def _unread_not_auto_rejected(verdict: Verdict, hits: Sequence[Hit]) -> Verdict:
    """A comment in a language the model cannot read is not rejected unseen on the model's scores,
    which its card greys as not read: held (hidden) for a person instead. "Sono un idiota, un vero
    idiota: ho dimenticato di votare ieri." was auto-rejected at 0.951, and the site would have told
    its reader an automated decision removed it on a ground the service could not assess (a DSA
    walk). A reject rule's rejection stands: the site chose it, whatever the language."""
    if (verdict.status == REJECTED and AUTO_REJECTED in verdict.flagged and any(h.kind == UNREAD for h in hits)
            and not any(h.action == REJECT for h in hits)):
        return Verdict(HELD, [*(f for f in verdict.flagged if f != AUTO_REJECTED), WOULD_REJECT], verdict.priority)
    return verdict


_SEVERITY = {PUBLISHED: 0, HELD: 1, REJECTED: 2}


def cause(plain: Verdict, final: Verdict, hits: Sequence[Hit], *, sanctioned: bool, edited: bool,
          stormy: bool) -> dict[str, Any]:
    """What made a scored comment `final` rather than `plain`, the model's and readers' reports'
    verdict at the site's thresholds: for the audit entry, so its history names it. A standards
    editor read "Who: the model" on a comment a court-order word rule rejected at toxicity 0.33,
    and would have told its reader the model removed it. Checked from the last step back: storm,
    edit, sanction, then the rules (a story's settings among them)."""
    if _SEVERITY.get(final.status, 0) <= _SEVERITY.get(plain.status, 0):
        return {"cause": "reports"} if plain.status != PUBLISHED and plain.flagged == [REPORTS] else {"cause": "model"}
    said: dict[str, Any] = {"model_status": plain.status}
    if stormy:
        return {"cause": "storm", **said}
    if edited:
        return {"cause": "edit", **said}
    if sanctioned:
        return {"cause": "sanction", **said}
    wanted = REJECT if final.status == REJECTED else HOLD
    names = [h.rule for h in hits if h.action == wanted] or [h.rule for h in hits if h.action in (HOLD, REJECT)]
    return {"cause": "rules", "rules": names, **said}
