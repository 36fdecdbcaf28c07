"""Sending a site's webhook receiver a test event from its admin page; the answer is shown there."""
from __future__ import annotations

import threading

from flask import current_app

from moderation import auth, db
from moderation.admin.routes import bp, site_page
from moderation.domain.settings import domain_settings
from moderation.domain.webhook_test_event import TestOutcome, send_and_audit
from moderation.models import Site


# One test at a time per web process: each holds a thread for up to twice WEBHOOK_TIMEOUT, and
# sixteen at once against a receiver that answers a byte at a time held every thread, the API
# of every site included, for 30 s (a security review).
_one_at_a_time = threading.BoundedSemaphore(1)


@bp.post("/sites/<int:site_id>/webhook-test")
@auth.site_admin_required
def send_webhook_test(site_id: int) -> str | tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    if not _one_at_a_time.acquire(blocking=False):
        busy = TestOutcome(False, "not sent: another test is being sent from this server; try again in a moment")
        return site_page(site, webhook_test=busy), 429
    try:
        outcome = send_and_audit(db.session, site, policy=domain_settings(db.session).url_policy,
                                 timeout=current_app.config["WEBHOOK_TIMEOUT"],
                                 actor=f"user:{auth.current_user().username}", paused=current_app.config.get("WEBHOOKS_PAUSED", False))
    finally:
        _one_at_a_time.release()
    return site_page(db.session.merge(site), webhook_test=outcome)
