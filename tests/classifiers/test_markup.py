"""Comments from rich-text comment boxes arrive as HTML; they must score as the text a reader sees."""

from __future__ import annotations

import pytest

from classifiers.model import CivilityModel
from classifiers.normalise import blank_markup, normalise, normalise_with_offsets

PLAIN = (
    "I read the whole report and the numbers do not add up at all. The council should publish the "
    "contracts. You are an idiot and everyone knows it."
)
AS_HTML = [
    "<p>I read the whole report and the numbers do not add up at all.</p><p>The council should publish "
    "the contracts.</p><p>You are an idiot and everyone knows it.</p>",
    "I read the whole report and the numbers do not add up at all.<br>The council should publish the "
    "contracts.<BR/><br />You are an <b>idiot</b> and everyone knows it.",
    '<div class="comment"><p>I read the whole report and the numbers do not add up at all. The council '
    "should publish the contracts.</p><blockquote data-id='7'>You are an <a href=\"https://x.example/a?b=1\" "
    "rel=nofollow>idiot</a> and everyone knows it.</blockquote></div>",
]


@pytest.mark.parametrize("html", AS_HTML)
def test_a_comment_sent_as_html_scores_as_its_text(shipped: CivilityModel, html: str) -> None:
    # Before, "<p>" joined the sentences ("it.</p><p>the") and its n-grams joined the words:
    # the first of these scored 0.68 toxicity where the text scores 0.82.
    plain, marked = shipped.score([PLAIN, html])
    assert marked == pytest.approx(plain, abs=1e-9)
    assert plain["toxicity"] > shipped.thresholds["toxicity"]


@pytest.mark.parametrize("html", AS_HTML)
def test_its_highlights_point_at_the_words_not_the_tags(shipped: CivilityModel, html: str) -> None:
    top = shipped.explain(html, ["toxicity"])["toxicity"][0]
    assert html[top["begin"] : top["end"]] == "idiot"


@pytest.mark.parametrize("text", [
    "<sarcasm off> sure, great plan",
    "<a man who tweets whatever pops into his mind> is not a leader",
    "<user> <user> you are wrong <number> times",
    "if x<b and y>c then",
    "<3 love this",
    "<insert word here>",
])
def test_text_a_reader_put_in_angle_brackets_is_read(text: str) -> None:
    assert blank_markup(text) == text


def test_tags_become_spaces_so_offsets_stay_right() -> None:
    html = "<P>Hi</P><img src='a.png' alt=\"x\"/><span\nclass=x>there</span >"
    blanked = blank_markup(html)
    assert len(blanked) == len(html)
    assert blanked.split() == ["Hi", "there"]
    cleaned, starts, ends = normalise_with_offsets(html)
    assert cleaned == normalise(html) == "hi there"
    assert html[starts[3] : ends[-1]] == "there"


@pytest.mark.parametrize("crafted", ["<a " * 6600, "<a x='" * 3300, ("<a href='" + "x" * 40) * 400])
def test_text_full_of_unfinished_tags_is_left_as_it_is(crafted: str) -> None:
    # No alternative of the pattern matches "<", so a failed match stops at the next one: a few
    # milliseconds on these 20,000 characters, where a pattern whose attributes may run over "<"
    # ([^>]*?) scans to the end from each of them, over a second on the first.
    assert blank_markup(crafted) == crafted
    assert normalise(crafted).startswith("< a")


@pytest.mark.parametrize("text", [
    "I will find you and <b>k</b>ill you.", "I will find you and k<b></b>ill you.",
    "I will find you and k<!-- x -->ill you.", "I will find you and k<wbr>ill you.",
    "I will find you and k<span class='x'>i</span>ll you.", "I will find you and k&ZeroWidthSpace;ill you.",
    # The next re-check: other inline tags, a long comment, and a ">" in a comment or a quoted value.
    "I will find you and k<var></var>ill you.", "I will find you and k<bdi>i</bdi>ll you.",
    "I will find you and k<!--" + "x" * 210 + "-->ill you.", "I will find you and k<!-- a>b -->ill you.",
    "I will find you and k<span title='a>b'></span>ill you.",
    # And the re-check after: references with no ";", bogus comments, tags a browser does not know,
    # an attribute with no value.
    "I will find you and k&#8203ill you.", "I will find you and k&shyill you.", "I will find you and k<!x>ill you.",
    "I will find you and k<?x>ill you.", "I will find you and k</ x>ill you.", "I will find you and k<x></x>ill you.",
    "I will find you and k<b class></b>ill you.", "I will find you and k<b/ >ill you.",
])
def test_inline_markup_inside_a_word_joins_it_as_the_page_draws_it(text: str) -> None:
    """A raid's walk: each of these was published, read as "k ill". (A comment's words are read
    after the rest, as a page that shows text as written shows them.)"""
    assert normalise(text) == normalise_with_offsets(text)[0]
    assert normalise(text).startswith("i will find you and kill you .")
    assert len(blank_markup(text)) == len(text)


def test_a_readers_own_angle_brackets_keep_their_words() -> None:
    """Between words, or of more than one word, they are a reader's on a page that shows text as
    written: read as a tag, "a<kill you>b" would hide a threat there."""
    assert normalise("a<kill you>b") == "a < kill you > b"
    assert normalise("<sarcasm off> nice") == "< sarcasm off > nice"


def test_markup_between_words_or_a_block_inside_one_still_parts_them() -> None:
    assert normalise("<b>bold</b> <i>then</i> words") == "bold then words"
    assert normalise("<b>bold</b><i>then</i>") == "boldthen"  # as a browser draws it
    assert normalise("end<p>start") == normalise("end<br/>start") == "end start"


@pytest.mark.parametrize("text", ["<!--> I will kill you <!-- -->", "Great piece! <!---> I will kill you. <!-- ok -->"])
def test_an_empty_comment_hides_nothing_after_it(text: str) -> None:
    """The re-check after: read as an opener, "<!-->" hid all up to the next "-->", a threat included."""
    assert "i will kill you" in normalise(text) == normalise_with_offsets(text)[0]
