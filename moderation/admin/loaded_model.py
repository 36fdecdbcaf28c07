"""The model that scores for a site (its own active version, else the global one), as the admin
pages show it: version, card summary, default thresholds and reliable attributes, or the error
that stopped it loading, so a page renders either way."""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from moderation.admin.model_card import card_summary

log = logging.getLogger(__name__)


def model_summary(site_id: int | None = None) -> dict[str, Any]:
    """`site_id` None: the global active version."""
    try:
        from moderation.scorer import get_provider  # imported here so a broken model package cannot break the pages

        provider = get_provider(current_app._get_current_object())
        provider.refresh()
        model = provider.for_site(site_id) if site_id is not None else provider.default()
        return {"version": model.version, "card": card_summary(model.card), "thresholds": dict(model.thresholds),
                "attributes": list(model.attributes), "error": None}
    except Exception as error:  # any failure to load is shown to the admin, not raised
        log.warning("could not load the model for an admin page", exc_info=True)
        return {"version": None, "card": card_summary(None), "thresholds": {}, "attributes": [],
                "error": f"{type(error).__name__}: {error}"}
