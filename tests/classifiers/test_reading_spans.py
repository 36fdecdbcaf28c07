"""Span scores' sentences as a reader sees them (classifiers.sentences.reading_spans): a migrating
developer's highlighter read "Mr." as a sentence, and a comment typed as three lines as one."""
from __future__ import annotations

import pytest

from classifiers.sentences import reading_spans, sentence_spans


def pieces(text: str) -> list[str]:
    return [text[b:e] for b, e in reading_spans(text)]


@pytest.mark.parametrize("text, read", [
    ("Mr. Smith is a liar. Dr. Jones is fine. The U.S. economy is ok.",
     ["Mr. Smith is a liar.", "Dr. Jones is fine.", "The U.S. economy is ok."]),
    ("Great article on the budget\nYou are an idiot\nThanks for reading",
     ["Great article on the budget", "You are an idiot", "Thanks for reading"]),
    ("See e.g. the report (J. Smith, 2020). Fine.", ["See e.g. the report (J. Smith, 2020).", "Fine."]),
    ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
    ("One line.\r\n\r\nAnother", ["One line.", "Another"]),
    ("end.</p><p>Next one", ["end.", "Next one"]),
    # A re-check's: an abbreviation or initial before a capitalised word ends a sentence, and a break
    # is a <br>, a block, a lone carriage return or U+2028 as well as a newline.
    ("Apples, pears, etc. You are a pathetic idiot. Nice weather.",
     ["Apples, pears, etc.", "You are a pathetic idiot.", "Nice weather."]),
    ("I saw him in Jan. He is an idiot.", ["I saw him in Jan.", "He is an idiot."]),
    ("I live in the U.S. You are a pathetic idiot.", ["I live in the U.S.", "You are a pathetic idiot."]),
    ("I got an A. You are a pathetic idiot.", ["I got an A.", "You are a pathetic idiot."]),
    ("J. Smith said hi. John F. Kennedy was here.", ["J. Smith said hi.", "John F. Kennedy was here."]),
    ("fine text<br>you are a pathetic idiot<br>line three ok", ["fine text", "you are a pathetic idiot", "line three ok"]),
    ("<div>fine text</div><div>you are a pathetic idiot</div>", ["fine text", "you are a pathetic idiot"]),
    ("line one is fine\ryou are a pathetic idiot", ["line one is fine", "you are a pathetic idiot"]),
    ("line one\u2028you are bad", ["line one", "you are bad"]),
    # The second and third re-checks': an initial inside a name does not end one, "e.g." and "vs." never
    # do, and before any other capitalised word an abbreviation does: when unsure a sentence ends, as two
    # civil halves are harmless and a civil sentence merged with an insult is highlighted as the insult.
    ("A. A. Milne wrote it. J. A. Smith agreed.", ["A. A. Milne wrote it.", "J. A. Smith agreed."]),
    ("See e.g. Reuters for the facts.", ["See e.g. Reuters for the facts."]),
    ("England vs. Brazil was a draw.", ["England vs. Brazil was a draw."]),
    ("I live on Elm St. You are a worthless moron.", ["I live on Elm St.", "You are a worthless moron."]),
    ("Ask Sammy Davis Jr. He is a total idiot.", ["Ask Sammy Davis Jr.", "He is a total idiot."]),
    ("Apples, pears, etc. Idiots like you should be banned.", ["Apples, pears, etc.", "Idiots like you should be banned."]),
    ("I live in the U.S. Shut up, you moron.", ["I live in the U.S.", "Shut up, you moron."]),
    ("It was 5 p.m. Idiots arrived.", ["It was 5 p.m.", "Idiots arrived."]),
])
def test_a_title_or_initial_does_not_end_a_sentence_and_a_line_break_does(text, read):
    assert pieces(text) == read


def test_the_models_own_cut_is_unchanged():
    """Pooling cuts at every full stop still: changing its cut means training again."""
    text = "Mr. Smith is a liar."
    assert [text[b:e] for b, e in sentence_spans(text)] == ["Mr.", "Smith is a liar."]


@pytest.mark.parametrize("text, read", [
    ("Thanks for the edit.\nYou are a complete id\niot. Bye",
     ["Thanks for the edit.", "You are a complete id\niot.", "Bye"]),
    ("stu\r\npid mo\nron", ["stu\r\npid mo\nron"]),
    # Two words that make no masked word stay two lines.
    ("we lost as\nshe said", ["we lost as", "she said"]),
])
def test_a_word_broken_over_a_line_break_is_one_span_as_the_model_reads_it(text, read):
    """A re-check: span scores gave "You are a complete id" 0.64 and "iot." 0.37 for one idiot."""
    assert pieces(text) == read
