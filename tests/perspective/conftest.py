"""The Perspective endpoint's site has the starter rules, as `keys create` gives a new site: the
endpoint's lifts follow what the site's rules do with each kind (perspective/plain_words.py)."""
from __future__ import annotations

import pytest

from moderation import db


@pytest.fixture
def site(app, site):
    from moderation.domain.rule_sets import save_rules, starter_rules
    from moderation.models import Site

    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), starter_rules(), actor="test")
        db.session.commit()
    return site
