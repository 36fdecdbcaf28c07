"""How numbers and times read on the admin and review pages."""
from datetime import datetime, timedelta, timezone

import pytest

from moderation.review.presenting import number, threshold_text, when


@pytest.mark.parametrize("value, shown", [(2.0, "2"), (1.5, "1.5"), (1.25, "1.2"), (0.0, "0"), (12000.0, "12,000"),
                                          (3, "3"), (13.74, "13.7")])
def test_a_threshold_or_a_span_of_days_shows_no_trailing_zero(value, shown):
    assert number(value) == shown


@pytest.mark.parametrize("value, shown", [(0.85, "0.850"), (0.999999, "0.999999"), (0.99995, "0.99995"),
                                          (0.000004, "0.000004"), (1.0, "1.000"), (0.0, "0.000"),
                                          (0.9999996, "0.9999996"), (4e-7, "0.0000004")])
def test_a_threshold_that_three_places_would_round_to_0_or_1_shows_its_own_digits(value, shown):
    assert threshold_text(value) == shown


def test_a_model_cards_iso_time_reads_like_every_other_time_on_the_pages():
    assert when("2026-12-01T18:16:23+00:00") == "2026-12-01 18:16 UTC"
    assert when(datetime(2026, 12, 1, 20, 16, tzinfo=timezone(timedelta(hours=2)))) == "2026-12-01 18:16 UTC"
    assert when("2026-11-20") == "2026-11-20 00:00 UTC"  # a date alone: midnight UTC, whatever the host's zone
    assert when("not a time") == "not a time" and when(None) == ""
