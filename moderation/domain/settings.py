"""The settings domain functions read, found on the database session as the dispatcher is
(moderation/domain/dispatch.py): create_app builds them from its config once, so no domain
function reads the Flask app's config, and a test can give a bare session settings of its own."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain.webhook_urls import UrlPolicy

SETTINGS = "settings"  # the key in Session.info
DEFAULT_REPORTER_WEIGHT_FLOOR = 0.25
DEFAULT_REPORT_WAIT_MINUTES = 15


@dataclass(frozen=True)
class DomainSettings:
    # Keys the pseudonymous moderator ids sites see (domain/pseudonyms.py).
    pseudonym_key: bytes
    # Where webhooks may go when a caller names no policy of its own (domain/webhook_urls.py).
    url_policy: UrlPolicy = field(default_factory=UrlPolicy)
    # Least a report keeps of its reason's weight (domain/reporter_weights.py).
    reporter_weight_floor: float = DEFAULT_REPORTER_WEIGHT_FLOOR
    # Minutes a reader's report may wait for an answer before it lifts its comment (domain/report_wait.py).
    report_wait_minutes: int = DEFAULT_REPORT_WAIT_MINUTES

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "DomainSettings":
        return cls(pseudonym_key=_pseudonym_key(config), url_policy=UrlPolicy.from_config(config),
                   reporter_weight_floor=float(config.get("REPORTER_WEIGHT_FLOOR", DEFAULT_REPORTER_WEIGHT_FLOOR)),
                   report_wait_minutes=int(config.get("REPORT_WAIT_MINUTES", DEFAULT_REPORT_WAIT_MINUTES)))


DERIVED_PREFIX = "hex:"  # MODERATOR_ID_SECRET=hex:... is a key's bytes, as `keys moderator-id-secret` prints it


def _pseudonym_key(config: Mapping[str, Any]) -> bytes:
    configured = str(config.get("MODERATOR_ID_SECRET") or "")
    return configured_pseudonym_key(configured) if configured else derived_pseudonym_key(str(config["SECRET_KEY"]))


def configured_pseudonym_key(configured: str) -> bytes:
    """MODERATOR_ID_SECRET's key: its bytes, or with DERIVED_PREFIX the bytes its hex digits spell."""
    if not configured.startswith(DERIVED_PREFIX):
        return configured.encode()
    try:
        return bytes.fromhex(configured[len(DERIVED_PREFIX):])
    except ValueError:
        raise ValueError("MODERATOR_ID_SECRET=hex:... must be hex digits after 'hex:'") from None


def derived_pseudonym_key(secret_key: str) -> bytes:
    """Derived, so knowing a pseudonym says nothing about SECRET_KEY (which signs sessions). An
    installation moving to a new SECRET_KEY keeps its moderators' ids by setting MODERATOR_ID_SECRET
    to this key's hex form first: the raw SECRET_KEY there would be a different key."""
    return hmac.new(secret_key.encode(), b"moderator-pseudonyms", hashlib.sha256).digest()


def domain_settings(session: Session | None) -> DomainSettings:
    found = session.info.get(SETTINGS) if session is not None else None
    if found is None:
        raise RuntimeError("this database session has no domain settings: use moderation.db.session "
                           "(create_app sets them) or pass info={'settings': DomainSettings(...)}")
    return found
