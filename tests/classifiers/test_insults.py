"""The shipped model's insult head: the names people call each other online, not only in news comments."""

from __future__ import annotations

import pytest

from classifiers import CivilityModel

# Each scored far under the insult threshold before the label rules taught the head what toxic
# comments call the person they address (model fe7fffd4: 0.10, 0.12, 0.01); toxicity held them.
INSULTS = ["you're a retard", "shut up cunt", "what a faggot"]


@pytest.mark.parametrize("text", INSULTS)
def test_a_name_called_at_someone_is_an_insult(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["insult"] >= shipped.thresholds["insult"]


@pytest.mark.parametrize("text", ["My neighbours are gay and they are lovely.", "My son is a little monkey, so cute.",
                                  "You make a good point about the budget."])
def test_a_kind_word_about_someone_is_not(shipped: CivilityModel, text: str) -> None:
    assert shipped.score([text])[0]["insult"] < shipped.thresholds["insult"]
