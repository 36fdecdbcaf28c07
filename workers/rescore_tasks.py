"""The task that scores a site's held comments again with the version in force (domain/held_rescore.py)."""
from __future__ import annotations

from celery import shared_task

from moderation import db
from moderation.domain.errors import Conflict
from moderation.domain.held_rescore import score_held_again as score_them
from moderation.models import Site
from moderation.scorer import get_provider


# Acknowledged on receipt, as the training task is: acked late, a run longer than the broker's
# visibility timeout (600 s) was handed to a second worker while the first still scored it. A run
# whose worker dies stops moving and goes stale; an admin starts another.
@shared_task(name="workers.rescore_tasks.score_held_again", acks_late=False, max_retries=0)
def score_held_again(site_id: int, run_id: int) -> str:
    site = db.session.get(Site, site_id)
    if site is None:
        return "no such site"
    provider = get_provider()
    provider.refresh()
    try:
        run = score_them(db.session, site, provider.for_site, run_id=run_id)
    except Conflict as replaced:  # an admin started another run meanwhile: that one counts
        return str(replaced)
    return f"scored {run.scored}"
