"""Letters a bidi override makes a browser draw backwards are read as drawn."""
from __future__ import annotations

import pytest

from classifiers.bidi import in_display_order
from classifiers.normalise import normalise, normalise_with_offsets

RLO, LRO, PDF, RLE, RLI, PDI = "\u202e", "\u202d", "\u202c", "\u202b", "\u2067", "\u2069"
RLM, ALM = "\u200f", "\u061c"


@pytest.mark.parametrize("written, shown", [
    (f"Someone should {RLO}toohs{PDF} the mayor.", "Someone should shoot the mayor."),
    (f"{RLO}.toidi diputs a era uoY{PDF}", "You are a stupid idiot."),
    (f"I know where you {RLO}evil", "I know where you live"),                 # no PDF: to the paragraph's end
    # ... and no further where the page makes a paragraph of it; where it folds whitespace, further
    # (the next re-check: "{RLO}\n\nuoy llik lliw I" shows as "I will kill you"). Each reading, in turn.
    # Readings are joined as two sentences, " . ": joined by a space, "... I hope" and "you die ..." had
    # made a threat of a civil comment (the next re-check).
    (f"x{RLO}ab\n\ncd", "xdc\n\nba . xba\n\ncd"),
    (f"{RLO}hi<p>I will kill you", "uoy llik lliw I>p<ih . ih<p>I will kill you"),  # a site that renders the markup
    # A single line break: HTML folds it into a space, so the override reaches the next line (a
    # re-check); a page that keeps line breaks ends the paragraph there (the next re-check). Both.
    (f"x{RLO}ab\ncd", "xdc\nba . xba\ncd"),
    (f"Nice article.{RLO}\nI will kill you", "Nice article.uoy llik lliw I\n . Nice article.\nI will kill you"),
    # Where line breaks end paragraphs, all may take the whole text's direction (dir="auto" on the
    # comment, as the review cards have it), not each its own (the next re-check: published).
    (f"{RLM}{LRO}Thoughts:\nl you{RLM}l{RLM}i{RLM}I will k", "Thoughts:\nl youliI will k . Thoughts:\nl youliI will k"
     " . Thoughts:\nl youliI will k . Thoughts:\nI will kill you"),
    (f"a {RLO}b {LRO}cd ef{PDF} g{PDF} h", "a g cd ef b h"),                  # left to right inside it
    (f"a {RLI}b {RLO}dc{PDF}{PDI} e", "a cd b e"),  # an isolate right to left: its runs from the right
    (f"a {RLE}toohs{PDF} b", "a toohs b"),  # an embedding is not an override: Latin letters stay as written
    # ... but right-to-left marks between them are laid out against it (a re-check): with an
    # embedding or isolate, or opening the text (a paragraph right to left, as dir="auto" makes it).
    (f"I will {RLE}l{RLM}l{RLM}i{RLM}k{PDF} you", "I will kill you"),
    (f"I will {RLI}l{ALM}l{ALM}i{ALM}k{PDI} you", "I will kill you"),
    (f"Someone should {RLE}mayor{RLM} the{RLM} shoot{PDF}.", "Someone should shoot the mayor."),
    # ... and left to right too, as a page with no dir attribute lays it out (the next re-check).
    (f"{RLM}l{RLM}l{RLM}i{RLM}k", "kill . llik"),
    (f"I will l{RLM}l{RLM}i{RLM}k you", "I will llik you"),  # marks alone in a left-to-right line move nothing
    # Hebrew is read in its own order word by word, its words where they are drawn.
    (f"\u05e9\u05dc\u05d5\u05dd {RLM}abc", "abc \u05e9\u05dc\u05d5\u05dd .  \u05e9\u05dc\u05d5\u05ddabc"),
    # One right-to-left character in the text no longer turns the reading off (a re-check) ...
    (f"I will {RLE}l{RLM}l{RLM}i{RLM}k{PDF} you\u05c3", "I will kill you\u05c3"),
    # ... and a first-strong isolate takes the direction of its first strong character, a mark too.
    (f"I will \u2068{RLM}l{RLM}l{RLM}i{RLM}k{PDI} you", "I will kill you"),
    (f"I will \u2068k{RLM}i{RLM}l{RLM}l{PDI} you", "I will kill you"),  # its first strong is k: left to right
    ("plain", "plain"),
    # An adversarial walk: a closing isolate with no opener, and openers past the deepest level, closed
    # the override that reverses the text (X6a, X5-X7's overflow counters).
    (f"Someone should {RLO}.royam eht {PDI}toohs", "Someone should shoot the mayor."),
    (f"I will {RLO}uoy {PDI}llik", "I will kill you"),
    ("Someone should " + (RLO + LRO) * 62 + RLO + RLO + PDF + ".royam eht toohs", "Someone should shoot the mayor."),
])
def test_overridden_text_is_read_in_the_order_it_is_drawn(written, shown):
    assert "".join(c for c in in_display_order(written) if c not in RLO + LRO + PDF + RLE + RLI + PDI + RLM + ALM + "\u2068") == shown


def test_normalised_offsets_still_point_at_the_letters_as_written():
    text = f"you are a {RLO}toidi{PDF}"
    cleaned, starts, ends = normalise_with_offsets(text)
    assert cleaned == normalise(text) == "you are a idiot"
    at = cleaned.index("idiot")
    assert text[min(starts[at:at + 5]):max(ends[at:at + 5])] == "toidi"


def _reference_order(levels: list[int]) -> list[int] | None:
    """UAX #9's L2 as written: from the highest level to the lowest odd one, reverse every run."""
    order, current = list(range(len(levels))), levels[:]
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return None
    for floor in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(current):
            if current[i] < floor:
                i += 1
                continue
            j = i
            while j < len(current) and current[j] >= floor:
                j += 1
            order[i:j], current[i:j] = order[i:j][::-1], current[i:j][::-1]
            i = j
    return order


def test_the_reordering_is_l2_as_written_on_any_nesting():
    import random

    from classifiers.bidi import _explicit_levels, _resolved_levels, l2_order

    rng = random.Random(7)
    alphabet = [RLO, LRO, PDF, RLE, RLI, PDI, "\u202a", "\n", " ", "a", "b", ".", "\u05d0", "1", RLM]
    for _ in range(300):
        text = RLO + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        levels = _resolved_levels(*_explicit_levels(text))
        assert l2_order(levels) == _reference_order(levels), repr(text)


def test_thousands_of_isolates_take_linear_time():
    """The next re-check: each first-strong isolate scanned on to its PDI, so 20,000 of them in one
    comment took minutes and stalled scoring for every site."""
    import time

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    assert in_display_order("\u2068" * 20_000 + RLM + "hello").endswith("hello")
    assert time.process_time() - started < 15  # quadratic: 4 s at 5,000, about a minute at 20,000; linear: 0.02 s


@pytest.mark.parametrize("text", [
    "You die a hero or you live long enough to see yourself become the villain.\n\u200fשלום\nThat line is the one I hope",
    "You live in my town, I think.\n\u200fשלום לכם\nI know where",
])
def test_readings_do_not_run_into_each_other_nor_across_a_line_break(text):
    """The next re-check: both civil texts were held as threats ("... I hope" + "you die", "I know
    where" + "you live"), and a line's right-to-left word ran into the next line's first."""
    cleaned = normalise(text)
    assert "hope you" not in cleaned and "where you" not in cleaned and "שלוםthat" not in cleaned
    assert cleaned == normalise_with_offsets(text)[0]


@pytest.mark.parametrize("text", [
    "\u200f\u202dThoughts:\u2029l you\u200fl\u200fi\u200fI will k",  # a paragraph separator for the line break
    "\u200f\u202dThoughts:\x85l you\u200fl\u200fi\u200fI will k",    # a next-line character
    "\u05ea\u05d5\u05d3\u05d4! I will find you and kill you.",          # Hebrew first, on a page with no dir
])
def test_the_threat_is_read_however_the_text_is_laid_out(text):
    """The next re-check: each was read only in an order no page draws it in, and got past the rule."""
    assert "i will kill you" in normalise(text).replace(" . ", " ") or "find you and kill you" in normalise(text)


# Characters to build texts of: Latin, Hebrew and Arabic letters and numbers, marks, spaces, line and
# paragraph breaks of every kind, markup that ends a paragraph; the explicit controls apart.
_PLAIN = ["a", "b", "Z", "é", "1", "2", " ", ".", ",", "!", "(", ")", "-", "\n", "\n\n", "\r", "\t", "\u2029", "\x85",
          "<br>", "<p>", "</p>", "\u05d0", "\u05d1", "\u05be", "\u0627", "\u0628", "\u0661", "\u06f1", "\u070f",
          "\u200d", RLM, ALM]
_CONTROLS = [RLO, LRO, PDF, RLE, "\u202a", RLI, "\u2066", "\u2068", PDI]


def _random_texts(count: int, with_controls: bool) -> list[str]:
    import random

    rng = random.Random(11)
    alphabet = _PLAIN + (_CONTROLS if with_controls else [])
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def _reference_resolved(embedding: list[int], strong: list[str]) -> list[int]:
    """N1-N2 and I1-I2 as written, a run of neutrals at a time."""
    n = len(embedding)
    resolved = strong[:]
    i = 0
    while i < n:
        if resolved[i] != "N":
            i += 1
            continue
        j = i
        while j < n and resolved[j] == "N" and embedding[j] == embedding[i]:
            j += 1
        own = "R" if embedding[i] % 2 else "L"
        before = resolved[i - 1] if i > 0 and embedding[i - 1] == embedding[i] else own
        after = resolved[j] if j < n and embedding[j] == embedding[i] and resolved[j] != "N" else own
        resolved[i:j] = [before if before == after else own] * (j - i)
        i = j
    return [level + ((level % 2 == 0) == (d == "R")) for level, d in zip(embedding, resolved)]


def _reference_reading(text: str, paragraph_end, base: int | None) -> list[int] | None:  # noqa: ANN001
    """`bidi._reading` a character at a time: the stack's levels, the rules' neutrals, L2, then each
    run of right-to-left letters turned back into the order it is read in."""
    import unicodedata

    from classifiers.bidi import _levels_by_stack, _paragraphs

    levels = _reference_resolved(*_levels_by_stack(text, *_paragraphs(text, paragraph_end, base)))
    order = _reference_order(levels)
    if order is None:
        return None
    is_rtl = [bool(level % 2) and unicodedata.bidirectional(c) in ("R", "AL") for level, c in zip(levels, text)]
    k = 0
    while k < len(order):
        if not is_rtl[order[k]]:
            k += 1
            continue
        j = k
        while j < len(order) and is_rtl[order[j]]:
            j += 1
        order[k:j] = order[k:j][::-1]
        k = j
    return order if order != list(range(len(text))) else None


@pytest.mark.parametrize("with_controls", [False, True])
def test_each_reading_is_the_one_the_algorithm_gives_a_character_at_a_time(with_controls):
    """The readings are computed a slice or an array at a time (a loop per character was most of
    normalising a long Arabic or Hebrew comment); they must be the very readings of the loops."""
    from classifiers.bidi import _ALL_FOLDED, _LINE_END, _PARAGRAPH_END, _reading

    for text in _random_texts(400, with_controls):
        for paragraph_end in (_ALL_FOLDED, _PARAGRAPH_END, _LINE_END):
            for base in (None, 0, 1):
                assert _reading(text, paragraph_end, base) == _reference_reading(text, paragraph_end, base), repr(text)


def test_a_text_without_controls_has_the_levels_the_stack_gives_it():
    from classifiers.bidi import _LINE_END, _PARAGRAPH_END, _explicit_levels, _levels_by_stack, _paragraphs

    for text in _random_texts(400, with_controls=False):
        for paragraph_end in (_PARAGRAPH_END, _LINE_END):
            for base in (None, 1):
                by_stack = _levels_by_stack(text, *_paragraphs(text, paragraph_end, base))
                assert _explicit_levels(text, paragraph_end, base) == by_stack, repr(text)


def test_a_reading_joins_readings_with_a_sentence_break():
    text = "first line\u200f\n\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05dd and more"
    order = __import__("classifiers.bidi", fromlist=["display_order"]).display_order(text)
    assert order is not None and -2 in order
    assert in_display_order(text) == "".join(text[i] if i >= 0 else {-1: " ", -2: "."}[i] for i in order)
