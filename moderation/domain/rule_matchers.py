"""What each rule looks for in a comment's text: plain functions of strings, tested with tables.

Word lists match the classifier's normalised text (classifiers.normalise), so the look-alike
letters, spaced-out letters, leet digits and repeated letters the model sees through are seen
through here too; a starred word (f*ck) matches a listed word of the same length whose letters
fit around the stars. Everything else reads the text as written: a phone number or an address
is not obfuscated the same way, and normalising would glue digits to words.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from classifiers.bidi import may_reorder
from classifiers.normalise import blank_markup, in_reading_order, normalise, normalise_with_offsets, span_of
from moderation.domain.lookalikes import BLANK_LETTERS, LETTERS_LIKE_LATIN
from moderation.domain.disguised_links import PLAIN_TLDS, reveal_links
from moderation.domain.social_handles import handle_given
from moderation.domain.spelled_contacts import home_address, spelled_email, spelled_phone

# The rules read at most this much normalised text. U+FDFA normalises to 18 characters, so a comment
# of 20,000 of them was 360,000 characters, and the starter rules took 3 s over it: twenty such
# comments held every site's scoring for a minute (a security review). Twice the longest comment
# the API takes by default, so an ordinary text is read whole; one that is not is held unread
# (rules.Compiled): a re-check hid a threat after 13,500 x "ﬄ", three characters each once read.
READ_AT_MOST = 40_000


def normalised_for_rules(text: str) -> tuple[str, bool]:
    """normalise(text) cut at READ_AT_MOST characters (the text read no further than that), and
    whether that is all of it."""
    normalised = normalise(text[:READ_AT_MOST])
    return normalised[:READ_AT_MOST], len(text) <= READ_AT_MOST and len(normalised) <= READ_AT_MOST

# Pictures that stand for a word the phrase rules read (threats, group attacks, urging self-harm):
# "I will 🔪 you", "Go 🔫 yourself" and "All immigrants are 🐀🐀🐀" were published (a trust and safety
# walk). Only these rules read them, and only when the words alone found nothing; not ones whose
# meaning turns on tone ("💀" is laughter as often as death, "🔥" praise).
_PICTURE_WORDS: dict[str, tuple[str, ...]] = {
    # Read each way in turn: "The mayor should be 🔫" is a gun as "shot", "deserves a 🔫" as "bullet"
    # (a second re-check).
    "🔪": ("stab", "stabbed", "knife"), "🗡": ("stab", "stabbed", "knife"), "🔫": ("shoot", "shot", "bullet"),
    "💣": ("bomb",), "☠": ("die", "dead"), "⚰": ("dead",), "🪦": ("dead",),
    "🐀": ("rats",), "🐁": ("rats",), "🪳": ("cockroaches",), "🐍": ("snakes",), "🐷": ("pigs",), "🐖": ("pigs",),
    "🐒": ("apes",), "🦍": ("apes",), "🐵": ("apes",), "🦠": ("disease",),
}
READINGS = max(map(len, _PICTURE_WORDS.values()))
# With either presentation selector and a skin tone after it ("🔪︎", "🔪🏻" were not read: a second re-check).
_PICTURES = re.compile("[" + "".join(_PICTURE_WORDS) + "][\ufe0e\ufe0f]?[\U0001F3FB-\U0001F3FF]?")


def has_pictures(normalised: str) -> bool:
    return _PICTURES.search(normalised) is not None


def pictures_read(normalised: str, reading: int = 0) -> str:
    """The normalised text with each picture of _PICTURE_WORDS read as its word: its `reading`-th, or
    its last if it has fewer."""
    def word(found: re.Match[str]) -> str:
        words = _PICTURE_WORDS[found.group(0)[0]]
        return f" {words[min(reading, len(words) - 1)]} "

    return re.sub(r"\s+", " ", _PICTURES.sub(word, normalised)).strip()


# Letters and digits of any script (Arabic, Chinese, Hebrew stay as written once normalised), with
# apostrophes: [a-z0-9'] made every Arabic word list entry "letterless" and every Arabic text one
# fingerprint, "", which no flood counted.
_WORD = re.compile(r"(?:[^\W_]|')+")
_EDGE = r"[^\W_]"
_STARRED = re.compile(r"(?<![a-z0-9*#%])[a-z0-9]*[*#%]+[a-z0-9*#%]*")  # starts only where a run starts: linear


# Between a phrase's words: spaces, or a hyphen, underscore or dot. A crime desk's banned "Kyle Mercer"
# (a name under a court order) let "Kyle-Mercer", "Kyle_Mercer" and "KyleMercer" through. Words of four
# letters or more may also run together; shorter ones may not, or "the rapist" would be "therapist".
# A dot too, which the normaliser spaces: "Kyle.Mercer" reads "kyle . mercer" (a re-check).
_APART = r"(?:\s*[-_.]\s*|\s+)"
_APART_OR_JOINED = r"(?:\s*[-_.]\s*|\s*)"


def _phrase_regex(phrase: str) -> str:
    words = phrase.split(" ")
    regex = re.escape(words[0])
    for before, after in zip(words, words[1:]):
        regex += (_APART_OR_JOINED if min(len(before), len(after)) >= 4 else _APART) + re.escape(after)
    return regex


def uninflected(written: str, listed: str) -> str:
    """`written` without the plural or possessive ending `word_pattern` allows after `listed`."""
    folded, bare = written.casefold(), listed.casefold()
    if folded.endswith("ies") and bare.endswith("y"):
        return written[:-3] + "y"
    for ending in ("'s", "\u2019s", "es", "s"):
        if folded.endswith(ending) and not bare.endswith(ending):
            return written[: -len(ending)]
    return written


def same_phrase(listed: str, found: str) -> bool:
    """Whether `found` (a `find_words` result) is the listed word or phrase, however its words were
    joined, or its plural or possessive."""
    bare, written = re.sub(r"[\s_.-]", "", normalise(listed)), re.sub(r"[\s_.-]", "", found)
    return written in (bare, bare + "s", bare + "es", bare + "'s", bare[:-1] + "ies")


# A listed word's plural and possessive: a comments editor's list held "you ugly slag" and published
# "full of chavs and slags", and a list of slurs in the singular missed every plural. From three
# letters ("ho" is not "hos" and "hoes"), and as English makes them: "es" only after s, x, z, ch or
# sh, "ies" for a "y" ("spic" is not "spices", nor "git" "gites", but "tranny" is "trannies": a re-check).
def _inflected(phrase: str) -> str:
    last = phrase.rsplit(" ", 1)[-1]
    regex = _phrase_regex(phrase)
    if len(last) < 3:
        return regex
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return regex + r"(?:'s|es)?"
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return regex[:-1] + r"(?:y(?:'s)?|ies)"
    return regex + r"(?:'s|s)?"



def word_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of words or phrases, each normalised like the text and matched whole, or
    followed by "s", "es" or "'s"."""
    phrases = sorted({normalise(w) for w in words if normalise(w)}, key=len, reverse=True)
    if not phrases:
        return None
    return re.compile(rf"(?<!{_EDGE})(?:" + "|".join(map(_inflected, phrases)) + rf")(?!{_EDGE})")


def find_words(text: str, words: Sequence[str], pattern: re.Pattern[str] | None = None,
               normalised: str | None = None) -> str | None:
    """The first listed word or phrase the text contains, as normalised, or None.

    `normalised` is normalise(text) when the caller has it: normalising a long text is the costly part."""
    pattern = pattern if pattern is not None else word_pattern(words)
    if pattern is None:
        return None
    normalised = normalised if normalised is not None else normalise(text)
    found = pattern.search(normalised)
    if found:
        return found.group(0)
    tokens = _STARRED.findall(text.lower())
    if not tokens:
        return None  # the list normalised again for nothing: most of reading a rule set over a few words
    singles = [normalise(w) for w in words if " " not in normalise(w)]
    for token in tokens:
        fits = _mask_fits(token, singles)
        if fits:
            return fits
    return None


def written_as(text: str, found: str) -> str:
    """The stretch of `text`, as written, that normalised to `found` (a `find_words` result); `found`
    itself if it came from a starred word, which is found in the text as written."""
    cleaned, starts, ends = normalise_with_offsets(text)
    at = re.search(rf"(?<!{_EDGE}){re.escape(found)}(?!{_EDGE})", cleaned)
    if at is None:
        # Each letter as written or masked, and a mask among them: any letter at all had quoted the
        # first word of the length ("rape" written "will" in "I will r*** you", a red-team walk).
        starred = next((m for m in re.finditer(
            r"(?<![a-z0-9*#%])" + "".join(f"[{c}*#%]" if c.isalpha() else re.escape(c) for c in found)
            + r"(?![a-z0-9*#%])", text.lower()) if any(c in "*#%" for c in m.group())), None)
        return text[starred.start():starred.end()] if starred else found
    begin, end = span_of(starts, ends, *at.span())
    return text[begin:end]


# Letters styled rather than written in a script of their own: obfuscation, never a language's word.
_STYLED = ("FULLWIDTH", "MATHEMATICAL", "CIRCLED", "PARENTHESIZED", "SQUARED", "NEGATIVE", "MODIFIER", "SUBSCRIPT",
           "SUPERSCRIPT", "REGIONAL")


def _script(letter: str) -> str:
    """The script a letter is written in ("LATIN" for an accented Latin one), or "STYLED"."""
    if letter.isascii():
        return "LATIN"
    base = unicodedata.normalize("NFD", letter)[0]
    if base.isascii():
        return "LATIN"
    name = unicodedata.name(base, "")
    if name.startswith(_STYLED) or "SMALL CAPITAL" in name:
        return "STYLED"
    return name.split(" ")[0] or "STYLED"


def another_languages_word(written: str, listed: str) -> bool:
    """Whether `written` matched the listed word only by folding letters that make another word in
    a language: accents (año for "ano", schwül for "schwul") or another script's look-alikes (Russian
    "сор" for "cop", Latin "xep" for Russian "хер"), all its letters in one script. Obfuscation
    mixes scripts (ѕtupid: a Cyrillic s), styles letters (ｓｔｕｐｉｄ) or swaps them for digits and
    signs ($tup1d), and a repeated letter (stuuupid) is one the listed word has."""
    own = set(listed.casefold())
    letters = [c for c in written.casefold() if c.isalpha()]
    if all(c in own for c in letters):
        return False
    scripts = {_script(c) for c in letters}
    return len(scripts) == 1 and "STYLED" not in scripts


def _mask_fits(token: str, words: Iterable[str]) -> str | None:
    """`f*ck` fits "fuck": same length, the visible letters in place, one star per hidden letter."""
    same_length = [w for w in words if len(w) == len(token)]  # before building a regex as long as the token
    # A letter must show: "10%" is a percentage, not a masked "10x" (a business desk's walk found every
    # "cut 10% of its workforce" held by a suspect "10x", the pump-and-dump promise).
    if not same_length or not any(c.isalpha() for c in token):
        return None
    regex = re.compile("".join("[a-z]" if c in "*#%" else re.escape(c) for c in token))
    return next((w for w in same_length if regex.fullmatch(w)), None)


# Links: a scheme, "www.", or a bare host ending in a common top-level domain (news.example.com/x).
_TLDS = ("com|net|org|info|biz|io|co|uk|de|fr|ru|cn|us|ca|au|in|me|tv|xyz|top|online|site|shop|club|app|dev|"
         "ly|gl|gg|to|eu|nl|es|it|pl|br|jp")
_LINK = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"']+|"
    r"(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?:/[^\s<>\"']*)?"
)
_HOST = re.compile(r"(?i)^(?:https?://)?(?:[^/@\s]*@)?([^/:?#\s]+)")


def links(text: str) -> list[str]:
    """The hosts of the links in the text as shown, disguised ones too ("bit . ly", "x[.]com"),
    lower-cased ("www." kept off)."""
    hosts = []
    for match in _LINK.finditer(reveal_links(_visible(text))):
        host = _HOST.match(match.group(0))
        if host:
            hosts.append(host.group(1).lower().rstrip(".").removeprefix("www."))
    return hosts


# The top-level domains a name must end a host with to be read as one, or a scheme or "www." before it.
_LINK_IN_A_NAME = frozenset((*PLAIN_TLDS, "top", "online", "site", "shop", "club"))


def plainly_a_link(written: str, host: str) -> bool:
    """Whether `host`, found in a display name, is plainly a link: an author named "Ex.Pat.In.Spain"
    or "J.R.R.To" is not one (a re-check), "ITguy.net" and "www.example.de" are."""
    return host.rsplit(".", 1)[-1] in _LINK_IN_A_NAME or bool(re.search(r"(?i)https?:|www\.|\bwww\b", written))


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """The domain itself or any subdomain of it (news.example.com under example.com)."""
    return any(host == d or host.endswith("." + d) for d in allowed)


# A phone number: 10 to 15 digits in groups, or a local 3-4 number (555-1234). Thousands
# separators (12,000), decimals, dates (2024-05-01), year ranges (1999-2004), percentages and IP
# addresses (192.168.10.20, which Wikipedia signs anonymous edits with) are not phones.
_PHONE = re.compile(r"(?<![\w.,/-])(\+?\(?\d[\d ().-]{5,20}\d)(?![\w/%]|[.,-]\d)")
_LOCAL = re.compile(r"\d{3}[-. ]\d{4}")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# A date or an IP address at the start of a candidate is a timestamp ("2007-07-18 15:40") or a
# signature ("212.127.137.2 22:53"), and the 10 or 13 digits after "ISBN" a book.
# Four dotted groups of one to three digits are an IP address, or a count ("1.234.567.890 votes"),
# unless the first opens with a 0, which neither does: "07.723.881.442", a mobile number written with
# dots, was published as an IP address (a business desk's walk).
# A count with dots between its thousands ("2.000.000.000 years"), which no number to call starts without a 0.
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_NOT_A_PHONE = re.compile(r"\(?(?:\d{4}-\d{1,2}-\d{1,2}|(?!0\d)\d{1,3}(?:\.\d{1,3}){3})(?!\d)")
# Pairs of digits between dots are lottery numbers or a date ("04.11.23.35.41.49"), but for a French
# number's five (06.12.34.56.78).
_DOTTED_PAIRS = re.compile(r"\d\d(?:\.\d\d)+")
_FRENCH = re.compile(r"0\d(?:\.\d\d){4}")
# Digits after a label that names them are a book's, a library record's, a paper's, or a wiki page's
# revision: "Undid revision 1184773201 by Example (talk)" (MediaWiki's own undo summary), "(oldid
# 1184770012)", "between revisions 1184773201 and 1184773388". English Wikipedia's revision ids have
# ten digits now, and a wiki's community lead found every undo summary held as a phone number.
_LABELLED_ID = re.compile(r"(?i)(?<![a-z])(?:isbn(?:-1[03])?|issn|oclc|lccn|pmid|pmc|oldid|curid|revid|diffs?|revisions?)"
                          r"\W{0,4}(?:\d{6,}\W{1,3}(?:and|or|to|vs)?\W{0,3})?$")
_LABEL_WINDOW = 48
# A link's query, which a tokenised comment spaces out so that no link is read around it: "https :
# //s3.amazonaws.com/ksr/assets/ ... jpg ? 1365024003" (a cache-busting number) was held as a phone
# and ranked above antisemitic slurs (a standards editor's audit). A file's ending then "?", or a
# "?" or "&" with a name and "=": not "Call me? 0207 946 0991", which has neither.
_QUERY = re.compile(r"(?i)(?:\b(?:jpe?g|png|gif|webp|svg|bmp|tiff?|html?|php\d?|aspx?|jsp|cgi|js|css|pdf|mp[34]|webm|json|xml)"
                    r"\s*\?|[?&]\s*[\w.-]{1,20}\s*=)\s*$")


# Text read as it shows: "555\u200b-867\u200b-5309", "555-867-53O9", then (a re-check) a left-to-right
# mark or an invisible separator inside, a Cyrillic O for a zero, "4OOO OOOO OOOO OOO2", a no-break
# space or an en dash between the groups and a full-width "＠" were all published. So: compatibility
# forms folded (NFKC: full-width digits and "＠", no-break spaces), every format character (Cf)
# dropped, dashes read as "-", letters drawn as an O read as one, and O among digits as a zero.
# The next re-check: text a bidi override draws in another order ("\u202emoc.liamg@ecila" shows as
# alice@gmail.com), invisible characters outside the format category (a grapheme joiner, variation
# selectors, Hangul fillers), an l for a 1, Ø or 〇 for a 0, and look-alike letters in an e-mail's
# domain or a street's name were published too. So the text is read in display order (both ways
# where a line break's place changes it: classifiers/bidi.py) with those dropped or read as drawn.
_AS_SHOWN = {**dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-"),
             **dict.fromkeys(map(ord, "\u3002\uff61"), "."),  # ideographic full stops, which IDNA reads as dots
             # ... and dots drawn like a full stop: "alice@gmail\ua4f8com" (a Lisu tone mark) shows as
             # alice@gmail.com, as with a middle dot or a dot operator (the next re-check).
             **dict.fromkeys(map(ord, "\ua4f8\u00b7\u22c5\u2219\u30fb\u2027\u2e31\u1427\u16eb\u0701\u06d4\u2e3c"
                                      "\ua60e\u0589\u0702\u2e33"), "."),
             **dict.fromkeys(map(ord, "\u041e\u043e\u039f\u03bf\u0555\u0585\u2c9e\u2c9f\u00d8\u00f8\u3007"), "O"),
             **dict.fromkeys(map(ord, "".join(BLANK_LETTERS) + "\u034f\u180b\u180c\u180d\u180f"), None),
             **dict.fromkeys(range(0xFE00, 0xFE10), None), **dict.fromkeys(range(0xE0100, 0xE01F0), None),
             # Digits drawn in a keycap or a black circle, which NFKC leaves as they are: "0️⃣7️⃣7️⃣…",
             # "➊➍➍➐ ➒➐➎➌" were published (a business desk's walk).
             0x20E3: None, **{0x2776 + i: str(i % 10 + 1) for i in range(30)}}  # the tenth of each run is 10
_LIKE_LATIN = str.maketrans(LETTERS_LIKE_LATIN)
# A bullet between two letters or digits is drawn as a dot ("alice@gmail\u2022com"); with spaces
# around it, it is a separator ("0918 \u2022 2005-12-18", a signature and its date).
_BULLET_AS_DOT = re.compile(r"(?<=[^\W_])\u2022(?=[^\W_])")
# A run of digits and O's (with a number's separators) that holds two digits or more, not inside a word.
_NUMBER_WITH_O = re.compile(r"(?<![^\W\d_])[\dOo](?:[\dOo]|[ ().-](?=[\dOo])){5,}(?![^\W\d_])")
# An l or I for a 1 only between two digits: beside one ("@100046729 lol", a table's "| 1 |") it was a word.
_ONE_AMONG_DIGITS = re.compile(r"(?<=\d)[lI](?=\d)")


@functools.lru_cache(maxsize=32)  # the four personal-information rules read the same comment in turn
def _visible(text: str) -> str:
    # Tags dropped as a page drops them, before it lays the text out: "alice@gm<b></b>ail.com" and
    # "\u202emoc.li<b></b>amg@ecila" showed as an address and were published (a re-check); what a
    # comment hides is read too, as a page that shows the text as written shows it.
    if "<" in text or may_reorder(text):
        text = blank_markup(in_reading_order(text))
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text)
    shown = "".join(c for c in folded if unicodedata.category(c) != "Cf").translate(_AS_SHOWN)
    return _BULLET_AS_DOT.sub(".", shown) if "\u2022" in shown else shown


def _zeros(match: re.Match[str]) -> str:
    run = match.group(0)
    return run.replace("O", "0").replace("o", "0") if sum(c.isdigit() for c in run) >= 2 else run


def _as_shown(text: str) -> str:
    text = _ONE_AMONG_DIGITS.sub("1", _visible(text))
    return _NUMBER_WITH_O.sub(_zeros, text) if ("O" in text or "o" in text) else text


def _outside_links(text: str) -> str:
    """The text with its links blanked: the digits of a link (a tweet's id, an image's size) are
    neither a phone nor a card. Over the shared data's civil comments, phone fired on 880 before
    links and IP addresses were left out (0.6 %), and payment_card on 13, all of them links."""
    return _LINK.sub(lambda m: " " * len(m.group(0)), text) if ("." in text or "/" in text) else text


# Digit groups apart by one or two spaces, which a page folds into one: "212  555  0199" was published
# (the next re-check). Other double spaces are a sentence's end ("in 1961.  212.121.210.45").
_SPACED_GROUPS = re.compile(r"\+?\d+(?: {1,2}\d+)+")
# ... and by any run of spaces or tabs, which a page folds alike: "212   555   0199", "(212)\t\t555"
# were published (the re-check after).
_FOLDED_GAPS = re.compile(r"(?<=[\d)])[ \t]{2,}(?=[\d(+])")


def _a_table_row(candidate: str) -> bool:
    """Groups of digits apart by spaces, not opening with 0 or +, all as long (three or more) or three
    running of three digits or more: a table's or a score sheet's numbers ("Year  2019  2020  2021",
    "North\t120\t135\t149\t162", "98 87 91 77 85", "1204 1350 1490 16"), held as phones once gaps of
    any width were folded (the re-check after). A number to call groups its digits unevenly
    (212 555 0199, 612 34 56 78) or opens with 0 (06 12 34 56 78) or +. Nor does one run to five
    groups without a 0 or + first, or hold a one-digit group after the first (1 212 555 0199 does):
    "Points by season: 101 99 87 110 95", "Rebounds: 10 8 12 9 11 7 13" (the re-check after)."""
    groups = candidate.split(" ")
    if len(groups) < 3 or candidate[0] in "0+" or not all(map(str.isdigit, groups)):
        return False
    lengths = list(map(len, groups))
    return (len(set(lengths)) == 1 or len(groups) >= 5 or 1 in lengths[1:]
            or any(a == b == c >= 3 for a, b, c in zip(lengths, lengths[1:], lengths[2:])))


# A number no person answers at home: freephone and non-geographic numbers (UK 0800, 0808, 03xx,
# 084x, 087x; North American toll-free; Irish and Australian 1800 and 1300). A business desk's and a
# crime desk's walks found every helpline tip held as personal information ("the FSCS helpline is
# 0800 678 1100", "call Crimestoppers anonymously on 0800 555 111", "Action Fraud: 0300 123 2040").
_UK_SERVICE = re.compile(r"0(?:80[08]|3\d\d|84[345]|87[01])\d{6,7}")
# North American toll-free grouped as one writes it (1-800-273-8255, (888) 550-7123): an Indian mobile
# "88001 23456" has the digits but not the groups (a re-check).
_NANP_TOLL_FREE = re.compile(r"(?:\+?1[ .-]?)?\(?(?:800|833|844|855|866|877|888)\)?[ .-]?\d{3}[ .-]?\d{4}")
# Irish and Australian 1800 and 1300, at home or with their own country code: "+44 1300 123456" is a
# Dorset number (a re-check).
_IE_AU_SERVICE = re.compile(r"(?:(?:\+|00)(?:353|61)[ .-]?)?1[38]00(?:[ .-]?\d){6}")


def service_number(candidate: str) -> bool:
    """Whether a number as written is a freephone or non-geographic one."""
    digits = re.sub(r"\D", "", candidate)
    national = "0" + digits[4:] if digits.startswith("0044") else "0" + digits[2:] if digits.startswith("44") else digits
    return (_UK_SERVICE.fullmatch(national) is not None or _NANP_TOLL_FREE.fullmatch(candidate.strip()) is not None
            or _IE_AU_SERVICE.fullmatch(candidate.strip()) is not None)


def phone_number(text: str) -> str | None:
    text = _as_shown(text)
    if "  " in text or "\t" in text:
        text = _FOLDED_GAPS.sub(" ", text)
    for match in _PHONE.finditer(_outside_links(text)):
        candidate = match.group(1)
        digits = re.sub(r"\D", "", candidate)
        if (_DATE.fullmatch(candidate) or _NOT_A_PHONE.match(candidate) or _THOUSANDS.fullmatch(candidate)
                or (_DOTTED_PAIRS.fullmatch(candidate) and not _FRENCH.fullmatch(candidate))
                or _a_table_row(candidate) or ("  " in candidate and not _SPACED_GROUPS.fullmatch(candidate))):
            continue
        if _LABELLED_ID.search(text, max(0, match.start() - _LABEL_WINDOW), match.start()) or _QUERY.search(text, max(0, match.start() - 30),
                                                                                           match.start()):
            continue
        if (10 <= len(digits) <= 15 and not service_number(candidate)) or (len(digits) == 7 and _LOCAL.fullmatch(candidate)):
            return candidate
    # Digits as words, or spaced one by one with dashes: a children's site's walk found them published.
    spelled = spelled_phone(text)
    return spelled[0] if spelled and not service_number(spelled[1]) else None


_EMAIL = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
# "jane at example dot com", "jane [at] example (dot) com": the words must stand apart ("theatre dot com" is not).
_EMAIL_SPELLED = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+\s*(?:\[at\]|\(at\)|\sat\s)\s*[a-z0-9-]+\s*"
                            r"(?:\[dot\]|\(dot\)|\sdot\s)\s*(?:com|net|org)\b")


def email_address(text: str) -> str | None:
    text = _visible(text).translate(_LIKE_LATIN)
    match = _EMAIL.search(text) or _EMAIL_SPELLED.search(text)
    return match.group(0) if match else spelled_email(text)


# A house number, one to three capitalised name words, and a street word: "12 Oak Street",
# "1600 Pennsylvania Ave". Lower-case words in between ("5 miles down the road") are prose. British
# and Irish streets are Groves, Walks, Gardens and Mews as often as Roads ("14 Hargrove Grove" was
# published on a derby day's walk); not Vale, Rise or Row, which name clubs, films and bands as
# often ("Stoke City 2-2 Port Vale", "9 The Rise of Skywalker", "Top 10 Skid Row songs": a re-check).
_STREET_WORDS = ("street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|"
                 "terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy|"
                 "grove|walk|gardens|gdns|mews|wharf|alley|circle|cir|trail")
_ADDRESS = re.compile(r"\b\d{1,5}[a-zA-Z]?,?\s+(?:(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))\s+){1,3}(?i:"
                      + _STREET_WORDS + r")\b\.?")


def street_address(text: str, own_street: bool = False) -> str | None:
    """A numbered address, or a home's street told (spelled_contacts.home_address)."""
    shown = _visible(text).translate(_LIKE_LATIN)
    match = _ADDRESS.search(shown)
    return match.group(0) if match else home_address(shown, own_street)


def social_handle(text: str) -> str | None:
    """A handle given on a named platform ("my snap is jakey_2014"), read as the page shows it."""
    return handle_given(_visible(text).translate(_LIKE_LATIN))


# Groups apart by a space or a dash, or by dots in a card's own groups ("4111.1111.1111.1111", a
# re-check; not any run of digits with a dot, as a decimal is).
_CARD = re.compile(r"(?<![\d-])(?<!\d\.)(?:\d(?:[ -]?\d){12,18}|\d{4}(?:\.\d{4}){3}|\d{4}\.\d{6}\.\d{5})(?![\d-]|\.\d)")


_YEARS = re.compile(r"(?:19|20)\d\d(?:[ .-](?:19|20)\d\d)+")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def payment_card(text: str) -> str | None:
    """13 to 19 digits, in groups or not, that pass the Luhn checksum every card number carries."""
    text = _as_shown(text)
    for match in _CARD.finditer(_outside_links(text)):
        digits = re.sub(r"\D", "", match.group(0))
        if _YEARS.fullmatch(match.group(0)):  # "2023.2024.2025.2026" passes Luhn one time in ten (a re-check)
            continue
        if _LABELLED_ID.search(text, max(0, match.start() - _LABEL_WINDOW), match.start()) or _QUERY.search(text, max(0, match.start() - 30),
                                                                                           match.start()):
            continue
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1:
            return match.group(0)
    return None


_LETTER_RUN = re.compile(r"(.)\1+", re.DOTALL)


def shouting(text: str, *, min_letters: int, caps_ratio: float, max_repeat: int) -> str | None:
    """All caps over enough letters, or one character repeated more than max_repeat times."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= min_letters:
        upper = sum(1 for c in letters if c.isupper())
        if upper / len(letters) >= caps_ratio:
            return "all caps"
    for run in _LETTER_RUN.finditer(text):
        if len(run.group(0)) > max_repeat and not run.group(1).isspace():
            return f"{run.group(1)!r} repeated {len(run.group(0))} times"
    return None


def has_content(word: str) -> bool:
    """Whether a word list entry holds something to match once normalised: a letter or digit of any
    script, or a pictograph ("🖕"); not punctuation alone ("***"), which every text's stars would match."""
    normalised = normalise(word)
    return bool(_WORD.search(normalised)) or any(unicodedata.category(c) == "So" for c in normalised)


def fingerprint(text: str, normalised: str | None = None) -> str:
    """What "the same or near-same text" compares: normalised words only, every sum alike, no punctuation or spacing;
    for a text of no words (emoji, symbols) its normalised characters, so "🖕🖕🖕" posted again counts."""
    normalised = normalised if normalised is not None else normalise(text)
    # Sums as one: a spam wave changing its sum each time ("I earn $480 daily", "$490") was a new text
    # every time, and `flood` held 5 of a business desk's 15. Not a score or a date's day, which
    # readers' different predictions differ by ("Arsenal 2-1 Chelsea", "3-0": a re-check).
    words = _WORD.findall(_NUMBER.sub("0", normalised) if any(map(str.isdigit, normalised)) else normalised)
    return " ".join(words) if words else "".join(normalised.split())


_NUMBER = re.compile(r"\d{3,}(?:\s?[.,]\s?\d+)*|\d+(?:\s?[.,]\s?\d+)+")
