from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.normalise import normalise, normalise_with_offsets

OBFUSCATED = [
    ("you are an idiot", "you are an id10t"),
    ("you are an idiot", "you are an ιdιοt"),  # Greek iota and omicron
    ("what a stupid comment", "what a s t u p i d comment"),
    ("what a stupid comment", "what a s.t.u.p.i.d comment"),
    ("what a stupid comment", "what a stuuuuupid comment"),
    ("fuck you", "f*ck you"),
    ("fuck off", "f**k off"),
    ("shut up you moron", "shut up you ｍｏｒｏｎ"),  # fullwidth
    ("you are a stupid idiot", "you are a 𝐬𝐭𝐮𝐩𝐢𝐝 idiot"),  # mathematical bold
    ("you idiot", "you id\u200biot"),  # zero-width space
    ("you idiot", "you i\u200dd\u2060iot"),  # zero-width joiner, word joiner
    ("this is bullshit", "this is bullsh!t"),
    ("what a bitch", "what a b1tch"),
    ("you are pathetic", "you are раthetiс"),  # Cyrillic р, а, с
    ("shit", "$hit"),
    ("you are a stupid person", "you are a s t u p i d person"),
    ("great article, thanks", "ＧＲＥＡＴ article, thanks"),
    ("thank you for the report", "thank you for the report\u200b"),
    ("i don't think you're right", "I don\u2019t think you\u2019re right"),  # a phone's apostrophes
    ("he said 'no way'", "he said \u2018no way\u2019"),
    ("i don't know", "I don\u00b4t know"),
    ("a well-known self-harm site", "a well\u2011known self\u2010harm site"),
    ("#build the wall, #ny times", "#BuildTheWall, #NYTimes"),
    ("immigrants are vermin", "1mm1grants are v3rm1n"),  # a digit at the edge of a leet-spelled word (a raid's walk)
    # Emoji as letters, with the variation selector and keycap that make them emoji (a red-team walk).
    ("you are a complete idiot", "You are a complete \u2139\ufe0fd\u2139\ufe0f\u2b55t"),
    ("you are a motherfucker", "You are a m\u2b55th3\ufe0f\u20e3rf\u26ceck3\ufe0f\u20e3r"),
    ("you dumb bitch", "You d\u26cemb b\u2139\ufe0ftch"),
    ("asshole", "\U0001f170\ufe0fssh\u2b55le"), ("bitch", "\U0001f151itch"),
    # "Fancy text" letters of other scripts, and slashes between letters (the same walk).
    ("you are a complete idiot", "You are a complete i\u056ai\u0585t"),  # Armenian
    ("you dumb bitch", "You \u13a0u\u13b7\u13f4 \u13f4\u13a5\u13a2\u13df\u13bb"),  # Cherokee capitals
    ("can you", "\ua4da\ua4ee\ua4e0 \ua4ec\ua4f3\ua4f4"),  # Lisu
    ("go fuck yourself loser", "Go fu\u03f2k yourself \u04cf\u03bf\ua731\u04bdr"),
    ("you dumb bitch", "You d/u/m/b b/i/t/c/h"),
    ("immigrants are vermin", "1mm1gr4nts are vermin"), ("jews are vermin", "J3w5 are vermin"),  # the next re-check  # a camel-case hashtag's words  # an acute accent for an apostrophe was a space: "don t"
]


@pytest.mark.parametrize(("plain", "obfuscated"), OBFUSCATED)
def test_it_normalises_obfuscated_text_to_the_plain_form(plain: str, obfuscated: str) -> None:
    assert normalise(obfuscated) == normalise(plain)


@pytest.mark.parametrize(
    "text",
    ["covid19 cases rose", "the 1st of may", "email me @ the office", "#MAGA rally", "the U.S. budget", "it costs $100!",
     "a $10k raise", "$5m for $2bn", "#pRoBLeMAtiC is mockery, #MAGA no words"],
)
def test_it_leaves_ordinary_numbers_mentions_and_hashtags_alone(text: str) -> None:
    cleaned = normalise(text)
    for word in ("covid19", "1st", "@", "#maga", "$100", "$10k", "$5m", "$2bn", "#problematic"):
        if word in text.lower():
            assert word in cleaned


@pytest.mark.parametrize(("text", "plain_word"), [
    ("In short, *it is very obviously complete nonsense*.", "it"),
    ("They weren't milked for merchandise *at all.*", "at"),
    ("It *at least* matches the other article.", "at"),
    ("The man who approached was **hit once**, taken to surgery.", "hit"),
    ("**ss:** this is a reminder", "ss"),
    ("But she *loves the shit* out of it.", "shit"),  # not "shitty"
    ("***THAT'S A CONSPIRACY THEORY! REEEEEEE***", "re"),  # not "retard"
])
def test_a_star_that_opens_emphasis_is_not_read_as_a_mask(text: str, plain_word: str) -> None:
    # Read as masks these were "shit", "twat", "piss": a word of emphasis scored as profanity.
    words = normalise(text).split()
    assert plain_word in words
    assert not {"shitty", "twat", "piss", "retard"} & set(words)
    assert "shit" not in words or "shit" in text


@pytest.mark.parametrize(("text", "kept"), [
    ("they check if you're a U.S. citizen", "aus"),  # spaces and dots mixed: not one spaced word
    ("she got a B.A. in psychology", "aba"),
    ("a 1.5 million dollar house", "a15"),
    ("gives the Yankees a 4-3 lead", "a43"),
    ("It's a 2 month old account", "sa2"),  # after an apostrophe a letter is part of a word
])
def test_letters_spaced_more_than_one_way_are_not_joined(text: str, kept: str) -> None:
    assert kept not in normalise(text).split()


@pytest.mark.parametrize(("text", "not_there"), [
    ("The guitar is tuned C, A#, G#, F# for that song.", {"ass", "fag"}),
    ("with G#, B and D# in the treble", {"die"}),
    ("She got an A* in maths and writes F# at work.", {"ass", "fag"}),
])
def test_a_note_or_grade_after_a_lone_letter_is_not_a_mask(text: str, not_there: set[str]) -> None:
    assert not not_there & set(normalise(text).split())


@pytest.mark.parametrize(("text", "unmasked"), [("talking out of your a**!", "ass"), ("d**, you", "die"),
                                                ("what a f#ck", "fuck"), ("sh* happens", "shit")])
def test_a_lone_letter_masked_letter_for_letter_is_still_a_mask(text: str, unmasked: str) -> None:
    assert unmasked in normalise(text).split()

@pytest.mark.parametrize(("text", "read_as"), [
    ("nobody gives a f***", "fuck"),  # a run of stars counts its letters: collapsed to "f*", this was "fag"
    ("it's so f****** twisted", "fucking"),
    ("another b******* story", "bullshit"),
    ("GET THE F***ING DVD", "fucking"),
    ("that's just sh***", "shit"),  # as near to "shit" as to "shitty": the shorter
])
def test_a_long_mask_is_read_by_its_length(text: str, read_as: str) -> None:
    assert read_as in normalise(text).split()


@pytest.mark.parametrize(("text", "words"), [
    ("--Foo talk|contribs 12:01", {"talk", "contribs"}),  # Wikipedia's markup: "talkicontribs"
    ("{{unblock|I said im sorry}}", {"unblock", "i"}),  # "unblockii"
    ("this is your last chance!!!!!after that you can go", {"chance", "after"}),  # "chanceiafter"
    ("that's not nice!!!!!cant you see", {"nice", "cant"}),
])
def test_a_pipe_or_a_run_of_exclamations_between_words_is_not_a_letter(text: str, words: set[str]) -> None:
    assert words <= set(normalise(text).split())


@pytest.mark.parametrize(("text", "read_as"), [("sh!t happens", "shit"), ("you n!!!gger", "nigger"), ("SH!!!!T", "shit")])
def test_an_exclamation_inside_a_word_people_mask_is_still_a_letter(text: str, read_as: str) -> None:
    assert read_as in normalise(text).split()


@pytest.mark.parametrize(("text", "not_there"), [
    ("D*** DVD", {"die", "dick", "damn"}),  # "dick" and "damn" fit alike: left masked
    ("**NO YOU DON'T**", {"twat"}),
])
def test_a_mask_that_fits_no_one_word_is_left_alone(text: str, not_there: set[str]) -> None:
    assert not not_there & set(normalise(text).split())



@pytest.mark.parametrize(("text", "unmasked"), [
    ("I'll just change my *ucking ip.", "fucking"),
    ("you selfish f*cking *sshole.", "asshole"),
    ("*ick and sh** to you", "dick"),  # the later stars mask a word: they close nothing
    ("that is *it, you *ick", "dick"),
    ("you are a *massive* a**", "ass"),  # the emphasis closed before the mask
])
def test_a_star_that_opens_a_word_with_no_emphasis_closing_it_is_still_a_mask(text: str, unmasked: str) -> None:
    assert unmasked in normalise(text).split()


@pytest.mark.parametrize("text", [pair[1] for pair in OBFUSCATED] + ["Ça va?  Très  bien!!!", "ﬁne\tday", "",
                                                                    "it's *at least* his"])
def test_offsets_point_back_into_the_original_text(text: str) -> None:
    cleaned, starts, ends = normalise_with_offsets(text)
    assert cleaned == normalise(text)
    assert len(starts) == len(ends) == len(cleaned)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends))
    assert starts == sorted(starts)


@pytest.mark.parametrize(("escaped", "plain"), [
    ("I don&#39;t think that&#39;s right", "I don't think that's right"),
    ("Tom &amp; Jerry &gt; the rest", "Tom & Jerry > the rest"),
    ("she said &quot;f&#42;ck off&quot;", 'she said "f*ck off"'),
    ("&#x1F602; you s&#32;t&#32;u&#32;p&#32;i&#32;d", "\U0001F602 you s t u p i d"),
])
def test_html_character_references_read_as_the_characters_they_stand_for(escaped: str, plain: str) -> None:
    assert normalise(escaped) == normalise(plain)


def test_what_only_looks_like_a_reference_is_left_alone() -> None:
    assert normalise("&notanentity; AT&T") == "& notanentity ; at & t"  # not "¬anentity;", as html.unescape reads it
    cleaned, starts, ends = normalise_with_offsets("don&#39;t")
    assert cleaned == "don't" and "don&#39;t"[starts[3] : ends[3]] == "&#39;"  # a highlight covers the reference


def test_a_spaced_out_word_maps_back_to_all_of_its_letters() -> None:
    text = "you are a s t u p i d person"
    cleaned, starts, ends = normalise_with_offsets(text)
    begin = cleaned.index("stupid")
    assert text[starts[begin] : ends[begin + len("stupid") - 1]] == "s t u p i d"


def test_a_collapsed_repeat_keeps_the_whole_run() -> None:
    text = "idiotttt"
    cleaned, starts, ends = normalise_with_offsets(text)
    assert cleaned == "idiot"
    assert text[starts[0] : ends[-1]] == "idiotttt"


def _random_texts(count: int) -> list[str]:
    import random

    rng = random.Random(0)
    alphabet = list("abcistu019") + list("@$!|#%*.-_',?() ") + [" ", "  ", "\t", "\n", "\xa0", "\u3000", "\x1c", "é", "Ａ", "ı"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]
    return texts + ["a b c", " a.b.c ", "x-y_z", "_a b c_", "i a m", "\ta b c d\n", "a  b", " ", "\t", "s t u p i d"]


def test_the_fast_path_produces_exactly_what_every_pattern_would() -> None:
    import re

    from classifiers import normalise as module

    old_leet = re.compile(r"(?<![a-z0-9@$!])[a-z0-9@$!]*(?:[a-z][0-9@$!]|[0-9@$!][a-z])[a-z0-9@$!]*")
    for text in _random_texts(3000):
        current = text.lower() if text.isascii() else text.translate(module._TABLE)
        assert [m.span() for m in module._LEET_TOKEN.finditer(current)] == [
            m.span() for m in old_leet.finditer(current)
        ]
        reference = current
        for pattern, replace, hint, shortcut in module._STEPS:
            expected = pattern.sub(replace, reference)
            if hint is not None and not hint(reference):
                assert expected == reference, (pattern.pattern, reference)
            if shortcut is not None:
                assert shortcut(reference) == expected, (pattern.pattern, reference)
            reference = expected
        assert normalise(text) == reference.strip() == normalise_with_offsets(text)[0], text




SIMPLE = ["Hello", "STUUUUPID", "iddiiott.", "Kiill", "heel", "aaa", "a", "I", "7", "1000000", "Zzz", "bOOOk", "aAa", "don't", "o'clock",
          "word,", "Word...", "a.", "x!!!", "why???", "(a", "(word", '"quoted"', '(a).', "2016.", '"""Hi"""',
          "it's)", "U.", "sh!", "a!", "ok:", "b;", "(((((x)))))"]
NOT_SIMPLE = ["Don'''t", "sh!t", "id10t", "$hit", "word$", "shit*", "f*ck", "#tag", "@user", "a-b", "s.t.u.p.i.d", "x'", "'",
              "'quoted'", "café", "a.b", "covid19", "!word", "word(", "...", "", "1,000"]


def test_simple_chunks_are_normalised_together_as_each_alone() -> None:
    from classifiers.normalise import is_simple_chunk, mapped_code, simple_chunks_normalised, spaced_code

    assert all(is_simple_chunk(c) for c in SIMPLE)
    assert not [c for c in NOT_SIMPLE if is_simple_chunk(c)]
    texts, pieces = simple_chunks_normalised(SIMPLE)
    assert pieces == [normalise(c).split() for c in SIMPLE]
    # What the raw-chunk cache records of them for _SPACED without normalising them one by one.
    assert [mapped_code(t) for t in texts] == [spaced_code(c) for c in SIMPLE]
    assert simple_chunks_normalised([]) == ([], [])


# What comments are made of when they hide words: masks, spacing, look-alike letters, markup, text drawn
# right to left, zero-width marks, hashtags, emoji, combining accents and letters that change length
# when lower-cased. Random strings of them keep the two readings of a comment in step.
_PIECES = ["idiot", "kiill", "iddiiott", "heel", "\U0001F1EE", "\U0001F1FA\U0001F1F8", "f*ck", "s h i t", "#KillAll", "<b>x</b>", "\u202eloof\u202c", "\u200b", "ｉｄｉｏｔ", "ⓘⓓⓘⓞⓣ", "!!!",
           "...", " ", "\n", "ש", "عربي", "😀", "1d10t", "a.b.c", "$h1t", "&amp;", "@user", "http://x.com", "\u0301",
           "ß", "İ", "ﬁ", "---", "'", '"', "<", ">", "&", "#", "_", "\t"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_the_offsets_reading_always_agrees_with_the_fast_one(text: str) -> None:
    """Explanations and rule spans read `normalise_with_offsets`, the model `normalise`: a highlight
    must be over the words the model read."""
    cleaned, starts, ends = normalise_with_offsets(text)
    assert cleaned == normalise(text)
    assert len(starts) == len(ends) == len(cleaned)
    # Within the text; a character of two readings' joins may end before it starts (`span_of` takes min and max).
    assert all(0 <= s <= len(text) and 0 <= e <= len(text) for s, e in zip(starts, ends))


# A red-team walk (2026-12-06): 63 insults and threats with doubled letters, of which the model held 30.
@pytest.mark.parametrize("written, read", [
    ("I will kiillll you.", "i will kill you ."),
    ("You are a complete iddiiiott.", "you are a complete idiot ."),
    ("Shut up you sttuuupiiddd moorrronn.", "shut up you stupid moron ."),
    ("You duummmb biitttchh, nobody asked you.", "you dumb bitch , nobody asked you ."),
    ("Fuuccck off back to your basement.", "fuck off back to your basement ."),
    ("What a fuuccckiinnng moorrronn.", "what a fucking moron ."),
    ("Only a reetttarrddd would write this", "only a retard would write this"),
    # Runs of three or more read before they collapse ("kiiilll" had become "kil": a re-check).
    ("I will kiiilll you", "i will kill you"), ("piiissss off", "piss off"),
    # A joiner of no width that NFKD keeps between letters.
    ("I will k\u034fi\u034fl\u034fl you", "i will kill you"),
])
def test_abuse_with_doubled_letters_reads_as_the_word(written: str, read: str) -> None:
    assert normalise(written) == read == normalise_with_offsets(written)[0]


# Words that differ from a listed one only in doubled letters, or have none to spare.
@pytest.mark.parametrize("text", [
    "The bus from Twatt in Orkney runs twice a week.", "Aid to Niger and Nigeria", "a heel of bread",
    "looser rules on parking", "he rapped the table", "skill and skiing", "a committee of all sorts",
    "the balloon will pass", "I kil the typo", "kiill2 is a username", "a cool dumbbell workout",
    "shutters and shuttles", "assess the address", "Mississippi coffee", "a class act, sweet and kind",
    "the SCUMM engine", "Virginia Rappe's trial",
])
def test_ordinary_words_with_doubled_letters_are_left_alone(text: str) -> None:
    lowered = text.lower()
    assert normalise(text).split() == normalise(lowered).split()
    assert set(normalise(text).split()) <= set(lowered.replace(".", " . ").replace(",", " , ").split())


def test_a_hostile_text_of_doubled_letters_costs_little() -> None:
    import time

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    for text in ("kkii" * 5000, "fuucckkiinn " * 1600, "mmoo" * 5000 + "rroonn", "ab" * 10_000 + "dd"):
        normalise(text), normalise_with_offsets(text)
    assert time.process_time() - started < 5.0  # about 0.2 s; a pattern that backtracks per letter takes minutes


def test_regional_indicators_standing_alone_read_as_their_letters_and_flags_as_flags() -> None:
    # A red-team walk: zero-width spaces keep each one from pairing into a flag, so a phone draws letters.
    for spelled, read in [("You are a complete \U0001F1EE\u200b\U0001F1E9\u200b\U0001F1EE\u200b\U0001F1F4\u200b\U0001F1F9.",
                           "you are a complete idiot ."),
                          ("\U0001F1EE \U0001F1E9 \U0001F1EE \U0001F1F4 \U0001F1F9", "idiot")]:
        assert normalise(spelled) == read == normalise_with_offsets(spelled)[0]
        # The features read chunk by chunk, each lone one a letter to join across the spaces (a re-check).
        from classifiers.features import CivilityFeatures

        features = CivilityFeatures()
        fast, whole = features.transform_raw([spelled]), features.transform_normalised([normalise(spelled)])
        assert (fast != whole).nnz == 0
    # Side by side, a pair that names no region is drawn as letters too (a re-check): "you whore".
    side_by_side = "\U0001F1FE\U0001F1F4\U0001F1FA \U0001F1FC\U0001F1ED\U0001F1F4\U0001F1F7\U0001F1EA"
    assert normalise(side_by_side) == "you whore" == normalise_with_offsets(side_by_side)[0]
    flags = "#MAGA \U0001F1FA\U0001F1F8\U0001F1FA\U0001F1F8 and \U0001F1EC\U0001F1E7"
    assert normalise(flags) == "#maga \U0001F1FA\U0001F1F8\U0001F1FA\U0001F1F8 and \U0001F1EC\U0001F1E7" == normalise_with_offsets(flags)[0]


def test_a_talk_page_signature_is_spaces_to_the_features_and_words_to_the_rules() -> None:
    from classifiers.normalise import blank_before_split

    text = "Nobody asked you. --[[User:Ann|Ann]] ([[User talk:Ann|talk]]) 09:41, 12 May 2026 (UTC) Bye"
    blanked = blank_before_split(text)
    assert len(blanked) == len(text) and blanked.split() == ["Nobody", "asked", "you.", "Bye"]
    assert "ann" in normalise(text).split()  # the rules read every word
    # Only a whole signature, ending in its timestamp: a re-check hid a threat in a bare user link.
    for kept in ("[[User:I know where you live and I will kill you]]", "We meet at 09:41, 12 May 2026 in London.",
                 "see [[Brexit]] and the (talk about it)", "[[User:" + "x" * 60 + "]] 09:41, 12 May 2026 (UTC)"):
        assert blank_before_split(kept).split()[0] == kept.split()[0], kept


def test_a_hostile_text_of_signature_pieces_costs_little() -> None:
    import time

    from classifiers.normalise import blank_before_split

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    for text in (("[[User:" + "a" * 119 + " ") * 150, "09:41, " * 3000 + "(UTC)", "12 May 2026 " * 1700 + "(UTC)",
                 "--[[user talk:" * 1500 + "(UTC)", "May 1, " * 3000 + "(UTC)", "[[User:x" + "]" * 19000,
                 "(UTC)" * 4000, "1 (UTC)" * 2800, "12 May 2026 (UTC)" * 1200):
        normalise(text), normalise_with_offsets(text), blank_before_split(text)
    assert time.process_time() - started < 5.0  # about 0.3 s


def test_a_word_people_hide_broken_over_two_lines_reads_whole() -> None:
    # A red-team walk: 63 insults broken so, the model held 30.
    for broken, read in [("You are a complete id\niot.", "you are a complete idiot ."),
                         ("Shut up you stu\npid mo\nron.", "shut up you stupid moron ."),
                         ("YOU DU\r\nMB BI\nTCH", "you dumb bitch")]:
        cleaned, starts, ends = normalise_with_offsets(broken)
        assert cleaned == normalise(broken) == read
    text = "a complete id\niot"
    cleaned, starts, ends = normalise_with_offsets(text)
    assert text[starts[cleaned.index("idiot")]:ends[-1]] == "id\niot"
    # Lines that end and start with ordinary words stay two words.
    for kept in ("I went as\nsoon as I could", "those who\nRe: the vote", "line one\nline two", "I said no\nrest",
                 "die\nt", "Ask Mr Ass\nHole in One is a golf film", "Voters who\nre-elected him", "The town's\nhit hardest",
                 "worth\nless than", "a\nss"):
        assert normalise(kept) == normalise(kept.replace("\n", " ")), kept


def test_a_hostile_text_of_line_breaks_costs_little() -> None:
    import time

    started = time.process_time()  # CPU time: a busy machine holds the process up without it costing more
    for text in ("abcdefghijklmnop\n" * 1200, "a\n" * 10_000, "stu\npid " * 2000, "x" * 10_000 + "\n" + "y" * 10_000):
        normalise(text), normalise_with_offsets(text)
    assert time.process_time() - started < 5.0  # about 0.1 s
