"""A phone number, an e-mail or an address written the way a child writes them: digits as words
("zero seven seven zero zero ..."), a free-mail provider named without its address ("jakey2014 at
gmail"), a street in lower case after "I live on". A children's news site's walk found all of them
published (readers 9 to 14). Plain functions of the text as the page shows it (rule_matchers reads
it so first); each is read only in a frame narrow enough that ordinary prose is left alone.
"""
from __future__ import annotations

import re

_DIGIT_WORDS = {"zero": "0", "nought": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_TIMES = {"double": 2, "triple": 3}
# Longest first, so "one" is not read as "o" and a dangling "ne". Digits one at a time: a run may glue
# words and digits as a child does ("0seven7double0").
_PIECE = r"(?:\d|zero|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|oh|o)"
# Between pieces: nothing, spaces, or one dash, comma or dot (with spaces either side), never two: a
# separator ends a group of the number ("seven seven zero zero, nine zero zero, one two three").
_GAP = r"(?:[ \t]*[-,.][ \t]*|[ \t]+)?"
# Not inside a word at either end ("someone", "nineteen"). Each piece parses one way, so a run that
# ends inside a word gives back one piece at a time: linear.
_RUN = re.compile(rf"(?i)(?<![^\W_]){_PIECE}(?:{_GAP}{_PIECE})*(?![^\W_])")
_TOKEN = re.compile(rf"(?i){_PIECE}|[-,.]")


def _digit_groups(run: str) -> tuple[list[str], bool] | None:
    """The run's digits in the groups its separators make, and whether any was written as a word;
    None for "double" with no digit after it."""
    groups, times, worded = [""], 1, False
    for token in _TOKEN.findall(run):
        token = token.lower()
        if token in "-,.":
            groups.append("")
        elif token in _TIMES:
            times, worded = _TIMES[token], True
        else:
            worded = worded or not token.isdigit()
            groups[-1] += _DIGIT_WORDS.get(token, token) * times
            times = 1
    return (groups, worded) if times == 1 else None


def _patterned(digits: str) -> bool:
    """A count or a chant, not a number to call: "zero one two ... nine", "nine eight seven ...",
    "one two one two ...", "one two three, one two three ...", one digit over and over."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    if steps in ({1}, {9}) or len(set(digits)) < 3:
        return True
    return any(digits == (digits[:period] * len(digits))[:len(digits)] for period in range(1, len(digits) // 2 + 1))


def spelled_phone(shown: str) -> tuple[str, str] | None:
    """(the run as written, its digits) for a phone number some of whose digits are words, or whose
    digits are spaced one by one with dashes between groups ("0 7 7 0 0 - 9 0 0 - 1 2 3"), which the
    digit rule's shape does not reach. The digit rule's length (10 to 15 digits); the caller leaves
    out freephone numbers as that rule does.

    Digits only: spaced one by one and opening with 0, as no table, score sheet or count does ("Scores:
    9 8 7 9 8", "0-1, 2-2, 1-0": a group of one digit between separators is a score, never a number's)."""
    for match in _RUN.finditer(shown):
        run = match.group(0)
        read = _digit_groups(run)
        if read is None:
            continue
        groups, worded = read
        digits = "".join(groups)
        if not 10 <= len(digits) <= 15 or _patterned(digits):
            continue
        if len(groups) > 1 and min(map(len, groups)) < 2:
            continue
        if not worded and (not digits.startswith("0") or re.search(r"\d\d", run)):
            continue
        return run, digits
    return None


# Free-mail providers. Those that are also words ("live", "sky", "mail") or a conference's name
# ("outlook") only with the address's ending: "we went to live aid", "I'm at Outlook conference".
_PROVIDERS = "gmail|googlemail|hotmail|yahoo|ymail|icloud|aol|protonmail|btinternet|msn|gmx|talktalk|virginmedia"
_WORDLIKE_PROVIDERS = "outlook|live|sky|proton|mail"
_ENDING = r"(?:com|co|uk|net|org|ie|au|ca|fr|de|es|it)"
_DOT = r"(?:\.|\bdot\b|[(\[]dot[)\]])"
# "@", the word "at" or "(at)", the provider, then up to three parts of its ending, each after a dot
# said or written ("hotmail dot co dot uk", "gmail . com"). Found from the provider, then the name read
# back from there within a bounded stretch: read forwards, "a dot a dot a ..." was quadratic.
_AT_PROVIDER = re.compile(rf"(?i)(?P<at>@|(?<![\w'])at(?![\w'])|[(\[]at[)\]])[ \t]*"
                          rf"(?P<provider>{_PROVIDERS}|{_WORDLIKE_PROVIDERS})(?![\w-])"
                          rf"(?P<ending>(?:[ \t]*{_DOT}[ \t]*{_ENDING}(?![\w-])){{0,3}})")
# A dot inside the name only as written ("jake.smith") or said ("jake dot smith"): ". " ends a sentence.
_DOT_IN_A_NAME = r"(?:\.|[ \t]*(?:\bdot\b|[(\[]dot[)\]])[ \t]*)"
_NAME_BEFORE = re.compile(rf"(?i)(?<![\w.+'’-])[\w+-]+(?:{_DOT_IN_A_NAME}[\w+-]+){{0,3}}[ \t]*$")
_LOOK_BACK = 80
_JOINED = re.compile(rf"(?i)\w[ \t]*(?:{_DOT}|_)[ \t]*\w")
# An address asked for or given: "my email is jakey2014 at gmail".
_MAIL_WORD = re.compile(r"(?i)\b(?:e-?mail|mail|addy|address|contact)\b")
# Words that stand before "at Yahoo" in a sentence about the firm or an account there, not a name.
_NOT_NAMES = frozenset("""me us you him her them it i we they is was were are be been am work works worked working
job jobs staff people everyone someone anyone engineers team email emails mail address account accounts inbox
password login users look looked looking""".split())


def _looks_like_a_name(name: str) -> bool:
    """A handle, not a word: "jakey2014", "jake.smith", "jake dot smith"; not "2014" (a year: "in
    2014 at AOL")."""
    if _JOINED.search(name) is not None:
        return any(c.isalpha() for c in name)
    # A handle takes two letters or more and two digits or more, as children pick them ("jakey2014",
    # "jo2014", "MAX2014", "2014jake"); not a quarter, a count or a code in a business desk's prose ("Q3
    # at Yahoo", "10k", "2FA", "3yrs": a re-check), nor a product's capitalised name ("Covid19",
    # "Office365 at Hotmail": a second re-check, which found the first fix dropping 10 of 16 handles).
    code = name.strip().isupper() and "-" in name  # "COVID-19", "MH-17", "ISO-9001"
    return _handle_shaped(name) and not _titled(name) and not code


def _handle_shaped(name: str) -> bool:
    word = name.strip()
    return sum(c.isalpha() for c in word) >= 2 and sum(c.isdigit() for c in word) >= 2


def _titled(name: str) -> bool:
    word = name.strip()
    return word[:1].isupper() and any(c.islower() for c in word)


def spelled_email(shown: str) -> str | None:
    """An e-mail address given as a child gives it: a free-mail provider named after "@" or "at", with
    its ending or without. Fires where the writing says it is an address: an ending spelled out ("dot
    com"), "@" or "(at)" with the ending or glued to the name; or a name that is plainly a handle
    ("jakey2014 at gmail") or follows "my email is"."""
    for found in _AT_PROVIDER.finditer(shown):
        before = shown[max(0, found.start() - _LOOK_BACK):found.start()]
        name = _NAME_BEFORE.search(before)
        if name is None or name.group(0).strip().lower() in _NOT_NAMES:
            continue
        at, ending, provider = found.group("at").lower(), found.group("ending"), found.group("provider").lower()
        glued = at == "@" and not name.group(0)[-1:].isspace()
        spelled_ending = re.search(r"(?i)dot", ending) is not None
        said = (at != "at" and (bool(ending) or glued)) or spelled_ending
        # A capitalised one ("Jake2014") with the address's ending: "Office365 at Hotmail" has none.
        handle = (_looks_like_a_name(name.group(0)) or _MAIL_WORD.search(before[:name.start()][-60:]) is not None
                  or (bool(ending) and _handle_shaped(name.group(0))))
        if said or (handle and (bool(ending) or re.fullmatch(_PROVIDERS, provider) is not None)):
            return (name.group(0) + shown[found.start():found.end()]).strip()
    return None


# "I live at 14 elm road", "we live on Rose Street", "i live in flat 3 maple court": a street said by
# the writer as where they live, in whatever case, with or without a number. Only in that frame: "I
# walked down elm road" and "the high street" are not anyone's address.
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                r"(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?")
# Not a street's name: a determiner or an adjective says a kind of street ("a quiet road", "the
# same street", "my road"), and "in hope", "in fear" are a way of living.
# Not "main", "long" or "little", which name streets as often (Main Street, Long Lane, Little Lane).
_NOT_A_NAME = ("the|a|an|this|that|these|those|my|our|your|his|her|their|same|busy|quiet|other|next|nice|big|"
               "small|dead|private|country|very|one|by|near|off|at|on|in|of|and|or|but|to|with|hope|"
               "fear|peace|denial|poverty|every|each|any|some|no|way")
_STREET = ("street|st|avenue|ave|road|rd|lane|ln|dr|boulevard|blvd|court|ct|pl|terrace|"
           "crescent|square|sq|parkway|pkwy|highway|hwy|grove|gardens|gdns|mews|wharf|alley|circle|cir|trail")
# Street words that are ordinary words too, a street's only where no word after them makes them one:
# "I live in London close to the Olympic park", "I live in Derby way too far", "I live on campus
# close to the labs" were held as addresses (a re-check: 13 of 30 such comments).
_STREET_OR_WORD = "close|way|walk|drive|place"
_NOT_A_STREET_AFTER = ("to|too|from|by|for|of|off|out|up|down|back|more|less|home|away|into|over|through|far|long|"
                       "much|enough|around|round|in|on|at|with|where|that|which|the|a|an|my|our|his|her|their|north|"
                       "south|east|west|past|across|along|every|twice|each|it|them|him|me|us")
_LIVE_AT = re.compile(
    r"(?i)\b(?:(?:i|we)(?:[ \t]+(?:still|now|both|all|just|actually|currently))?[ \t]+(?:live|stay)"
    r"|(?:i'?m|i[ \t]+am|we'?re|we[ \t]+are)[ \t]+(?:living|staying))[ \t]+(?:at|on|in)[ \t]+"
    r"|\bmy[ \t]+(?:home[ \t]+)?address[ \t]+is[ \t]+(?:at[ \t]+)?")
# Someone else's home, told: "The planning officer lives on Elm Road." (a UK news group's tester found it
# published beside a call to pay him a visit); not a street's residents ("everyone who lives on Mill
# Lane"), nor the writer's own people ("my gran lives on Station Road"), theirs to tell as their own is.
_LIVES_AT = re.compile(r"(?i)\b(?!(?:who|that|which|everyone"
                       r"|everybody|anyone|anybody|nobody|someone|somebody|one|whoever|people|family|families|residents)\b)"
                       # From a word's first letter only: from each letter of "a'a'a'..." in turn, the
                       # word ran to the text's end, 4 s for 20,000 characters (a suite run's hostile case).
                       r"(?<![a-z'-])[a-z][a-z'-]*[ \t]+(?:still[ \t]+|now[ \t]+|actually[ \t]+)?(?:lives|is[ \t]+living|resides)[ \t]+(?:at|on|in)[ \t]+")
_TOLD_BY_KIN = re.compile(r"(?i)\b(?:my|our|me|i|we)\b[^.!?\n]*\Z")
_NAMES = rf"(?:(?!(?:{_NOT_A_NAME})\b)[a-z][a-z'-]*[ \t]+){{1,3}}"
# With a house or flat number every street word is one ("i live at 7 ash close off the main road"); with
# none, an ordinary word after close, way, walk, drive or place says it is no street.
_NUMBERED = re.compile(
    r"(?i)(?:(?:(?:flat|apartment|apt|unit)[ \t]*\d{1,4}[a-z]?,?[ \t]+)"
    rf"(?:(?:number[ \t]+|no\.?[ \t]*)?(?:\d{{1,5}}[a-z]?|{_NUMBER_WORD}),?[ \t]+)?"
    rf"|(?:number[ \t]+|no\.?[ \t]*)?(?:\d{{1,5}}[a-z]?|{_NUMBER_WORD}),?[ \t]+)"
    rf"{_NAMES}(?:{_STREET}|{_STREET_OR_WORD})\b")
_UNNUMBERED = re.compile(rf"(?i:{_NAMES}(?:(?:{_STREET})\b|(?:{_STREET_OR_WORD})\b(?![ \t]+(?:{_NOT_A_STREET_AFTER})\b)))")


def home_address(shown: str, own_street: bool = False) -> str | None:
    """A home's street, in lower case too: the writer's (or their household's) with a house or flat
    number, and without one if `own_street` (a site for children); anyone else's, numbered or not.
    A grown-up reader's "I live on Mill Lane and the traffic is already bumper to bumper" tells no
    one where to find them, and a planning story is full of such comments."""
    for frame in _LIVE_AT.finditer(shown):
        address = _NUMBERED.match(shown, frame.end()) or (_UNNUMBERED.match(shown, frame.end()) if own_street else None)
        if address:
            return address.group(0)
    for frame in _LIVES_AT.finditer(shown):
        if _TOLD_BY_KIN.search(shown, max(0, frame.start() - 30), frame.start()):
            continue
        address = _NUMBERED.match(shown, frame.end()) or _UNNUMBERED.match(shown, frame.end())
        if address:
            return address.group(0)
    return None
