"""Sending a site's webhook receiver a test event from its admin page; the answer is shown there."""
from __future__ import annotations

from flask import current_app

from moderation import auth, db
from moderation.admin.routes import bp, site_page
from moderation.domain.lifecycle import audit
from moderation.domain.settings import domain_settings
from moderation.domain.webhook_test_event import send_test_event
from moderation.models import Site


@bp.post("/sites/<int:site_id>/webhook-test")
@auth.login_required("admin")
def send_webhook_test(site_id: int) -> str:
    site = db.get_or_404(Site, site_id)
    outcome = send_test_event(site, policy=domain_settings(db.session).url_policy,
                              timeout=current_app.config["WEBHOOK_TIMEOUT"])
    audit(db.session, f"user:{auth.current_user().username}", "site:webhook_test_sent", site_id=site.id,
          site=site.name, delivered=outcome.delivered, result=outcome.message)
    db.session.commit()
    return site_page(site, webhook_test=outcome)
