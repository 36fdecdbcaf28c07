"""Numbers as people type them: every form and query number is read the same way."""
from __future__ import annotations

import math

import pytest

from moderation.domain.errors import ValidationFailed
from moderation.domain.threshold_tuning import VOLUME, parse_target
from moderation.domain.typed_numbers import typed_float


@pytest.mark.parametrize("raw, value", [("0.5", 0.5), (" 1 ", 1.0), (".25", 0.25), ("2.", 2.0), ("1e3", 1000.0),
                                        ("-0.1", -0.1)])
def test_a_number_as_typed_is_read(raw, value):
    assert typed_float(raw) == value


@pytest.mark.parametrize("raw", ["١", "0_0", "1_0", "٠.٥", "0x10", "", "one", "1,5", "²"])
def test_digits_of_other_scripts_underscores_and_words_are_refused(raw):
    with pytest.raises(ValueError):
        typed_float(raw)


def test_nan_parses_for_the_range_check_to_refuse():
    assert math.isnan(typed_float("nan"))


@pytest.mark.parametrize("raw", ["0_5", "٥"])
def test_the_thresholds_page_target_is_read_as_typed(raw):
    """float() read "0_5" as 5 a day and "٥" as 5 on the thresholds page too (a read-back)."""
    with pytest.raises(ValidationFailed, match="must be a number"):
        parse_target(VOLUME, raw)
