"""Text normalisation that undoes common obfuscation and remembers where each character came from.

Every step is either a per-character mapping or a regex substitution, and the fast path
(`normalise`) and the offset-tracking path (`normalise_with_offsets`) share the same
mappings and replacement functions, so they cannot drift apart. Where `normalise` takes a
shortcut instead of a regex (see `_STEPS`), the tests hold the shortcut to the regex's output.
"""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata
from typing import Callable, Sequence

from classifiers.bidi import JOIN, MARKUP_BREAK, display_order, in_order, may_reorder
from classifiers.broken_words import join_broken_words
from classifiers.doubled import DOUBLED, restore as restore_doubled
from classifiers.signatures import blank_signatures
from classifiers.masks import EMPHASIS_STAR, MASKABLE_WORDS, MASKED, fits_a_word, unmask

# Look-alikes that NFKC leaves alone (Cyrillic/Greek letters that render like Latin ones).
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "ɡ": "g", "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l",
    "ь": "b", "п": "n", "г": "r", "д": "d", "и": "u", "л": "n", "я": "r",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "η": "n", "ι": "i", "κ": "k",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u",
    "ς": "s", "σ": "o",
    # Latin extensions and symbols people use as letters
    "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
    "æ": "ae", "œ": "oe", "ɑ": "a", "ɩ": "i", "ʋ": "u", "ꜱ": "s", "ᴀ": "a", "ʙ": "b",
    "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ᴛ": "t",
    "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    # Apostrophes as phones and word processors type them: "don’t" is "don't", one word, not
    # "don", "’" and "t" (the curly single quotes of ‘quoted’ words go the same way as straight ones).
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
    # Hyphens that are not the keyboard's: "well‑known" (a non-breaking hyphen) as "well-known".
    "\u2010": "-", "\u2212": "-", "\u05be": "-",  # the last Hebrew's maqaf, which the next re-check put between letters
    # Emoji typed as letters, which NFKC leaves alone: "ℹ️dℹ️⭕t", "f⛎ck", "🅰️ss" (a red-team walk: 43 of 63
    # insults spelled so were published). Not the regional indicators, which pair into flags.
    "\u2b55": "o", "\u26ce": "u",
    **{chr(0x1F150 + i): chr(ord("a") + i) for i in range(26)},  # negative circled letters, 🅐
    **{chr(0x1F170 + i): chr(ord("a") + i) for i in range(26)},  # negative squared letters, 🅰
    # Letters of other scripts that "fancy text" generators draw Latin with (the same walk: "iժiօt" in
    # Armenian, "ᎠuᎷᏴ ᏴᎥᎢᏟᎻ" in Cherokee capitals, which lower-case to the keys below, held 25 to 38 times
    # in 63). Only letters drawn like one Latin letter: Armenian text maps to Latin gibberish, as
    # Russian does, and is still read as Armenian (classifiers/language.py reads the raw text).
    "ժ": "d", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "օ": "o", "ա": "w", "զ": "q", "լ": "l",
    "ꭰ": "d", "ꭱ": "r", "ꭲ": "t", "ꭵ": "i", "ꭹ": "y", "ꭺ": "a", "ꭻ": "j", "ꭼ": "e", "ꮃ": "w",
    "ꮇ": "m", "ꮋ": "h", "ꮍ": "y", "ꮐ": "g", "ꮒ": "h", "ꮓ": "z", "ꮟ": "b", "ꮢ": "r", "ꮩ": "v",
    "ꮪ": "s", "ꮮ": "l", "ꮯ": "c", "ꮲ": "p", "ꮶ": "k", "ᏼ": "b",
    "ꓮ": "a", "ꓐ": "b", "ꓚ": "c", "ꓓ": "d", "ꓰ": "e", "ꓝ": "f", "ꓖ": "g", "ꓧ": "h", "ꓲ": "i",
    "ꓙ": "j", "ꓗ": "k", "ꓡ": "l", "ꓟ": "m", "ꓠ": "n", "ꓳ": "o", "ꓑ": "p", "ꓣ": "r", "ꓢ": "s",
    "ꓔ": "t", "ꓴ": "u", "ꓦ": "v", "ꓪ": "w", "ꓫ": "x", "ꓬ": "y", "ꓜ": "z",  # Lisu
    "ҽ": "e", "ǀ": "l", "ᴉ": "i", "ꜰ": "f",  # the small capital F, which has no lower case to fold to
}

# Look-alikes NFKC would first turn into another letter: Greek's lunate sigma "ϲ" is drawn like "c"
# ("fuϲk"), and NFKC makes it the final sigma, which reads as "s".
_BEFORE_NFKC = {"ϲ": "c", "Ϲ": "c"}

# Marks that dress the character before them and are no letter of their own: variation selectors
# (U+FE0F makes "ℹ" an emoji: "ℹ️" is "i"), the keycap and circle that enclose one ("3️⃣" is "3"), and
# the combining grapheme joiner, a mark of combining class 0 that NFKD keeps ("k͏i͏l͏l", a re-check).
# Combining accents go in _map_char's NFKD pass; these combine with nothing there.
_DRESSING = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u20dd-\u20e4\u034f]")

# Letters people swap for digits/symbols inside words (id10t, b1tch, $hit, sh!t). Not "|": between
# letters it is always Wikipedia's markup in the shared data ("talk|contribs", "{{unblock|I said"),
# 308 comments of it and no insult, and read as "i" it made "talkicontribs".
_LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
}


_MASKABLE = frozenset(MASKABLE_WORDS)  # the masked words, for membership tests in the steps below

# Not a run of mask characters: "f***" is four letters, and collapsed to "f*" it read as "fag".
_REPEATS = re.compile(r"([^*#%])\1{2,}", re.DOTALL)
# One separator throughout ("s t u p i d", "s.t.u.p.i.d", "i/d/i/o/t": a red-team walk's slashes
# were published 49 times in 63): with spaces and dots mixed, "a U.S.
# citizen", "a B.A." and "a 1.5 million" read as "aus", "aba" and "a15". Not after an apostrophe:
# "it's a 2 month" is not "sa2".
_SPACED = re.compile(r"(?<![\w'])[a-z0-9]([ .\-_*/])(?:[a-z0-9]\1)+[a-z0-9](?![\w])")
# Whole runs of letters/digits/symbols where a letter touches a digit or symbol (id10t, $hit).
# Written so it never backtracks: a run mixes kinds exactly when its first homogeneous stretch
# is followed by the other kind, and the match then takes the whole run.
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$!])(?:[a-z]+[0-9@$!]|[0-9@$!]+[a-z])[a-z0-9@$!]*")
_LEET_HINT = re.compile(r"[a-z][0-9@$!]|[0-9@$!][a-z]")
# Only what is not already a single plain space, so ordinary text needs no replacement calls.
_SPACES = re.compile(r"\s{2,}|[^\S ]")
# HTML character references, as sites that store escaped text send them ("don&#39;t", "&amp;"): read
# as the characters they stand for, or "&#39;" would split a word and "&amp;" would be a word of
# its own (davidson's tweets hold thousands, so the model had learnt them as a sign of Twitter).
# A number needs no ";" to a browser, nor does "&shy" (a soft hyphen): "k&#8203ill" and "k&shyill"
# show as "kill" (a re-check).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#x[0-9a-f]{1,6};?|[a-z][a-z0-9]{1,31};|shy)")
_MASK_HINT = re.compile(r"[*#%]")
# HTML tags, as rich-text comment boxes send them (Coral stores "<p>…</p><br>"): each becomes as
# many spaces, so offsets into the text stay right and "end.</p><p>Next" is two sentences. Only
# element names a comment box makes, and attributes only as name=value, so text a reader put in
# angle brackets ("<sarcasm off>", "<a man who tweets…>", hatexplain's "<user>") is left alone.
# No alternative matches "<", so a failed match ends at the next one: linear on any text.
_MARKUP = re.compile(
    r"</?(?:a|abbr|acronym|b|bdi|bdo|big|blockquote|br|center|cite|code|data|dd|del|dfn|div|dl|dt|em|"
    r"figcaption|figure|font|h[1-6]|hr|i|img|ins|kbd|label|li|mark|nobr|ol|p|pre|q|rp|rt|ruby|s|samp|small|"
    r"span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|var|wbr)"
    # Not <time>: hatexplain writes "<time>" for a time it left out, as "<user>" for a name. A quoted
    # value may hold ">" (title='a>b'), never "<": a failed match still ends at the next "<".
    r"(?:\s+[a-z_:][-a-z0-9_:.]*\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'|[^\s\"'<>=`]+)"
    # An attribute with no value, of the names a comment box writes ("<b class></b>", a re-check): any
    # name would read "<a man who tweets>" as a link.
    r"|\s+(?:class|id|style|title|lang|dir|hidden|translate|data-[-a-z0-9]*))*\s*/?\s*>"
    # A comment: "<!-->" and "<!--->" are whole empty ones, as HTML reads them (read as openers, they hid
    # all up to the next "-->", a threat included: the re-check after); bounded, so 20,000 characters of
    # "<!--" stay quick.
    r"|<!---?>|<!--(?!-?>)(?:[^-]|-(?!->)){0,500}-->",
    re.IGNORECASE,
)
# Tags a browser draws inside a line, and comments: between two letters they join them, so
# "k<b></b>ill" and "k<wbr>ill" read "kill" on the page (a raid's walk: they were published).
_INLINE_ONLY = re.compile(
    r"(?:</?(?:a|abbr|acronym|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|label|mark|nobr|q|s|samp|"
    r"small|span|strike|strong|sub|sup|tt|u|var|wbr)\b(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*>|<!---?>|<!--.*?-->)+",
    re.IGNORECASE | re.DOTALL)
_MARKUP_RUN = re.compile("(?:" + _MARKUP.pattern + ")+", re.IGNORECASE)
# What a tag inside a word becomes: as many zero-width spaces, which every reading then drops.
_JOINER = "\u200b"
# Punctuation touching a word becomes its own chunk ("idiot!" -> "idiot !"), so every source
# looks alike whether or not it was tokenised (civil_sentences_weak has "budget ."), and a
# word's character n-grams are the same wherever it stands. Apostrophes stay inside words;
# #hashtags, @mentions and $amounts keep their sign.
_PUNCTUATION_EDGE = re.compile(r"(?<=\w)(?=[^\w\s'])|(?<=[^\w\s'#@$])(?=\w)")
# Every edge _PUNCTUATION_EDGE finds is an end of a maximal run of such punctuation, and
# runs are rare enough for the regex engine to skip to them instead of testing every position.
_PUNCTUATION_RUN = re.compile(r"[^\w\s']+")
# _SPACED needs a character that is not part of a word (or the start) and then
# letter, separator, letter, separator, letter.
_SPACED_HINT = re.compile(r"\W[a-z0-9][ .\-_*/][a-z0-9][ .\-_*/][a-z0-9]")


def _map_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf" or _DRESSING.match(char):  # zero-width joiners/spaces, bidi marks, soft hyphens; _DRESSING
        return ""
    if char.isspace():
        return " "
    if char == "\u00b4":  # an acute accent typed as an apostrophe ("don´t"): NFKC makes it a space
        return "'"
    if char in _BEFORE_NFKC:
        return _BEFORE_NFKC[char]
    out: list[str] = []
    for composed in unicodedata.normalize("NFKC", char):
        for piece in unicodedata.normalize("NFKD", composed):
            if unicodedata.combining(piece):  # accents and strike-through overlays
                continue
            piece = piece.lower()
            out.append(_CONFUSABLES.get(piece, piece))
    return "".join(out).lower()


# Regional indicators pair into a flag only where the pair names a region ("🇺🇸", in 228 of the shared
# data's comments, read as drawn); one alone, or a run holding a pair that names none, is drawn as
# boxed letters, which a red-team walk spelled insults in ("🇮​🇩​🇮​🇴​🇹" with zero-width spaces between,
# published 42 times in 63; "🇾🇴🇺 🇼🇭🇴🇷🇪" side by side, a re-check). ISO 3166's codes and the
# few more that emoji flags use.
_REGIONS = frozenset("""
AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW CX CY CZ DE DG DJ DK DM DO DZ EA EC EE EG EH ER ES
ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE
IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC
MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ VA VC VE VG VI VN VU WF WS
XK YE YT ZA ZM ZW""".split())
_INDICATORS = re.compile("[\U0001F1E6-\U0001F1FF]+")


def _indicator_letters(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = "".join(chr(ord(c) - 0x1F1E6 + ord("a")) for c in run)
    pairs = [letters[i:i + 2].upper() for i in range(0, len(letters), 2)]
    return run if len(run) % 2 == 0 and all(pair in _REGIONS for pair in pairs) else letters


def _lone_indicators(text: str) -> str:
    """`text` with each run of regional indicators that is no row of flags as its letters (same length)."""
    return _INDICATORS.sub(_indicator_letters, text)


def as_read(text: str) -> str:
    """`text` as the model's words read it, case kept: HTML tags blanked, a word broken over a line
    break joined and regional indicators that are no row of flags as letters (same length). For
    saying a marked piece in words: "🇮\u200b🇩\u200b🇮\u200b🇴\u200b🇹" is "idiot", where its indicators
    with the zero-width spaces dropped are drawn as two flags and a T."""
    return _lone_indicators(join_broken_words(blank_markup(text)))


class _CharTable(dict[int, str]):
    """str.translate table that fills itself in, so only characters actually seen are computed."""

    def __missing__(self, codepoint: int) -> str:
        mapped = _map_char(chr(codepoint))
        self[codepoint] = mapped
        return mapped


_TABLE = _CharTable()


def mapped_length(text: str) -> int:
    """Length of `text` after the per-character mapping (NFKC and friends), before the regex steps:
    what bounds the cost of normalising and explaining it. U+FDFA alone maps to 18 characters."""
    return len(text) if text.isascii() else len(text.translate(_TABLE))


def mapped_lengths(text: str) -> list[int]:
    """`mapped_length` of each character of `text`."""
    if text.isascii():
        return [1] * len(text)
    table = _TABLE
    return [1 if c.isascii() else len(table[ord(c)]) for c in text]


_ID_LIKE = re.compile(r"[0-9a-f]{6,}|[a-z0-9]{12,}")


def _restore_leet(match: re.Match[str]) -> str:
    token = match.group(0)
    # Pure words and pure numbers stay; only mixtures like id10t or $hit are rewritten.
    if token.isalpha() or not any(c.isalpha() for c in token):
        return token
    chars = list(token)
    # A digit inside letters says the whole word is spelled so: "1mm1grants" is "immigrants" (a raid's
    # walk), "J3w5" and "Musl1m5" too, where "1st" and "covid19" alone are numbers. Not in ids and
    # hashes ("fcebad40", "ubugnsbasij21"): more digits than letters, hexadecimal, or 12 characters or more.
    digits = sum(c.isdigit() for c in chars)
    spelled = 2 * digits <= len(chars) and not _ID_LIKE.fullmatch(token) and any(
        c.isdigit() and c in _LEET and 0 < i < len(chars) - 1 and chars[i - 1].isalpha() and chars[i + 1].isalpha()
        for i, c in enumerate(chars))
    # Where the letters begin and end, found once: looked for around each digit, a 20,000-character
    # token of Cyrillic O and 1 took 1.2 s to score (the next re-check).
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    first_letter, last_letter = letters[0], letters[-1]
    for i, c in enumerate(chars):
        if c not in _LEET:
            continue
        prev_alpha = i > 0 and chars[i - 1].isalpha()
        next_alpha = i + 1 < len(chars) and chars[i + 1].isalpha()
        if c in "!@" and not (prev_alpha and next_alpha):
            continue  # "idiot!!" is punctuation and "@user" a mention; only "sh!t" is a letter
        if c == "$" and i + 1 < len(chars) and chars[i + 1].isdigit():
            continue  # money ("$10k" was "siok"), not a letter
        if c.isdigit() and not spelled and not first_letter < i < last_letter:
            continue  # digits at either end are numbers (covid19, 1st), not letters
        chars[i] = _LEET[c]
    return "".join(chars)


def _reads_by_context(lowered: str) -> bool:
    """Whether a whitespace-free chunk (lower-cased and mapped) holds a word that a star opens or
    closes and that fits a masked word: only such a word reads differently with other chunks'
    stars around it. "**Edit:**" and "*this*" read alike anywhere; "f***" does not."""
    text = _run_steps(lowered, _STEPS[:_MASK_STEP])
    return any((m.group(0)[0] == "*" or m.group(0)[-1] == "*") and fits_a_word(m.group(0))
               for m in MASKED.finditer(text))


def _join_spaced(match: re.Match[str]) -> str:
    letters = match.group(0)[::2]
    # "you are a s t u p i d": the article is a word of its own unless the whole run is a known word.
    if len(letters) >= 4 and letters[0] in "ai" and letters not in _MASKABLE:
        return letters[0] + " " + letters[1:]
    return letters


# Named references as the lower-cased text spells them: "&ZeroWidthSpace;" reached this step as
# "&zerowidthspace;", no name of HTML's, and "k&ZeroWidthSpace;ill" was published (a raid's walk).
# A name that is some reference's exactly keeps it ("&aacute;" is á, not Á).
_LOWERED_ENTITIES = {**{name.lower(): value for name, value in html.entities.html5.items() if name.endswith(";")},
                     **{name: value for name, value in html.entities.html5.items() if name.endswith(";")},
                     "shy": "\u00ad"}


def _decode_entity(match: re.Match[str]) -> str:
    """The characters a reference stands for, mapped like any other text; not a reference: as is."""
    reference = match.group(0)
    if reference[1] == "#":
        decoded = html.unescape(reference)
    else:  # only a whole name: html.unescape would read "&notanentity;" as "¬anentity;"
        decoded = _LOWERED_ENTITIES.get(reference[1:], reference)
    if decoded == reference:
        return reference
    return decoded.lower() if decoded.isascii() else decoded.translate(_TABLE)


def blank_markup(text: str, *, before_reordering: bool = False) -> str:
    """`text` with its HTML tags (`_MARKUP`) turned into spaces, or into zero-width spaces where
    inline ones stand inside a word: the same length, so every offset into it is an offset into
    `text`. What `normalise` does first, before any other step. `before_reordering` leaves the tags
    that end a paragraph and comments, which laying the text out in display order still reads."""
    if "<" not in text:
        return text

    def blank(match: re.Match[str]) -> str:
        a, b = match.span()
        run = match.group(0)
        if before_reordering and (_KEPT_FOR_REORDERING.search(run)):
            return _MARKUP.sub(lambda tag: tag.group(0) if _KEPT_FOR_REORDERING.fullmatch(tag.group(0))
                               else " " * len(tag.group(0)), run)
        inside_word = 0 < a and b < len(text) and text[a - 1].isalnum() and text[b].isalnum()
        joined = inside_word and _INLINE_ONLY.fullmatch(run) is not None
        return (_JOINER if joined else " ") * (b - a)

    text = _MARKUP_RUN.sub(blank, text)
    return _TAG_IN_WORD.sub(lambda m: _JOINER * len(m.group(0)), text) if "<" in text else text


def blank_before_split(text: str) -> str:
    """`text` with what is no comment's words, HTML tags and talk-page signatures, as spaces, and a
    word broken over two lines whole (same length): what the model's features read before a comment
    is split at whitespace, since each spans it. `normalise` keeps signatures: the rules read them."""
    return join_broken_words(blank_signatures(blank_markup(text)))


# Whatever a browser takes for a tag, between two letters: an element it does not know, a bogus
# comment ("<!x>", "<?x>", "</ x>"). "k<x></x>ill" shows as "kill" (a re-check). Only inside a word,
# and of one word: "<sarcasm off>" between words, or "a<kill you>b", is a reader's on a page that
# shows text as written, which a word in it would hide.
_TAG_IN_WORD = re.compile(r"(?<=[^\W_])(?:<(?:/?[a-z][-a-z0-9]{0,30}\s*/?|[!?][^<>\s]{0,30}|/\s*[^a-z<>\s][^<>\s]{0,30}"
                          r"|/\s+[^<>\s]{1,30})>)+(?=[^\W_])", re.IGNORECASE)


_KEPT_FOR_REORDERING = re.compile(MARKUP_BREAK + r"|<!--.*?-->|<!---?>", re.IGNORECASE | re.DOTALL)
# What an HTML comment holds, when it holds a letter: a page that renders markup hides it, and one
# that shows the text as written shows it ("Great article <!-- I will kill you -->" was published, a
# re-check), so it is read as well, as one more reading after the text (as bidi's readings are).
_COMMENT_BODY = re.compile(r"<!--(?!-?>)((?:[^-]|-(?!->)){0,500})-->")
_LETTER = re.compile(r"[^\W\d_]")


def reading_order(text: str) -> tuple[str, tuple[int, ...] | None]:
    """`text` with its inline tags blanked, and the order to read it in (None: as written): in display
    order, as a browser lays it out once it has dropped the tags ("\u202emoc.li<b></b>amg@ecila" showed
    as an address, read as ">b/<>b<" among its letters: a re-check), then each comment's words."""
    if "<" not in text:
        return text, display_order(text)
    if may_reorder(text):
        text = blank_markup(text, before_reordering=True)
    order = display_order(text)
    bodies = [m.span(1) for m in _COMMENT_BODY.finditer(text) if _LETTER.search(m.group(1))] \
        if "<!--" in text and "-->" in text else []
    if not bodies:
        return text, order
    joined = list(order) if order is not None else list(range(len(text)))
    for a, b in bodies:
        joined += [*JOIN, *range(a, b)]
    return text, tuple(joined)


def in_reading_order(text: str) -> str:
    text, order = reading_order(text)
    return text if order is None else in_order(text, order)


# A hashtag in camel case is words run together: "#BuildTheWall" reads "#build the wall", as
# "#maga" reads "#maga". Case is what tells the words apart, so this runs before lower-casing.
_HASHTAG = re.compile(r"(?<![\w#])#[A-Za-z][A-Za-z0-9]*")
_CAMEL_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _hashtag_breaks(text: str) -> list[int]:
    """Where a space goes in `text` (as written) to part a camel-case hashtag into its words. Not
    where a part would be a lone letter other than "a" and "i": "#pRoBLeMAtiC" is mockery, not words."""
    breaks: list[int] = []
    for tag in _HASHTAG.finditer(text):
        body = tag.group(0)
        cuts = [m.start() for m in _CAMEL_BREAK.finditer(body)]
        if cuts:
            parts = [body[a:b] for a, b in zip([1, *cuts], [*cuts, len(body)])]
            if all(len(part) > 1 or part in "AaIi" for part in parts):
                breaks.extend(tag.start() + cut for cut in cuts)
    return breaks


def _part_hashtags(text: str) -> str:
    breaks = _hashtag_breaks(text) if "#" in text else []
    if not breaks:
        return text
    return " ".join(text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)]))


def markup_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each HTML tag that `blank_markup` turns into spaces."""
    return [match.span() for match in _MARKUP.finditer(text)] if "<" in text else []


def decode_entities(text: str) -> str:
    """`text` (already mapped) with its HTML character references decoded: `normalise`'s first regex step."""
    return _ENTITY.sub(_decode_entity, text) if "&" in text else text


def _collapse_repeats(match: re.Match[str]) -> str:
    char = match.group(1)
    if char == "!":
        return _exclamations(match)
    return char


_LETTERS_BEFORE = re.compile(r"[a-z]+\Z")
_LETTERS_AFTER = re.compile(r"[a-z]+")


def _exclamations(match: re.Match[str]) -> str:
    """A run of "!" between letters: two words ("chance!!!!!after" collapsed to one "!" read as
    "chanceiafter", the leet "i" of "sh!t"), so two "!", which no letter is; unless its letters with
    an "i" for the run are a word people mask ("n!!!gger")."""
    text, start, end = match.string, match.start(), match.end()
    before = _LETTERS_BEFORE.search(text, max(start - 20, 0), start)
    after = _LETTERS_AFTER.match(text, end, end + 20)
    if before is None or after is None or before.group(0) + "i" + after.group(0) in _MASKABLE:
        return "!"
    return "!!"


def _squeeze_spaces(text: str) -> str:
    """`_SPACES.sub(" ", text)` without the regex: the regex and str.split() agree on what is whitespace."""
    if "  " not in text and text.isprintable():  # every whitespace but " " is unprintable
        return text
    parts = text.split()
    if not parts:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(parts) + (" " if text[-1].isspace() else "")


def _pad_punctuation_run(match: re.Match[str]) -> str:
    # `char.isalnum() or char == "_"` is exactly what `\w` matches in a str pattern.
    text = match.string
    start, end = match.span()
    run = match.group(0)
    if start:
        char = text[start - 1]
        if char.isalnum() or char == "_":
            run = " " + run
    if end < len(text) and run[-1] not in "#@$":
        char = text[end]
        if char.isalnum() or char == "_":
            run += " "
    return run


def _space_punctuation(text: str) -> str:
    """`_PUNCTUATION_EDGE.sub(" ", text)`, visiting only the punctuation runs."""
    return _PUNCTUATION_RUN.sub(_pad_punctuation_run, text)


def _entity_hint(text: str) -> bool:
    return "&" in text


def _mask_hint(text: str) -> bool:
    return "*" in text or "#" in text or "%" in text  # _MASK_HINT, without the regex engine


def _spaced_hint(text: str) -> bool:
    return bool(_SPACED_HINT.search(text) or _SPACED_HINT.match(" " + text[:5]))


# Order matters: repeats before spacing (s  t  u), leet before masks ($h*t). A hint, when
# given, is a cheap test that must succeed for the step's pattern to match at all. A shortcut,
# when given, is what `normalise` runs instead of `pattern.sub`: the very same string, faster
# (the tests hold both paths to it); `normalise_with_offsets` always runs the pattern.
_Replace = Callable[[re.Match[str]], str] | str
_Step = tuple[re.Pattern[str], _Replace, Callable[[str], object] | None, Callable[[str], str] | None]
_STEPS: tuple[_Step, ...] = (
    (_ENTITY, _decode_entity, _entity_hint, None),
    (_SPACES, " ", None, _squeeze_spaces),
    (DOUBLED, restore_doubled, None, None),
    (_REPEATS, _collapse_repeats, None, None),
    (_SPACED, _join_spaced, _spaced_hint, None),
    (_LEET_TOKEN, _restore_leet, _LEET_HINT.search, None),
    (MASKED, unmask, _mask_hint, None),
    (_PUNCTUATION_EDGE, " ", None, _space_punctuation),
)


_MASK_STEP = next(i for i, step in enumerate(_STEPS) if step[0] is MASKED)


def normalise(text: str) -> str:
    """Lower-cased, de-obfuscated text used for features (fast path, no offsets)."""
    # Letters drawn right to left are read as drawn (classifiers/bidi.py), and what comments hide too.
    if "<" in text or may_reorder(text):
        text = in_reading_order(text)
    text = join_broken_words(blank_markup(text))
    if not text.isascii():  # before hashtags are parted, as normalise_with_offsets reads them
        text = _lone_indicators(text)
    text = _part_hashtags(text)
    text = text.lower() if text.isascii() else text.translate(_TABLE)
    return _run_steps(text, _STEPS).strip()


def _run_steps(text: str, steps: Sequence[_Step]) -> str:
    for pattern, replace, hint, shortcut in steps:
        if hint is None or hint(text):
            text = shortcut(text) if shortcut is not None else pattern.sub(replace, text)
    return text


def normalise_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Like `normalise`, plus for each output character the [start, end) it covers in `text`."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    source, order = reading_order(text)
    blanked = _lone_indicators(join_broken_words(blank_markup(
        source if order is None else in_order(source, order))))
    breaks = set(_hashtag_breaks(blanked)) if "#" in blanked else set()
    after = 0  # the end of the last character of `text` put out
    for k, char in enumerate(blanked):
        i = k if order is None else order[k]  # offsets into `text` as written
        if i < 0:  # between two readings (classifiers/bidi.py): of no width in `text`
            chars.append(char)
            starts.append(after)
            ends.append(after)
            continue
        after = i + 1
        if k in breaks:  # a space between a hashtag's words, with the offsets of the letter before it
            chars.append(" ")
            starts.append(i - 1)
            ends.append(i)
        mapped = char.lower() if char.isascii() else _TABLE[ord(char)]
        for m in mapped:
            chars.append(m)
            starts.append(i)
            ends.append(i + 1)
    current = "".join(chars)
    for pattern, replace, hint, _ in _STEPS:
        if hint is not None and not hint(current):
            continue
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        last = 0
        for match in pattern.finditer(current):
            a, b = match.span()
            out.append(current[last:a])
            new_starts.extend(starts[last:a])
            new_ends.extend(ends[last:a])
            replacement = replace if isinstance(replace, str) else replace(match)
            if a == b:  # an insertion (a space at a word edge) borrows its left neighbour's offsets
                k = max(a - 1, 0)
                s, e = [starts[k]] * len(replacement), [ends[k]] * len(replacement)
            else:
                s, e = _align(match.group(0), replacement, starts[a:b], ends[a:b])
            new_starts.extend(s)
            new_ends.extend(e)
            out.append(replacement)
            last = b
        out.append(current[last:])
        new_starts.extend(starts[last:])
        new_ends.extend(ends[last:])
        current, starts, ends = "".join(out), new_starts, new_ends
    # Strip, keeping offsets aligned.
    left = len(current) - len(current.lstrip())
    right = len(current.rstrip())
    return current[left:right], starts[left:right], ends[left:right]


def span_of(starts: Sequence[int], ends: Sequence[int], a: int, b: int) -> tuple[int, int]:
    """[begin, end) in the text as written of normalised characters a..b (`normalise_with_offsets`):
    the least start and the most end, since a bidi override reverses the offsets of what it covers."""
    return min(starts[a:b]), max(ends[a:b])


def _align(source: str, replacement: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Offsets for `replacement` given those of the `source` stretch it replaces."""
    if len(replacement) == len(source):
        return list(starts), list(ends)
    if not replacement or not source:
        return [], []
    positions: list[int] = []
    k = 0
    for char in replacement:
        while k < len(source) and source[k] != char:
            k += 1
        if k == len(source):
            # Not a subsequence (a restored masked word): every character covers the whole stretch.
            return [starts[0]] * len(replacement), [ends[-1]] * len(replacement)
        positions.append(k)
        k += 1
    new_starts = [starts[p] for p in positions]
    new_ends = [ends[p] for p in positions]
    # Dropped characters at the edges (collapsed repeats, separators) still belong to the span.
    new_starts[0], new_ends[-1] = starts[0], ends[-1]
    return new_starts, new_ends


# What `spaced_code` reports about a whitespace-free chunk of raw text, in one small int: how many
# lone letters or digits the _SPACED-like run it ends with holds (at most 3, bits 0-1), how many
# the run it starts with holds (bits 2-3), whether that run is the whole chunk, and whether the
# chunk must be normalised with its whole text.
SPACED_TAIL, SPACED_HEAD, SPACED_WHOLE, SPACED_UNSAFE = 0b11, 0b1100, 0b10000, 0b100000
# A run _SPACED could start a match with at the end of a chunk, and one it could end a match with
# at its start: letters or digits, one separator between each two (no space inside a chunk).
_TAIL_RUN = re.compile(r"(?<![\w])(?:[a-z0-9][.\-_*/])*[a-z0-9]\Z")
_HEAD_RUN = re.compile(r"(?:[a-z0-9][.\-_*/])*[a-z0-9](?![\w])")


def spaced_code(chunk: str) -> int:
    """What a _SPACED match crossing a space could take of `chunk` (raw, no whitespace).

    Every step of `normalise` but _SPACED sees only one whitespace-free chunk at a time, and a
    _SPACED match that crosses a space is a run of three or more lone letters or digits, one
    separator between each two, at least one of them a space: it takes the end of one chunk, any
    chunks that are such a run whole, and the start of the next. So when no run of a text's chunks
    adds up to three letters across a space (see `features._crossing_texts`), `normalise(text).split()`
    is the concatenation of `normalise(chunk).split()` over its chunks. SPACED_UNSAFE marks chunks
    whose mapping vanishes or holds whitespace, or with a word a star opens or closes that fits a
    masked word (a mask, or emphasis if another chunk's star pairs with it: `masks.unmask`): a text with
    one is normalised whole.
    """
    if may_reorder(chunk):  # it may reorder the chunks around it (classifiers/bidi.py)
        return SPACED_UNSAFE
    lowered = chunk.lower() if chunk.isascii() else _lone_indicators(chunk).translate(_TABLE)
    text = decode_entities(lowered)
    if not text or not text.isprintable() or " " in text:  # "&nbsp;" and "&#10;" decode to whitespace
        return SPACED_UNSAFE
    if "#" in chunk and _ends_in_a_lone_letter(chunk):
        return SPACED_UNSAFE
    if "*" in text and EMPHASIS_STAR.search(text) and _reads_by_context(lowered):
        return SPACED_UNSAFE
    return mapped_code(_REPEATS.sub(_collapse_repeats, text))


def _ends_in_a_lone_letter(chunk: str) -> bool:
    """Whether a camel-case hashtag in `chunk` parts into a one-letter word ("#ThisIsA"), which a
    _SPACED run could take on into the next chunk; the chunk's own code cannot tell."""
    parted = _part_hashtags(chunk)
    return parted is not chunk and any(len(word) == 1 for word in parted.split()[1:])


def mapped_code(text: str) -> int:
    """`spaced_code` of a chunk from its text once mapped and collapsed (not empty, no whitespace)."""
    if text[1:2].isalnum() and text[-2:-1].isalnum():  # most words: no run can start or end one
        return 0
    head = _HEAD_RUN.match(text)
    letters = 0 if head is None else min((head.end() + 1) // 2, 3)
    if head is not None and head.end() == len(text):
        return letters | letters << 2 | SPACED_WHOLE
    tail = _TAIL_RUN.search(text)
    return (0 if tail is None else min((tail.end() - tail.start() + 1) // 2, 3)) | letters << 2


# ASCII chunks that only lower-casing, collapsing repeats and spacing off their leading and
# trailing punctuation change, and most new words are one: a word (apostrophes inside allowed) or
# a number, wrapped in the commonest punctuation. No mask character, no leet letter but "!" (read
# as a letter only between two letters, as in sh!t), and no _SPACED separator between two letters,
# so no other step changes one.
_SIMPLE_CHUNK = re.compile(r"""[("]*(?:[A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+)[.,?!:;)"]*""")
_SIMPLE_RUN = re.compile(r"""([.,?!:;)("]+)""")


def is_simple_chunk(chunk: str) -> bool:
    """Whether `simple_chunks_normalised` takes this whitespace-free chunk."""
    return chunk.isascii() and (chunk.isalpha() or _SIMPLE_CHUNK.fullmatch(chunk) is not None)


def simple_chunks_normalised(chunks: list[str]) -> tuple[list[str], list[list[str]]]:
    """For chunks `is_simple_chunk` takes, in one call for them all: each chunk's text once mapped
    and collapsed (what `mapped_code` reads), and `normalise(chunk).split()`."""
    if not chunks:
        return [], []
    # Three newlines never meet; letters written many times are a word people hide before they collapse.
    collapsed = _REPEATS.sub(_collapse_repeats, DOUBLED.sub(restore_doubled, "\n".join(chunks).lower()))
    # Split at each run and joined again by spaces: the runs spaced off with no call per run.
    spaced = " ".join(_SIMPLE_RUN.split(collapsed))
    return collapsed.split("\n"), [pieces.split() for pieces in spaced.split("\n")]
