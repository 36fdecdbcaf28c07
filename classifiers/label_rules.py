"""What the shared labels imply beyond what each file states, applied before training.

Each file labels a few attributes and leaves the others unknown. These facts fill some gaps:

* A comment that is not toxic is not an insult, an identity attack, profane, a threat or
  severely toxic either. Without these negatives the sub-attribute heads would see almost only
  toxic comments (civil_spans holds nothing else) and would flag any ordinary comment. Except
  profanity when the comment swears: "damn fucking hate this university bullshit" (hatexplain,
  normal) and a chatbot user's "fuck" (convabuse, not abusive) are not toxic but are profane, and
  as negatives they taught the head that swearing is not profanity. Such a comment's profanity
  stays unknown (`swears`, a word list over the normalised text).
* An obscenity is profane whatever else a comment is, so a comment that holds one ("fuck",
  "shit", "cunt", "asshole": `obscene`) is labelled profane, over a source's 0 too. Civil_spans'
  raters gave each span one type, so "shut up cunt" was typed an insult and its profanity came out
  0; those 0s made the head give "shut up cunt" 0.00 and "motherfucker" 0.11.
* Threats are the thinnest label (121 in civil_spans, 2 elsewhere), so the threat head knew few
  ways to threaten: "I am going to find you and hurt you" scored 0.002. A comment labelled
  toxic that states an intent to harm someone or a group, or wishes them dead ("I will find you and
  kill you", "they should be shot", "kill them all", "I know where you live", "I'm going to shoot the
  next woman I see", "people like you deserve to die"; `THREATENING`, the patterns of
  classifiers/threat_patterns.py over the normalised text) is labelled a threat where its source says nothing about threats (328 comments of the
  training sources). A comment labelled not toxic stays a negative whatever it says ("I'll kill for
  a coffee").
* Insults are labelled almost only in news comments and tweets, which call people idiots more than they
  use the slurs of other forums, so the insult head gave "you're a retard" 0.10. A comment labelled
  toxic that calls the person it addresses a name ("shut up cunt", "fuck off you stupid bitch";
  `insults`) is labelled an insult where its source says nothing about insults.
* Some sources call a comment toxic for "damn", "hell" or "crap" alone: civil_sentences_weak's
  labels are a classifier's, which flagged 91 % of its news sentences that swear only that mildly
  (people rated 15 % of cad_reddit's such comments abusive, near its 18 % base rate). Those labels
  taught the toxicity head that "Damn, that was a scary storm." is toxic. In a source marked
  `SourceInfo.mild_swearing_labelled_toxic`, a comment labelled toxic whose only offence the word lists
  know is mild swearing (`swears_mildly_only`: no other swear word, insult word, name-calling,
  threat or group's name) has its toxicity set unknown, not 0: it may be toxic for words no list holds.
* No shared file rates severe toxicity (3 positives in 24,000 Wikipedia rows), so its head learns
  a derived label: a toxic comment is severely toxic when it threatens or attacks an identity, or
  is both an insult and profane by people's labels (not the obscenity list); a toxic comment known
  to be none of these is not. The model card says so.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from classifiers.attributes import ATTRIBUTES
from classifiers.bias import IDENTITY_TERMS
from classifiers.debias import GROUP_NOUNS, PARTY_NAMES, PEOPLE_NAMES, RELIGION_NAMES
from classifiers.normalise import normalise
from classifiers.threat_patterns import THREATENING

_T, _SEVERE, _INSULT, _IDENTITY, _PROFANITY, _THREAT = (
    ATTRIBUTES.index(a) for a in ("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat")
)
SUB_ATTRIBUTES = tuple(j for j in range(len(ATTRIBUTES)) if j != _T)

# Swear words and their common forms, after normalisation (so f*ck, sh1t and "f u c k" count). Only
# ever used to leave a label unknown, never to set one, so a harmless "cocktail" costs nothing and a
# "hell of a game" only a negative the head does without.
_SWEARING = re.compile(
    r"\b(?:\w*fuck\w*|shit\w*|bullshit\w*|bitch\w*|piss\w*|cunts?|dicks?|cocks?|puss(?:y|ies)|ass(?:es|holes?)?"
    r"|arse(?:holes?)?|bastards?|whores?|sluts?|\w*damn\w*|hell|crap\w*|twats?|wankers?|bollocks|wtf|stfu)\b"
)

# Words that are obscene wherever they stand, after normalisation; milder swearing ("damn", "hell",
# "crap", "ass") is left to the raters, who often marked it. A word list, not a model, so "cocktail",
# "Scunthorpe" and "Dickens" are never matched: only whole words and their inflections.
_OBSCENE = re.compile(r"\b(?:\w*fuck\w*|\w*shit\w*|cunts?|twats?|wank(?:ers?|ing|s)?|cocksuck\w*|dickheads?|assholes?|arseholes?)\b")

# Mild swearing, and what else a comment may hold for `swears_mildly_only` to say mild swearing is
# all it has: other swear words, words that call someone something, and groups' names (so "damn
# immigrants" keeps its label).
_MILD_SWEARING = re.compile(r"\b(?:\w*damn\w*|dammit|hell|crap\w*|bloody|heck|frick\w*|freakin\w*)\b")
_STRONGER_SWEARING = re.compile(
    r"\b(?:\w*fuck\w*|shit\w*|bullshit\w*|bitch\w*|piss\w*|cunts?|dicks?|cocks?|puss(?:y|ies)|ass(?:es|holes?)?"
    r"|arse(?:holes?)?|bastards?|whores?|sluts?|twats?|wankers?|bollocks|wtf|stfu)\b"
)
_NAME_WORDS = re.compile(
    r"\b(?:idiot\w*|moron\w*|retard\w*|stupid\w*|dumb\w*|ignorant|pathetic|disgusting|scum\w*|trash|garbage"
    r"|loser\w*|jerks?|fools?|clowns?|imbeciles?|pigs?|animals?|vermin|savages?|traitors?|liars?|losers?|hate\w*"
    r"|shut\s+up|kill\w*|die|dead|nigg\w*|fag\w*|dyke\w*|tranny|kikes?|spics?|chinks?|wetbacks?)\b"
    # Said to someone: "damn you", "go to hell", "your crappy edits" are aimed, not exclaimed.
    r"|\b(?:you\w*|ya|u|ur|yourself|go\s+to\s+hell)\b"
)

_GROUP_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in IDENTITY_TERMS + GROUP_NOUNS + PARTY_NAMES + PEOPLE_NAMES + RELIGION_NAMES) + r")\b"
)

MILD_SWEARING_RULE = ("in a source whose toxicity labels count mild swearing as toxic (civil_sentences_weak: a "
                      "classifier's labels), a comment labelled toxic whose only offence the word lists know is "
                      "\"damn\", \"hell\", \"crap\" and the like (classifiers/label_rules.py) has its toxicity "
                      "set unknown")

PROFANITY_RULE = ("a comment that holds an obscenity (classifiers/label_rules.py word list: fuck, shit, cunt, twat, "
                  "wanker, asshole, dickhead and their forms) is profane, over a source's own 0 (civil_spans' raters "
                  "gave each span one type, so an obscene insult was typed an insult only); a comment labelled not "
                  "toxic is labelled not profane unless it swears (a longer word list): then profanity stays unknown")

SEVERE_TOXICITY_RULE = (
    "derived: toxic and (threat or identity_attack or (insult and profanity)) = 1; toxic and known to be "
    "none of these = 0; not toxic = 0; a source's own severe_toxicity label wins; profanity here is the "
    "sources' label, not the obscenity word list"
)


THREAT_RULE = ("a comment labelled toxic that states an intent to harm someone or a group, or wishes them dead "
               "(classifiers/label_rules.py patterns: \"I will find you and kill you\", \"should be shot\", \"kill them all\", "
               "\"I'm going to shoot the next woman I see\", \"deserve to die\") is a threat where its source gives no "
               "threat label; a comment labelled not toxic is not a threat")


# Words that call a person something, said to them: "you're a retard", "shut up cunt", "fuck off
# you stupid bitch". Civil_spans and OLID, where insults are labelled, hold few of these slurs (news
# comments call people idiots), so the insult head gave "you're a retard" 0.10. Only ever applied
# to comments already labelled toxic, so "you're a clown, I love it" in a civil comment costs nothing.
_NAME_CALLED = (r"(?:idiot|moron|retard|tard|cunt|bitch|twat|dickhead|dick|asshole|arsehole|bastard|whore|slut|fag"
                r"|faggot|loser|jerk|imbecile|scumbag|prick|dumbass|douche|douchebag|piece\s+of\s+shit|clown|fool"
                r"|wanker|cuck|snowflake)s?")
_NAME_QUALIFIER = (r"(?:a|an|such\s+a|such\s+an|the|fucking|fuckin|stupid|dumb|little|fat|ugly|absolute|complete"
                   r"|total|worthless|pathetic|bloody|damn|useless|brainless|ignorant|filthy|lying)")
_INSULTING = re.compile(
    r"\b(?:you|u|ur|you're|youre|ya)\s+(?:(?:are|r|re)\s+)?(?:" + _NAME_QUALIFIER + r"\s+){0,3}" + _NAME_CALLED + r"\b"
    r"|\b(?:shut\s+up|stfu|fuck\s+you|fuck\s+off|screw\s+you|go\s+away)\s*,?\s*(?:you\s+)?(?:"
    + _NAME_QUALIFIER + r"\s+){0,3}" + _NAME_CALLED + r"\b"
)

INSULT_RULE = ("a comment labelled toxic that calls the person it addresses a name (classifiers/label_rules.py "
               "patterns: \"you're a retard\", \"shut up cunt\", \"you stupid bitch\") is an insult where its source "
               "gives no insult label; a comment labelled not toxic is not an insult")


def insults(text: str) -> bool:
    """Whether `text` calls the person it addresses a name, in words the patterns know."""
    return _INSULTING.search(normalise(text)) is not None


def obscene(text: str) -> bool:
    """Whether `text` holds an obscenity, masked, spaced out or leet-spelled ones included."""
    return _OBSCENE.search(normalise(text)) is not None


def swears(text: str) -> bool:
    """Whether `text` holds a swear word, masked, spaced out or leet-spelled ones included."""
    return _SWEARING.search(normalise(text)) is not None


def swears_mildly_only(text: str) -> bool:
    """Whether mild swearing ("damn", "hell", "crap") is all `text` holds that the word lists
    know as offensive: no stronger swear word, name-calling or insult word, threat, or group's,
    party's or public figure's name."""
    cleaned = normalise(text)
    if not _MILD_SWEARING.search(cleaned):
        return False
    return not any(p.search(cleaned) for p in (_STRONGER_SWEARING, _NAME_WORDS, _INSULTING, THREATENING, _GROUP_WORDS))


def imply_labels(labels: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """A copy of `labels` (n, 6; NaN = unknown) with the implied negatives and derived severity."""
    out = np.array(labels, dtype=np.float64, copy=True)
    cleaned: dict[int, str] = {}  # each text normalised once, however many rules read it

    def matching(pattern: re.Pattern[str], rows: np.ndarray) -> list[int]:
        found = []
        for i in np.flatnonzero(rows).tolist():
            if i not in cleaned:
                cleaned[i] = normalise(texts[i])
            if pattern.search(cleaned[i]):
                found.append(i)
        return found

    not_toxic = out[:, _T] == 0
    # A not-toxic comment that swears keeps the profanity label its source gave (usually none).
    swearing = matching(_SWEARING, not_toxic & np.isnan(out[:, _PROFANITY]))
    for j in SUB_ATTRIBUTES:
        out[not_toxic & np.isnan(out[:, j]), j] = 0.0
    out[swearing, _PROFANITY] = np.nan
    out[matching(THREATENING, (out[:, _T] == 1) & np.isnan(out[:, _THREAT])), _THREAT] = 1.0
    out[matching(_INSULTING, (out[:, _T] == 1) & np.isnan(out[:, _INSULT])), _INSULT] = 1.0
    unknown = np.isnan(out[:, _SEVERE])
    toxic = out[:, _T] == 1
    severe = (out[:, _THREAT] == 1) | (out[:, _IDENTITY] == 1) | ((out[:, _INSULT] == 1) & (out[:, _PROFANITY] == 1))
    mild = ((out[:, _THREAT] == 0) & (out[:, _IDENTITY] == 0)
            & ((out[:, _INSULT] == 0) | (out[:, _PROFANITY] == 0)))
    # Threats and identity attacks are toxic whatever a file says about toxicity; civil_spans rows
    # have no toxicity label (it is dropped) but were all rated toxic upstream.
    maybe_toxic = toxic | np.isnan(out[:, _T])
    out[unknown & severe, _SEVERE] = 1.0
    out[unknown & ~severe & mild & maybe_toxic, _SEVERE] = 0.0
    # After severity, which reads people's profanity labels: with the word list's, every toxic insult
    # that swore was severe, and "holy shit that's great news" scored 0.58 as severely toxic (0.05
    # before), where Perspective's severe toxicity is meant to pass a curse word used kindly.
    out[matching(_OBSCENE, np.ones(len(out), dtype=bool)), _PROFANITY] = 1.0
    return out


# Below this many positives labelled by people, an attribute's scores and threshold are called thin
# in the model card and on the admin page: the rules' positives help, but they only know their words.
THIN_POSITIVES = 1000


def positives_by_origin(given: np.ndarray, implied: np.ndarray) -> dict[str, dict[str, int]]:
    """Per attribute, the training positives the sources labelled and those the rules above added."""
    return {
        name: {"labelled": int((given[:, j] == 1).sum()),
               "from_label_rules": int(((implied[:, j] == 1) & (given[:, j] != 1)).sum())}
        for j, name in enumerate(ATTRIBUTES)
    }


def thin_attributes(origin: dict[str, dict[str, int]], attributes: Sequence[str]) -> dict[str, str]:
    """The scored attributes with fewer than THIN_POSITIVES labelled positives, each with a sentence."""
    notes = {}
    for name in attributes:
        counts = origin.get(name, {})
        labelled, ruled = counts.get("labelled", 0), counts.get("from_label_rules", 0)
        if labelled < THIN_POSITIVES:
            added = f", {ruled:,} more from label rules" if ruled else ""
            notes[name] = f"{labelled:,} positives labelled by people{added}"
    return notes
