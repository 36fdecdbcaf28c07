"""Words a comment quotes as someone else's speech: a court report's "\"I'll kill you\" is what he
texted her, the court heard", a reader's "Someone shouted \"go back to where you came from\" at my
colleague". The threat, hate and self-harm rules still hold such a comment (a person should read
it), but not at a live threat's rank: a crime desk's walk (2026-12-06) found its readers' quotes at
4.0x among 24 real threats, and a threat the rules missed 85th (rules.Compiled reads `unquoted`).

A quotation counts as reported when a reporting word stands beside it: before it ("he texted her",
"the graffiti said", "protesters chanting", "told the court:") or after it ("is what he texted her",
", the court heard", ", prosecutors said", "was shouted at"). Not the commenter's own words ("I
said \"I'll kill you\" and I meant it"), a saying made theirs ("as they say"), an order to say it
("tell him ..."), nor quotes for emphasis with no reporting word ("I 'will' find you").
"""
from __future__ import annotations

import re

# Straight or curly, double or single. A single straight quote opens before a letter where none
# stands before it and closes after one where none follows, so the apostrophes of "I'll" and
# "lads'" inside a quotation neither open nor close one. Each quotation at most 400 characters
# and found left to right: linear.
_QUOTATION = re.compile(r'"[^"\n]{1,400}"|“[^“”\n]{1,400}”|„[^“”„\n]{1,400}[“”]|«[^«»\n]{1,400}»'
                        r"|(?<![\w'‘’])['‘](?=[^\s'‘’])[^\n]{1,400}?(?<=[^\s'‘’])['’](?![\w'‘’])")
# A word that tells of speech or writing, as told (said, texted, chanting), not as an order or a
# wish ("tell him ...", "someone should say ...").
_VERB = (r"(?:said|says|saying|told|tells|telling|texted|texts|texting|messaged|messages|messaging|wrote|writes|writing"
         r"|written|posted|posts|posting|tweeted|tweets|tweeting|emailed|e-mailed|commented|replied|replies|added|adds"
         r"|shouted|shouts|shouting|yelled|yells|yelling|screamed|screams|screaming|chanted|chants|chanting|sang|sings"
         r"|singing|sung|called|calls|calling|read|reads|reading|heard|hears|sent|sends|threatened|warned|asked|muttered"
         r"|whispered|hissed|snarled|spat|roared|mouthed|repeated|sprayed|scrawled|painted|daubed|typed|captioned|labelled"
         r"|branded|dubbed|jeered|taunted|goes|went|quoted|admitted|claimed|boasted|bragged|allegedly\s+said)")
# Between a speaker and the verb: "he then texted", "she had repeatedly told", "the jury was told".
_BETWEEN = (r"(?:(?:just|then|also|once|later|allegedly|reportedly|apparently|actually|literally|even|repeatedly|still"
            r"|always|often|had|has|have|was|were|is|are|been|being|kept|keeps|would|'d|'s|had\s+been|has\s+been)\s+){0,3}")
_WORD = r"[\w'’-]+"
# The commenter's own words, or a saying made theirs ("as my grandad said", "you know what they say").
_OWN = re.compile(r"^(?:i|we|i'm|i’m|i've|i’ve|we've|we’ve|i'd|i’d|we'd|we’d|me|us|myself)$")
_ENDORSED = re.compile(r"\b(?:as|like)\s+(?:" + _WORD + r"\s+){1,3}" + _BETWEEN + r"(?:says?|said|put\s+it)\b"
                       r"|\bwhat\s+they\s+say\b|\bas\s+the\s+saying\s+goes\b")
# Before the quotation: a speaker and the verb, then up to four words ("told the victim", "texted
# her last night") and a colon or comma. The verb nearest the quotation is the one that reports it.
_SPEAKER_VERB = re.compile(r"(?:^|(?<=[^\w'’-]))(" + _WORD + r")\s+" + _BETWEEN + "(" + _VERB + r")\b")
_TAIL = re.compile(r"(?:\s+" + _WORD + r"){0,4}\s*[:,–—-]?\s*")
# After it: "is what he texted", ", the court heard", ", said the defendant", "was shouted at".
_PUNCTUATION = r"^[\s,.!?;:…–—-]*"
_AFTER = re.compile(_PUNCTUATION + r"(?:(?:is|was|were|are|'s)\s+(?:exactly\s+|apparently\s+|allegedly\s+|just\s+)?what\s+)?"
                    r"(" + _WORD + r")(?:\s+" + _WORD + r"){0,2}?\s+" + _BETWEEN + "(" + _VERB + r")\b")
_AFTER_INVERTED = re.compile(_PUNCTUATION + r"(?:said|says|wrote|writes|added|replied|asked|shouted|yelled|came\s+the\s+reply)\b"
                             r"(?!\s+(?:i|we)\b)")
_AFTER_PASSIVE = re.compile(_PUNCTUATION + r"(?:was|were|is|are|had\s+been|has\s+been|have\s+been|got|gets)\s+"
                            r"(?:also\s+|then\s+|allegedly\s+|reportedly\s+)?(?:said|shouted|yelled|screamed|chanted|sung|sprayed"
                            r"|scrawled|painted|daubed|written|posted|sent|texted|heard|read\s+out|left|found)\b")
# What cannot speak for another: "and", "if", "then" after a quotation start a clause of the commenter's.
_NOT_A_SPEAKER = re.compile(r"^(?:and|but|or|so|then|if|when|because|cos|to|for|that|which|who|it|this)$")
# What the commenter heard or read is another's speech, though they tell of it: "I heard ... from next door".
_HEARD = re.compile(r"^(?:heard|hears|read|reads|reading)$")
_WINDOW = 80


def _reported(text: str, begin: int, end: int) -> bool:
    before = text[max(0, begin - _WINDOW):begin].casefold()
    after = text[end:end + _WINDOW].casefold()
    if _ENDORSED.search(before[-40:]) or _ENDORSED.search(after[:40]):
        return False
    said = None
    for said in _SPEAKER_VERB.finditer(before):
        pass
    if said is not None and _TAIL.fullmatch(before, said.end()):
        return _HEARD.match(said.group(2)) is not None or not _OWN.match(said.group(1))
    said = _AFTER.match(after)
    if said is not None and not _NOT_A_SPEAKER.match(said.group(1)):
        return _HEARD.match(said.group(2)) is not None or not _OWN.match(said.group(1))
    return bool(_AFTER_INVERTED.match(after) or _AFTER_PASSIVE.match(after))


def reported_quotations(text: str) -> list[tuple[int, int]]:
    """Where `text` quotes someone else's speech as theirs: (begin, end) of each quotation, marks included."""
    return [(m.start(), m.end()) for m in _QUOTATION.finditer(text) if _reported(text, m.start(), m.end())]


def unquoted(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the quotations at `spans` put aside: what a rule still finds in it are the
    commenter's own words."""
    pieces, cursor = [], 0
    for begin, end in spans:
        # A word of no rule's where the quotation stood, so the sentence around it still reads as one.
        pieces += [text[cursor:begin], "(quote)"]
        cursor = end
    return "".join(pieces + [text[cursor:]])


# Quotation marks in the normalised text: every double one, and single ones in pairs around a few
# words, not the apostrophe of "i'll" nor the elision of "Kill 'Em All" (an album the first reading
# took for an order to kill). Quotes for emphasis hid a threat from the rules: "I 'will' kill you."
# and "I'll \"kill\" you, editor." were published while "I will kill you" was held (2026-12-06).
_DOUBLE = re.compile(r"[\"“”„«»]")
_SINGLES = re.compile(r"(?<![^\W_])['‘]((?:[^'‘’\n]|(?<=[^\W_])['’](?=[^\W_])){1,60}?)['’](?![^\W_])")


def has_quote_marks(normalised: str) -> bool:
    return _DOUBLE.search(normalised) is not None or _SINGLES.search(normalised) is not None


def without_quote_marks(normalised: str) -> str:
    """The normalised text read with its quotation marks as spaces: "i 'will' kill you" as "i will kill you"."""
    return re.sub(r"\s+", " ", _SINGLES.sub(r" \1 ", _DOUBLE.sub(" ", normalised))).strip()
