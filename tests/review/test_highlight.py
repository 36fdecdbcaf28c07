"""Marking explanation spans in comment text without ever trusting the text."""
import pytest

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
    assert str(highlight('<script>alert("x")</script> hi', None)) == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; hi"


def test_html_from_a_comment_box_is_shown_escaped_and_quieter_with_its_paragraphs_on_lines():
    text = '<p>Great article.</p><p>Buy at <a href="https://spam.example/x?a=1&b=2">my shop</a>, <b>idiot</b></p>'
    begin = text.index("idiot")
    marked = str(highlight(text, {"insult": [{"begin": begin, "end": begin + 5, "score": 0.9}]}))
    assert marked == (
        '<span class="markup">&lt;p&gt;</span>Great article.<span class="markup">&lt;/p&gt;</span>\n'
        '<span class="markup">&lt;p&gt;</span>Buy at <span class="markup">&lt;a href=&#34;https://spam.example/x?a=1&amp;b=2&#34;&gt;'
        '</span>my shop<span class="markup">&lt;/a&gt;</span>, <span class="markup">&lt;b&gt;</span>'
        '<mark title="raises insult +0.90">idiot</mark><span class="markup">&lt;/b&gt;&lt;/p&gt;</span>'  # no break at the end
    )


def test_a_flood_of_line_breaks_is_one_line_break():
    marked = str(highlight("top" + "<br>" * 5000 + " bottom", None))
    assert marked.count("\n") == 1 and marked.count('<span class="markup">') == 1
    assert marked.startswith('top<span class="markup">&lt;br&gt;') and marked.endswith("&lt;br&gt;</span>\n bottom")


def test_what_only_looks_like_a_tag_is_the_readers_text():
    assert str(highlight("<sarcasm off> a <user> b<br>\nc", None)) == (
        '&lt;sarcasm off&gt; a &lt;user&gt; b<span class="markup">&lt;br&gt;</span>\nc')


def test_the_words_a_rule_quotes_are_marked_where_the_reader_wrote_them():
    text = "Honestly, I K N O W where you L1VE, pal."
    hits = [{"rule": "threats", "action": "hold", "reason": 'threat of violence: "i know where you live"'}]
    marked = str(highlight(text, None, hits))
    assert marked == ('Honestly, <mark class="rule" title="found by rule threats">I K N O W where you L1VE</mark>, pal.')


def test_a_rule_quote_over_the_models_words_is_one_mark_naming_both():
    text = "I hate women, you idiot."
    hits = [{"rule": "group-hate", "action": "hold", "reason": 'attack on a group: "i hate women"'}]
    marked = str(highlight(text, {"toxicity": [span_of(text, "hate", 0.4)], "insult": [span_of(text, "idiot", 0.9)]}, hits))
    assert marked == ('<mark class="rule" title="found by rule group-hate; raises toxicity +0.40">I hate women</mark>, '
                      'you <mark title="raises insult +0.90">idiot</mark>.')


def span_of(text: str, word: str, score: float) -> dict:
    begin = text.index(word)
    return {"begin": begin, "end": begin + len(word), "score": score}


def test_a_rule_without_a_quote_or_a_quote_not_in_the_text_marks_nothing():
    hits = [{"rule": "doxxing", "action": "hold", "reason": "home address"},
            {"rule": "cut", "action": "hold", "reason": 'threat of violence: "i know where yo'},
            {"rule": "edited", "action": "hold", "reason": 'threat of violence: "i know where you live"'},
            "not a hit"]
    assert str(highlight("We met at <b>12 Oak Street</b>.", None, hits)).count("<mark") == 0


@pytest.mark.parametrize("kind, text, marked", [
    ("street_address", "Everyone go and see him at 14 Elm Grove, Salford tonight.", "14 Elm Grove"),
    ("phone", "Ring the ref on 07700 900123 and tell him", "07700 900123"),
    ("email", "his email is <b>ref.hargrove@example.com</b> lol", "ref.hargrove@example.com"),
    ("payment_card", "card 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("phone", "Ring 07700\u00a0900123 now", "07700\u00a0900123"), ("phone", "Ring 07700  900  123 now", "07700  900  123"),
    # A children's site's: in words, a handle, a street in lower case.
    ("phone", "my number is zero seven seven zero zero nine zero zero one two three ok",
     "zero seven seven zero zero nine zero zero one two three"),
    ("social_handle", "hiya my snap is jakey_2014 add me", "my snap is jakey_2014"),
    ("street_address", "i live on elm road near the park", "elm road"),
])
def test_the_personal_information_a_rule_held_for_is_marked_though_its_reason_never_repeats_it(kind, text, marked):
    hits = [{"rule": "doxxing", "action": "hold", "reason": "personal information", "kind": kind}]
    shown = str(highlight(text, None, hits))
    assert shown.count("<mark") == 1 and f'found by rule doxxing">{marked}</mark>' in shown


def test_words_a_bidi_override_reverses_are_listed_as_the_card_draws_them():
    """A raid's walk: the card drew "worthless idiot" and listed "toidi", "sselhtrow" beside it."""
    from moderation.review.highlight import marked_words

    text = "You are a \u202etoidi sselhtrow\u202c"
    begin = text.index("toidi")
    spans = {"insult": [{"begin": begin, "end": begin + 5, "score": 0.9, "text": "toidi"}]}
    assert marked_words(text, spans, "insult") == ["idiot"]
    assert marked_words(TEXT, {"insult": [span("idiot")]}, "insult") == ["idiot"]


def test_words_with_markup_inside_are_listed_as_read():
    """A comment box's tag inside a word was listed as "k</b>ill" beside the card."""
    from moderation.review.highlight import marked_words

    text = "I will find you and <b>k</b>ill you."
    begin = text.index("k</b>")
    spans = {"threat": [{"begin": begin, "end": begin + len("k</b>ill"), "score": 0.9, "text": "k</b>ill"}]}
    assert marked_words(text, spans, "threat") == ["kill"]


@pytest.mark.parametrize("text, piece, listed", [
    # Indicators apart are drawn as letters; with the zero-width spaces dropped they paired into the
    # flags of Indonesia and the British Indian Ocean Territory (a re-check).
    ("you are an \U0001F1EE\u200b\U0001F1E9\u200b\U0001F1EE\u200b\U0001F1F4\u200b\U0001F1F9",
     "\U0001F1EE\u200b\U0001F1E9\u200b\U0001F1EE\u200b\U0001F1F4\u200b\U0001F1F9", ["idiot"]),
    ("You are a complete id\niot.", "id\niot", ["idiot"]),  # was "id iot"
    ("Flags \U0001F1FA\U0001F1F8 all day", "\U0001F1FA\U0001F1F8", ["\U0001F1FA\U0001F1F8"]),  # a flag stays one
])
def test_a_marked_piece_is_listed_as_the_model_read_it(text, piece, listed):
    from moderation.review.highlight import marked_words

    begin = text.index(piece)
    spans = {"insult": [{"begin": begin, "end": begin + len(piece), "score": 0.9, "text": piece}]}
    assert marked_words(text, spans, "insult") == listed


def test_a_run_of_blank_lines_is_one_line_saying_how_many():
    """A moderator's walk: "idiot", 300 line breaks, then a threat; the card showed "idiot" on an
    empty block, and the threat, the reasons and the buttons were 7,300 px down."""
    text = "idiot" + "\n" * 300 + "I know where you live <b>now</b>"
    html = str(highlight(text, None))
    assert html == ('idiot\n<span class="blank-lines">[299 blank lines]</span>\nI know where you live '
                    '<span class="markup">&lt;b&gt;</span>now<span class="markup">&lt;/b&gt;</span>')
    assert str(highlight("One.\n\nTwo.\n\n\nThree.", None)) == "One.\n\nTwo.\n\n\nThree."  # a few are the writer's


def test_a_windows_line_break_counts_as_one():
    assert str(highlight("a\r\n\r\n\r\nb", None)) == "a\r\n\r\n\r\nb"  # three: not folded
    assert str(highlight("a\r\n\r\n\r\n\r\n\r\nb", None)) == 'a\n<span class="blank-lines">[4 blank lines]</span>\nb'


def test_blank_lines_between_a_marked_word_and_a_rules_phrase_are_folded_too():
    """A re-check: the model's "moron" and the threats rule's phrase, only whitespace apart, were merged
    into one mark across 300 line breaks, which the folding never saw: the card was 7,745 px tall."""
    text = "you moron" + "\n" * 300 + "I will find you and kill you"
    hit = {"rule": "threats", "action": "hold", "reason": 'threat of violence: "i will find you and kill you"',
           "kind": "threat_words"}
    html = str(highlight(text, {"insult": [{"begin": 4, "end": 9, "score": 0.9}]}, [hit]))
    assert '<span class="blank-lines">[299 blank lines]</span>' in html and html.count("\n") == 2
    assert html.index("moron</mark>") < html.index("blank-lines") < html.index('<mark class="rule"')
