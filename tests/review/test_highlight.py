"""Marking explanation spans in comment text without ever trusting the text."""
from moderation.review.highlight import highlight

TEXT = "You are a pathetic idiot and a liar, shut up."


def span(word: str, score: float = 1.0) -> dict:
    begin = TEXT.index(word)
    return {"begin": begin, "end": begin + len(word), "score": score, "text": word}


def test_words_only_whitespace_apart_are_marked_as_one_phrase():
    marked = highlight(TEXT, {"insult": [span("pathetic"), span("idiot"), span("liar"), span("shut"), span("up")]})
    assert marked.count("<mark") == 3
    assert ">pathetic idiot</mark> and a <mark" in marked and ">shut up</mark>." in marked


def test_overlapping_spans_of_several_attributes_name_each_attribute_once():
    marked = highlight(TEXT, {"insult": [span("idiot", 0.9)], "toxicity": [span("idiot", 0.4), span("pathetic", 0.2)]})
    assert str(marked) == 'You are a <mark title="raises insult +0.90, toxicity +0.40">pathetic idiot</mark> and a liar, shut up.'


def test_text_without_spans_is_only_escaped():
    assert str(highlight('<a href="x">hi</a>', None)) == "&lt;a href=&#34;x&#34;&gt;hi&lt;/a&gt;"
