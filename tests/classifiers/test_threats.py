"""The shipped model's threat head: wishes of death and threats with a weapon are flagged as threats."""

from __future__ import annotations

import pytest

from classifiers import CivilityModel

# Each scored under the threat threshold before the label rules learnt calls for a death and
# threats against a group (model f68f4d13: 0.27, 0.29, 0.61).
THREATS = [
    "Those protesters deserve to die.",
    "I'll slit your throat if I see you again.",
    "I'm going to shoot you tomorrow.",
]


@pytest.mark.parametrize("text", THREATS)
def test_a_threat_is_flagged_as_a_threat(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["threat"] >= shipped.card["thresholds"]["threat"]


def test_wanting_a_coffee_badly_is_not_a_threat(shipped: CivilityModel) -> None:
    # 0.65 and flagged before: "kill" was nearly all the head knew of threats.
    assert shipped.score(["I'd kill for a coffee right now."])[0]["threat"] < shipped.card["thresholds"]["threat"]
