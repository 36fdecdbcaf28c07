"""Names people read, not bytes: whether a name shows anything at all, and the form two names that
read alike share ("maria", "Maria", "mаria" with a Cyrillic а, "ｍａｒｉａ", "mari\u0307a" with a
stray dot), so a second one can be refused.

Unicode's confusables list is long; the letters below are those of the Cyrillic and Greek
alphabets that are drawn like Latin ones in common fonts, which covers the names people make by
accident or to pass for a colleague.
"""
from __future__ import annotations

import unicodedata

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from classifiers.normalise import blank_markup, decode_entities
from moderation.domain.errors import Conflict, ValidationFailed

# pg_advisory_xact_lock key taken while a new user's or site's name is checked against the others:
# two admins adding "Mona" and "mona" at the same moment take turns, so the second sees the first.
NEW_NAMES_LOCK = 0x6D6F6475

# Letters with nothing to see (fillers, a blank braille cell) that Unicode does not class as spaces.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Me", "Mn", "Zl", "Zp", "Zs"})
# Letters of other alphabets, and Latin ones, drawn like a Latin letter (the personal-information
# rules read an e-mail's domain and a street's name through these too: domain/rule_matchers.py).
LETTERS_LIKE_LATIN = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b",
    "ӏ": "l", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "γ": "y", "ω": "w",
    # Latin letters drawn like others, small capitals among them ("ᴍona" passed for "mona")
    "ı": "i", "ʀ": "r", "ɑ": "a", "ℓ": "l", "ſ": "s", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f",
    "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ǀ": "l", "ɱ": "m",
    # Latin letters with a hook, tail or bar, which NFKD keeps whole ("moɖa" passed for "moda": a security review)
    "ɓ": "b", "ƀ": "b", "ƈ": "c", "ɖ": "d", "ɗ": "d", "đ": "d", "ɠ": "g", "ɦ": "h", "ħ": "h", "ɨ": "i", "ʝ": "j",
    "ƙ": "k", "ɫ": "l", "ɬ": "l", "ɭ": "l", "ƚ": "l", "ł": "l", "ɲ": "n", "ɳ": "n", "ø": "o", "ƥ": "p", "ʠ": "q",
    "ɽ": "r", "ʂ": "s", "ƭ": "t", "ʈ": "t", "ŧ": "t", "ʋ": "v", "ⱳ": "w", "ƴ": "y", "ʐ": "z", "ȥ": "z",
}
_LIKE_LATIN = str.maketrans({
    **LETTERS_LIKE_LATIN,
    # Digits drawn like l and o in a name: "a1ice" and "m0na" (a re-check)
    "1": "l", "0": "o",
})
# Pairs drawn like one letter in a sans-serif font: "rnona" passed for "mona", "vvendy" for "wendy".
_LIKE_ONE = (("rn", "m"), ("vv", "w"))
# What a name may end or start with that a reader does not notice: "alice." passed for "alice".
_EDGES = "._-@"


def unseen(char: str) -> bool:
    return char in BLANK_LETTERS or unicodedata.category(char) in _UNSEEN_CATEGORIES


def shows_something(text: str) -> bool:
    """Whether any character of `text` draws something: not only spaces, joiners, variation
    selectors, combining marks alone or blank letters."""
    return not all(map(unseen, text))


def reads_as_empty(text: str) -> bool:
    """Whether a comment's text shows a reader nothing, for both APIs alike: nothing that draws, or
    only markup and entities that draw nothing ("<p></p><br>", "&nbsp;"). The comment API had taken
    and published what comments:analyze refused as COMMENT_EMPTY (an integrator's walk)."""
    if not text or not shows_something(text):
        return True
    return ("<" in text or "&" in text) and not shows_something(decode_entities(blank_markup(text)))


def skeleton(name: str) -> str:
    """What `name` reads as: compatibility forms folded (fullwidth, mathematical letters), accents and
    invisible marks dropped, case folded, look-alike letters of other alphabets, small capitals and
    letter pairs read as the Latin letter they pass for, punctuation at its ends dropped."""
    # A capital I is drawn as a small l: "aIice" passed for "alice" (an adversarial walk). So i and l
    # read as one letter: mapping only the capital made "MIKE" ("mlke") another name than "mike" (a re-check).
    folded = unicodedata.normalize("NFKD", name).casefold()
    # Every dash reads as "-": "site‐a" (U+2010) and "site–a" sat beside "site-a" (a security review).
    read = "".join("-" if c == "\u2212" or unicodedata.category(c) == "Pd" else c
                   for c in folded if not unseen(c)).translate(_LIKE_LATIN).replace("i", "l")
    for pair, one in _LIKE_ONE:
        read = read.replace(pair, one)
    return read.strip(_EDGES) or read


def new_name(session: Session, name: str, taken: Select, *, kind: str, label: str, max_length: int) -> str:
    """`name` as stored (stripped, one spelling), or ValidationFailed / Conflict naming `label`'s field.
    `taken` (a query of the names already there) runs only after this takes NEW_NAMES_LOCK (held until the caller's transaction ends),
    so two admins adding "Mona" and "mona" at the same moment take turns and the second sees the first."""
    name = unicodedata.normalize("NFC", name.strip())  # "sämé" with a combining accent is the one with é
    if not name:
        raise ValidationFailed(f"{label} must not be empty", field=label)
    if len(name) > max_length:
        raise ValidationFailed(f"{label} must have at most {max_length} characters", field=label)
    if not name.isprintable():  # a NUL, a line break or a zero-width space: PostgreSQL, a log line or a reader chokes
        raise ValidationFailed(f"{label} must not hold control or invisible characters", field=label)
    session.execute(select(func.pg_advisory_xact_lock(NEW_NAMES_LOCK)))
    wanted = skeleton(name)
    existing = next((other for other in session.scalars(taken) if skeleton(other) == wanted), None)
    if existing is not None:
        raise Conflict(f"{kind} {existing!r} exists already" + ("" if existing == name else " (names that read alike are one name)"),
                       field=label)
    return name


def insert_named(session: Session, row: object, name: str, *, kind: str, label: str) -> None:
    """Add and flush `row`; a unique name taken since `new_name` looked (by a process of an older
    release, which took no lock) is a Conflict, not a server error."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(f"{kind} {name!r} exists already", field=label) from None
