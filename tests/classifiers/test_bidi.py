"""Letters a bidi override makes a browser draw backwards are read as drawn."""
from __future__ import annotations

import pytest

from classifiers.bidi import in_display_order
from classifiers.normalise import normalise, normalise_with_offsets

RLO, LRO, PDF, RLE, RLI, PDI = "\u202e", "\u202d", "\u202c", "\u202b", "\u2067", "\u2069"


@pytest.mark.parametrize("written, shown", [
    (f"Someone should {RLO}toohs{PDF} the mayor.", "Someone should shoot the mayor."),
    (f"{RLO}.toidi diputs a era uoY{PDF}", "You are a stupid idiot."),
    (f"I know where you {RLO}evil", "I know where you live"),                 # no PDF: to the paragraph's end
    (f"x{RLO}ab\ncd", "xba\ncd"),                                          # ... and no further
    (f"a {RLO}b {LRO}cd ef{PDF} g{PDF} h", "a g cd ef b h"),                  # left to right inside it
    (f"a {RLI}b {RLO}dc{PDF}{PDI} e", "a cd b e"),  # an isolate right to left: its runs from the right
    (f"a {RLE}toohs{PDF} b", "a toohs b"),  # an embedding is not an override: Latin letters stay as written
    ("plain", "plain"),
])
def test_overridden_text_is_read_in_the_order_it_is_drawn(written, shown):
    assert "".join(c for c in in_display_order(written) if c not in RLO + LRO + PDF + RLE + RLI + PDI) == shown


def test_normalised_offsets_still_point_at_the_letters_as_written():
    text = f"you are a {RLO}toidi{PDF}"
    cleaned, starts, ends = normalise_with_offsets(text)
    assert cleaned == normalise(text) == "you are a idiot"
    at = cleaned.index("idiot")
    assert text[min(starts[at:at + 5]):max(ends[at:at + 5])] == "toidi"
