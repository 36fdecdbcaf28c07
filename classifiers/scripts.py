"""Which script a comment's letters are in, and which languages each script can say, for
classifiers/language.py: a script is never reported as a language written in another, and a name in
its own script inside an English sentence does not make the sentence that script's language.

A re-check held an English Wikipedia welcome to "牛岩" as "Russian (ru), in part": its list of the
word "translate" in 29 scripts had more Cyrillic letters than any other script's, and the commonest
script named the language. "Hello יוסי כהן, welcome to Wikipedia!" was held as Hebrew.
"""
from __future__ import annotations

import re
import unicodedata

UNDETERMINED = "und"
_LATIN_END = 0x250  # Basic Latin to Latin Extended-B
_LETTER = re.compile(r"[^\W\d_]")

# The languages each script writes that the identifier may name, the script's own first: what the
# script says when the identifier does not. Kanji alone may be Japanese as well as Chinese.
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "CJK": ("zh", "yue", "wuu", "gan", "ja"), "KANA": ("ja",), "HANGUL": ("ko",),
    "CYRILLIC": ("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "tg", "mn", "tt", "ba", "cv", "sah", "os", "ce",
                 "mhr", "myv", "udm", "kv", "mrj", "xal", "tyv", "bxr", "krc", "lez", "av"),
    "ARABIC": ("ar", "fa", "ur", "ps", "ckb", "sd", "ug", "arz", "azb", "pnb", "mzn", "glk", "ks", "ku"),
    "HEBREW": ("he", "yi"), "DEVANAGARI": ("hi", "mr", "ne", "sa", "new", "bh", "mai", "bho", "gom"),
    "GREEK": ("el",), "THAI": ("th",), "ARMENIAN": ("hy",), "GEORGIAN": ("ka", "xmf"), "BENGALI": ("bn", "as", "bpy"),
    "TAMIL": ("ta",), "TELUGU": ("te",), "KANNADA": ("kn",), "MALAYALAM": ("ml",), "GUJARATI": ("gu",),
    "GURMUKHI": ("pa",), "SINHALA": ("si",), "KHMER": ("km",), "LAO": ("lo",), "MYANMAR": ("my",),
    "TIBETAN": ("bo",), "ETHIOPIC": ("am", "ti"), "THAANA": ("dv",), "ORIYA": ("or",),
}


def latin(letter: str) -> bool:
    """A Latin letter, styled ones too: "ＨＡ" is full-width Latin, not Chinese."""
    return ord(letter) < _LATIN_END or ord(unicodedata.normalize("NFKC", letter)[0]) < _LATIN_END


def _script(letter: str) -> str:
    name = unicodedata.name(letter, "").split(" ")[0]
    return "KANA" if name in ("HIRAGANA", "KATAKANA") else name


def main_script(letters: list[str]) -> str | None:
    """The script of more than half the letters not Latin, or None when none has that many. Kanji
    among kana are Japanese, and among hangul Korean: each language's own writing."""
    # Small capitals ("ɴᴏᴡ ᴘʟᴀʏɪɴɢ") are Latin letters, though not in `latin`'s blocks.
    scripts = [s for s in (_script(c) for c in letters if not latin(c)) if s != "LATIN"]
    if "KANA" in scripts or "HANGUL" in scripts:
        writing = "KANA" if scripts.count("KANA") >= scripts.count("HANGUL") else "HANGUL"
        scripts = [writing if s == "CJK" else s for s in scripts]
    best = max(set(scripts), key=scripts.count, default=None)
    return best if best is not None and 2 * scripts.count(best) > len(scripts) else None


def script_language(letters: list[str], named: str) -> str:
    """The language letters mostly not Latin are in: `named` (the identifier's) where their main
    script writes it, else the script's own language; UNDETERMINED for a mix of scripts or a script
    with no language here."""
    script = main_script(letters)
    if script not in SCRIPT_LANGUAGES:
        return UNDETERMINED
    return named if named in SCRIPT_LANGUAGES[script] else SCRIPT_LANGUAGES[script][0]


# A name is at most this many words in a script with capitals, each capitalised ("Дмитрий
# Иванов", "Γιώργος Παπαδόπουλος"); in a script without them, at most MAX_NAME_WORDS_UNCASED
# ("محمد الأحمد", "王小明", "田中 さくら"). A sentence of its own is a name only when its two words
# or three are capitalised, as a signature is ("Thanks. (Μελ Ετητης)"): never "Nice piece. 傻逼".
# Capitals throughout are shouting, not a name ("Great article. ΕΙΣΑΙ ΗΛΙΘΙΟΣ"). Letters: a Greek name
# of 20 ("Γιώργος Παπαδόπουλος"), an Arabic one of 10; a Chinese or Japanese one of four or five
# characters, where a sentence has no spaces to tell it by.
MAX_NAME_WORDS_CASED, MAX_NAME_WORDS_UNCASED = 3, 2
MAX_NAME_LETTERS, MAX_NAME_LETTERS_UNCASED, MAX_NAME_LETTERS_UNSPACED = 24, 12, 6
_UNSPACED = frozenset(("CJK", "KANA", "THAI", "LAO", "KHMER", "MYANMAR"))
_SENTENCE = re.compile(r"[^.!?。！？\n]+")
_TOKEN = re.compile(r"\S+")


def without_names(plain: str) -> str:
    """`plain` with each name in another script inside an English sentence blanked: "Welcome to
    Wikipedia, 王小明!" is English, as "Welcome to Wikipedia, Wang Xiaoming!" is."""
    if plain.isascii():
        return plain
    if not any(sum(map(latin, word)) >= 2 for word in map(_LETTER.findall, _TOKEN.findall(plain))):
        return plain  # no English around it: "Дмитрий Иванов" alone says nothing either way
    blank: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(plain):
        tokens = [(m.span(), _LETTER.findall(m.group())) for m in _TOKEN.finditer(sentence.group())]
        among_english = any(sum(map(latin, letters)) >= 2 for _, letters in tokens)
        run: list[tuple[tuple[int, int], list[str]]] = []
        for token in tokens + [((0, 0), ["a"])]:  # a Latin letter ends the last run
            letters = token[1]
            if letters and 2 * sum(map(latin, letters)) < len(letters):
                run.append(token)
                continue
            if run and _a_name(run, among_english):
                start = sentence.start()
                blank.append((start + run[0][0][0], start + run[-1][0][1]))
            run = []
    pieces, after = [], 0
    for a, b in blank:  # in order, and one join: a name at a time copied the text once per name
        pieces += [plain[after:a], " " * (b - a)]
        after = b
    return "".join(pieces) + plain[after:]


def _a_name(run: list[tuple[tuple[int, int], list[str]]], among_english: bool) -> bool:
    letters = [c for _, found in run for c in found if not latin(c)]
    if len(letters) > MAX_NAME_LETTERS:
        return False
    if any(c.lower() != c.upper() for c in letters):  # a script with capitals
        return (among_english or len(run) >= 2) and len(run) <= MAX_NAME_WORDS_CASED and all(
            found[0].isupper() and not (len(found) > 1 and "".join(found[1:]).isupper()) for _, found in run)
    most = MAX_NAME_LETTERS_UNSPACED if any(_script(c) in _UNSPACED for c in letters) else MAX_NAME_LETTERS_UNCASED
    return among_english and len(run) <= MAX_NAME_WORDS_UNCASED and len(letters) <= most
