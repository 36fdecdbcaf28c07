"""The worker entry (`celery -A roomy_direct_worker_entry worker`): workers.entry as it is, but a
scoring task's own webhook POSTs (direct_delivery.py) get the webhook task's timeout, not
DIRECT_TIMEOUT (1 s). For tests that count deliveries exactly with a receiver in the test process:
once a site has answered fast, later scored batches POST to it directly, and a busy machine can
hold the test process (and the receiver thread in it) for a second, which made the event a retry.
As test_direct_delivery.py's roomy_direct_timeout does within the test process."""
from __future__ import annotations

import moderation.domain.direct_delivery as direct
from workers.entry import celery, flask_app  # noqa: F401  (the Celery app `celery -A` looks for)

direct.DIRECT_TIMEOUT = flask_app.config["WEBHOOK_TIMEOUT"]
