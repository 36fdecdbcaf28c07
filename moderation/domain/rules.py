"""A site's rules: declarative checks evaluated beside the model's scores in the same policy step.

A rule set is a JSON list; each rule has a `name` (its id on the card, in the API and webhooks),
a `kind`, an `action` and a `reason` moderators read, plus its kind's parameters:

  banned_words  words: [...]                      reject   the classifier's normalised text (f*ck, s t u p i d)
  suspect_words words: [...]                      hold
  links         allowed_domains: [...]            hold     a link outside the list ([] = any link)
  first_link    allowed_domains: [...]            hold     an author's first comment on the site has a link
                                                           outside the list
  phone, email, street_address, payment_card      hold     personal information, one rule each; street_address
                (own_street)                               holds a reader's own street without a number
                                                           only with own_street "named" (children's sites)
  social_handle                                   hold     a handle given on a named platform ("my snap is
                                                           jakey_2014"): a young readership's contact details
  crypto_address                                  hold     a Bitcoin, Litecoin, Ethereum or Tron address
  flood         count, minutes, scope             hold     the same or near-same text the count-th time in
                                                           `minutes`, by one author or ("site") by anyone
  shouting      min_letters, caps_ratio, max_repeat hold   all caps, or a character repeated past max_repeat
  short_repeat  max_chars, count, minutes         hold     a short reply (≤ max_chars) the author repeats
  new_author    count, until                      hold     the author's first `count` comments ("posted"),
                                                           or until `count` of theirs are approved ("approved")
  group_attack                                    hold     hate against a group in plain words ("I hate women.")
  threat_words                                    hold     a threat of violence in plain words ("I know where
                                                           you live", "he should be executed")
  other_language                                  hold     a comment in a language the model cannot read (it
                                                           reads English): its scores mean nothing
  at_risk                                         hold     a reader who may end or harm their own life ("I'm
                                                           going to kill myself tonight"), or a child harmed at
                                                           home ("my dad hits me"), first in the queue
  contact_seeking                                 hold     someone seeking a young reader's age, secrecy, place
                                                           or private contact ("how old are you? dm me")
  urging_self_harm                                hold     telling someone to kill or harm themselves ("kys")

Actions: "hold" (to the queue), "reject", "flag" (named on the card and in the API, no status change).
Evaluation is a pure function of the text and `Facts` about what came before it (domain/rule_facts.py
loads them), so the admin preview and the scorer give the same answer for the same comment.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from classifiers import language
from classifiers.normalise import normalise
from moderation.domain import rule_matchers as match
from moderation.domain import wallets
from moderation.domain.contact_seeking import contact_seeking
from moderation.domain.errors import ValidationFailed
from moderation.domain.group_attacks import group_attack
from moderation.domain.lifecycle import HELD, PUBLISHED, REJECTED
from moderation.domain.storable import unstorable_at
from moderation.domain.policy import Verdict
from moderation.domain.self_harm import at_risk, dared, urging_self_harm
from moderation.domain.threat_words import threat_words

HOLD, REJECT, FLAG = "hold", "reject", "flag"
# The hit of a text longer than the rules read (Compiled.evaluate): no rule of a site's, so its name
# holds a space, which no rule's name may.
READ_LIMIT, READ_LIMIT_KIND = "too long to read", "read_limit"
ACTIONS = (HOLD, REJECT, FLAG)
SEVERITY = {FLAG: 0, HOLD: 1, REJECT: 2}
MAX_RULES = 50
MAX_WORDS = 1000
MAX_REASON = 200
MAX_NAME = 40
_NAME = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_NAME - 1}}}")


@dataclass(frozen=True)
class Earlier:
    """A comment on the same site received shortly before the one evaluated (for floods)."""

    author_id: str
    fingerprint: str
    is_reply: bool
    seconds_before: float


@dataclass(frozen=True)
class Facts:
    """What the rules need to know besides the text, as of the moment the comment arrived."""

    author_id: str = ""
    is_reply: bool = False
    earlier_by_author: int = 0    # the author's comments on the site received before this one
    approved_by_author: int = 0   # of those, approved by a moderator before this one arrived
    recent: Sequence[Earlier] = field(default_factory=tuple)
    # The scorer's index of earlier same-text comments (rule_facts.SameText); without one, `recent` is read.
    same_text: "SameTextCounter | None" = None
    # A reply to a reader at risk (self_harm.at_risk read in the parent's text): "Do it." is urging there.
    parent_at_risk: bool = False
    # The name the reader shows: the link and contact rules read it too (_IN_THE_NAME).
    author_name: str = ""
    # Written an hour or more before it arrived (written.is_history): an import's history, which
    # the rules that read an author's recent activity (flood, short_repeat, new_author,
    # first_link) leave alone, as storm mode does.
    history: bool = False

    def repeats(self, fingerprint: str, *, seconds: float, same_author: bool, replies: bool) -> int:
        """Earlier comments with this fingerprint in the last `seconds`, by this author only or anyone."""
        if self.same_text is not None:
            return self.same_text.count(seconds=seconds, same_author=same_author, replies=replies)
        return sum(1 for e in self.recent if e.seconds_before <= seconds and e.fingerprint == fingerprint
                   and (not same_author or e.author_id == self.author_id) and (not replies or e.is_reply))


class SameTextCounter(Protocol):
    def count(self, *, seconds: float, same_author: bool, replies: bool) -> int: ...


@dataclass(frozen=True)
class Hit:
    rule: str
    action: str
    reason: str
    # The least priority a comment this rule holds or rejects takes in the queue (Kind.priority); not
    # stored with the hit, only read when the comment is scored.
    urgency: float = 1.0
    # The rule's kind ("threat_words"): what the queue's "Flagged for" filter reads (queue_filters.RULE_FLAGS).
    # Hits stored before it was recorded have none.
    kind: str = ""

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "action": self.action, "reason": self.reason, **({"kind": self.kind} if self.kind else {})}


# A kind's parameter: (default, parser).
_Param = tuple[Any, Callable[[Any, str], Any]]


def _int(low: int, high: int) -> Callable[[Any, str], int]:
    def parse(value: Any, field_name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationFailed(f"{field_name} must be a whole number from {low} to {high}", field=field_name)
        return value
    parse.bounds = (low, high)  # type: ignore[attr-defined]  # the rules form's number input reads them
    return parse


def _ratio(value: Any, field_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0.5 <= value <= 1:
        raise ValidationFailed(f"{field_name} must be a number from 0.5 to 1", field=field_name)
    return float(value)


_ratio.bounds = (0.5, 1)  # type: ignore[attr-defined]


def _choice(*options: str) -> Callable[[Any, str], str]:
    def parse(value: Any, field_name: str) -> str:
        if value not in options:
            raise ValidationFailed(f"{field_name} must be one of {', '.join(options)}", field=field_name)
        return value
    parse.options = options  # type: ignore[attr-defined]  # the rules form's select lists them
    return parse


def _words(value: Any, field_name: str) -> list[str]:
    if not isinstance(value, list) or not value or len(value) > MAX_WORDS:
        raise ValidationFailed(f"{field_name} must be a list of 1 to {MAX_WORDS} words or phrases", field=field_name)
    words = []
    for word in value:
        if not isinstance(word, str) or not word.strip() or len(word) > 100 or not match.has_content(word):
            raise ValidationFailed(f"{field_name} holds an empty, over-long or letterless entry: {word!r}",
                                   field=field_name)
        if "\n" in word or "\r" in word:
            # One entry per line in the rules form: saved from it, "cheap\nwatches" became two
            # words, and "cheap" alone rejected a comment about cheap tickets (a re-check).
            raise ValidationFailed(f"{field_name} holds an entry with a line break: {word!r}; make it two entries, "
                                   "or one phrase with a space", field=field_name)
        words.append(word.strip())
    return words


_DOMAIN = re.compile(r"(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _domains(value: Any, field_name: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_WORDS:
        raise ValidationFailed(f"{field_name} must be a list of domains", field=field_name)
    domains = []
    for domain in value:
        if not isinstance(domain, str) or not _DOMAIN.fullmatch(domain.strip().removeprefix("www.")):
            raise ValidationFailed(f"{field_name}: {domain!r} is not a domain like example.com", field=field_name)
        domains.append(domain.strip().lower().removeprefix("www."))
    return domains


class Kind(NamedTuple):
    action: str                  # the default action
    reason: str                  # the default reason moderators read
    params: dict[str, _Param]    # {parameter: (default, parser)}
    fires_on: str                # a line for the admin page that lists the kinds
    # The least priority a comment this kind holds or rejects takes in the queue. A hold ranks at
    # least with a comment just over a threshold (1), so a spam or doxxing hold does not sink below
    # every civil-looking comment. An attack on a group ranks above the rudest insult (2) with a
    # report or two, and a threat above that: a moderator's walk found "I will find you and kill
    # you, editor." at 2, below an insult with two reports (3.45) and a civil comment two readers
    # reported as hate (2.10).
    priority: float = 1.0
    # What else a kind means, said here so a new kind is described in one place (a newcomer found these
    # in seven modules' lists, where one missed would fail silently):
    flag: str | None = None          # the queue's "Flagged for" entry that lists what it held (queue_filters)
    protective: bool = False         # saving rules without it asks first (rule_sets.protections_removed)
    approve_question: str | None = None  # what Approve asks first of a comment it held (bulk.approval_question)
    hides_while_held: bool = False   # hidden while held on a post-moderation site (lifecycle.HIDING_RULE_KINDS)
    raises: tuple[str, ...] = ()     # the scores the Perspective endpoint raises where it reads (perspective/plain_words)


# Another language's abuse in a comment the model cannot read ranks above the rudest insult the model
# reads (2, policy.MODEL_BANDS), not with that language's civil comments at 1: a bilingual paper's walk found every
# Spanish comment at 1.00, "Los mexicanos son unos animales" among its thanks.
FOREIGN_ABUSE_PRIORITY = 2.0
_PRIVATE = " (the reason never repeats it)"
_PERSONAL: dict[str, Any] = {"flag": "personal_information", "hides_while_held": True}
# Where a site's own word list ranks what it holds (`ranks_with`): with a comment just over a threshold
# by default, or with the starter rules' personal information, hate, threats or a reader at risk. A
# derby desk's list of threats against its referee's family held "I hope Pritchard's kids get hit by a
# bus." 153rd of 195, below celebrations held for swearing; a children's site's list of disclosures
# ("my dad hits me") sat 36th-55th of 198, below insults (2026-12-06).
AT_RISK_PRIORITY = 100.0
AT_RISK, AT_RISK_RANK = "at_risk", "at risk"
WORD_LIST_RANKS = {"suspect words": 1.0, "personal information": 2.0, "hate": 3.0, "threats": 4.0,
                   AT_RISK_RANK: AT_RISK_PRIORITY}
_RANKS_WITH = ("suspect words", _choice(*WORD_LIST_RANKS))
KINDS: dict[str, Kind] = {
    "banned_words": Kind(REJECT, "banned word", {"words": (None, _words), "ranks_with": _RANKS_WITH},
                         "a listed word or phrase, obfuscated spellings included (f*ck, s t u p i d)"),
    "suspect_words": Kind(HOLD, "suspect word", {"words": (None, _words), "ranks_with": _RANKS_WITH},
                          "a listed word or phrase, as banned_words, held rather than rejected"),
    "links": Kind(HOLD, "link", {"allowed_domains": ([], _domains)},
                  "a link to a domain outside allowed_domains (subdomains of a listed one are in)", flag="spam"),
    # Its own allowed domains: a business desk's walk found a new reader's link to the regulator held
    # though the links rule beside it allowed the regulator's domain.
    "first_link": Kind(HOLD, "link in a first comment", {"allowed_domains": ([], _domains)},
                       "a link to a domain outside allowed_domains in an author's first comment on the site", flag="spam"),
    # Someone's number, address or card, above the rudest insult: a crime desk's walk found a witness's
    # and an escaped prisoner's ex's address at 1.00, last in the queue, below "He deserves the death
    # penalty" (1.58). Below an attack on a group and a threat.
    "phone": Kind(HOLD, "phone number", {},
                  "a phone number, not a freephone or non-geographic one (0800, 0300, 1-800)" + _PRIVATE, 2.0,
                  **_PERSONAL),
    "email": Kind(HOLD, "e-mail address", {}, "an e-mail address" + _PRIVATE, 2.0, **_PERSONAL),
    # A reader's own street without a number held only where readers are children: a UK news group's
    # tester found "I live on Mill Lane and the traffic is already bumper to bumper" held.
    "street_address": Kind(HOLD, "street address", {"own_street": ("numbered", _choice("numbered", "named"))},
                           "a street address: a house number and a street, someone else's street told as their home "
                           "(\"the planning officer lives on Elm Road\"), and a reader's own only with its number unless "
                           "own_street is named" + _PRIVATE, 2.0, **_PERSONAL),
    "payment_card": Kind(HOLD, "payment card number", {}, "a payment card number that passes the Luhn check", 2.0,
                         **_PERSONAL),
    # A way to reach a reader off the site, as a number is: a children's news site's walk found "my snap
    # is jakey_2014" and "my discord is gamerboy#4821" published. Not a starter rule (docs/moderation.md).
    "social_handle": Kind(HOLD, "social media handle", {},
                          'a handle given on a named platform: "my snap is jakey_2014", "ig: katie.dances.x", '
                          '"my discord is gamerboy#4821"' + _PRIVATE, 2.0, **_PERSONAL),
    # A giveaway scam's payload ("Send 0.1 BTC, get 0.2 back"): a business desk's walk found them published.
    "crypto_address": Kind(HOLD, "cryptocurrency address", {},
                           "a Bitcoin, Litecoin, Ethereum or Tron address, checked as its network checks it", flag="spam"),
    "flood": Kind(HOLD, "repeated post", {"count": (3, _int(2, 100)), "minutes": (1, _int(1, 1440)),
                                          "scope": ("author", _choice("author", "site"))},
                  "the same or near-same text for the count-th time within minutes, by the author or anyone",
                  flag="spam"),
    "shouting": Kind(HOLD, "shouting", {"min_letters": (12, _int(4, 1000)), "caps_ratio": (0.8, _ratio),
                                        "max_repeat": (6, _int(3, 100))},
                     "all caps over min_letters, or one character repeated past max_repeat"),
    "short_repeat": Kind(HOLD, "short repeated reply", {"max_chars": (12, _int(1, 200)), "count": (3, _int(2, 100)),
                                                        "minutes": (60, _int(1, 1440))},
                         "a short reply the author keeps repeating", flag="spam"),
    "new_author": Kind(HOLD, "new author", {"count": (3, _int(1, 100)), "until": ("approved", _choice("approved", "posted"))},
                       "an author's first comments, or until enough of theirs are approved"),
    "group_attack": Kind(HOLD, "attack on a group", {},
                         'hate against a group in plain words: "I hate women.", "Go back to where you came from"', 3.0,
                         flag="identity_attack", protective=True, raises=("identity_attack", "toxicity"),
                         # A newsroom removes these as it does threats: an "a" meant for the card above
                         # published "Muslims are vermin ..." unasked (an election-night lead's walk).
                         approve_question="A rule read an attack on a group in this comment. Publish it anyway?"),
    "threat_words": Kind(HOLD, "threat of violence", {},
                         'a threat of violence in plain words: "I know where you live", "he should be executed"', 4.0,
                         flag="threat", protective=True, hides_while_held=True, raises=("threat", "toxicity"),
                         approve_question="A rule read a threat of violence in this comment. Publish it anyway?"),
    # First of all: a person may be reached in time (a health desk's walk found 44 of 45 readers in
    # crisis published, and the one held 50th in the queue). Above what any scores and reports reach:
    # at 5, a threat with four reports (7.03) ranked above it (a re-check).
    "at_risk": Kind(HOLD, "reader may be at risk", {},
                    'a reader who may end or harm their own life, or is harmed at home: "I\'m going to kill myself '
                    'tonight", "Nobody would miss me", "I\'ve been hurting myself again", "my dad hits me"', AT_RISK_PRIORITY,
                    flag="self_harm", protective=True),
    "urging_self_harm": Kind(HOLD, "urging self-harm", {},
                             'telling someone to kill or harm themselves: "kys", "Go drink bleach", "You should hang '
                             'yourself"', 4.0, flag="self_harm", protective=True, hides_while_held=True,
                             raises=("toxicity", "severe_toxicity"),
                             approve_question="A rule read this comment as urging someone to harm themselves. "
                                              "Publish it anyway?"),
    # A children's site's walk (2026-12-06): 12 of 12 comments asking a reader's age, a secret from their
    # parents or a private chat were published ("how old are you? dm me"). With threats: an adult may be
    # reaching a child. Not a starter rule: "dm me if you want the recipe" is ordinary on an adult site.
    "contact_seeking": Kind(HOLD, "seeks private contact with a reader", {},
                            'someone asking a young reader\'s age, for secrecy, where they live or are alone, a private '
                            'chat, a meeting, a picture, or offering a gift: "how old are you? dm me", "don\'t tell your '
                            'parents", "keep this between us", "free robux"', 4.0, flag="contact_seeking", protective=True,
                            hides_while_held=True,
                            approve_question="A rule read this comment as someone seeking private contact with a young "
                                             "reader. Publish it anyway?"),
    # Ranked with a comment just over a threshold: the model read nothing, so a person must.
    "other_language": Kind(HOLD, "not in English, which the model reads", {},
                           "a comment in another language (German, Spanish, Russian ...): the model reads only "
                           "English, so its scores for it mean nothing", flag="other_language"),
}
_COMMON = ("name", "kind", "action", "reason")


def validate_rules(raw: Any) -> list[dict[str, Any]]:
    """The rule set with every default filled in, or ValidationFailed naming the bad field (rules[2].words)."""
    if not isinstance(raw, list):
        raise ValidationFailed("the rules must be a JSON list of rules", field="rules")
    if len(raw) > MAX_RULES:
        raise ValidationFailed(f"at most {MAX_RULES} rules", field="rules")
    rules, names = [], set()
    for i, rule in enumerate(raw):
        where = f"rules[{i}]"
        if not isinstance(rule, dict):
            raise ValidationFailed(f"{where} must be an object", field=where)
        if (bad := unstorable_at(rule, where)) is not None:  # "\u0000" in the editor's JSON: a 500 at the insert
            raise ValidationFailed(f"{bad} contains a character we cannot store (NUL or an unpaired surrogate)",
                                   field=bad)
        kind = rule.get("kind")
        if kind not in KINDS:
            raise ValidationFailed(f"{where}.kind must be one of {', '.join(KINDS)}", field=f"{where}.kind")
        params = KINDS[kind].params
        unknown = sorted(set(rule) - set(_COMMON) - set(params))
        if unknown:
            raise ValidationFailed(f"{where}: {kind} rules take no {', '.join(unknown)}", field=f"{where}.{unknown[0]}")
        name = rule.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValidationFailed(f"{where}.name must be 1-40 lower-case letters, digits, - or _", field=f"{where}.name")
        if name in names:
            raise ValidationFailed(f"{where}.name {name!r} is used twice", field=f"{where}.name")
        names.add(name)
        clean: dict[str, Any] = {"name": name, "kind": kind, "action": rule.get("action", KINDS[kind].action),
                                 "reason": rule.get("reason", KINDS[kind].reason)}
        if clean["action"] not in ACTIONS:
            raise ValidationFailed(f"{where}.action must be hold, reject or flag", field=f"{where}.action")
        if not isinstance(clean["reason"], str) or not clean["reason"].strip() or len(clean["reason"]) > MAX_REASON:
            raise ValidationFailed(f"{where}.reason must be 1-{MAX_REASON} characters", field=f"{where}.reason")
        clean["reason"] = clean["reason"].strip()
        for param, (default, parse) in params.items():
            if param not in rule and default is None:
                raise ValidationFailed(f"{where}.{param} is required for {kind} rules", field=f"{where}.{param}")
            clean[param] = parse(rule[param], f"{where}.{param}") if param in rule else default
        rules.append(clean)
    return children_read_own_streets(rules, unset=[i for i, r in enumerate(raw) if "own_street" not in r])


# A site with a `contact_seeking` rule is a children's site (docs/moderation.md): there a child's "i live
# on elm road" is held as it was before `own_street` was a setting, unless the site says otherwise. Its
# rules saved before then have no own_street, and a save from a form that never showed it sets none.
def children_read_own_streets(rules: list[Any], unset: Sequence[int] | None = None) -> list[Any]:
    """`rules` with own_street "named" in each street_address rule that did not set it (`unset`: those
    indices; None: whichever have no own_street), where a contact_seeking rule is among them."""
    if not any(isinstance(r, dict) and r.get("kind") == "contact_seeking" for r in rules):
        return rules
    unset = [i for i, r in enumerate(rules) if isinstance(r, dict) and "own_street" not in r] if unset is None else unset
    for i in unset:
        if isinstance(rules[i], dict) and rules[i].get("kind") == "street_address":
            rules[i] = {**rules[i], "own_street": "named"}
    return rules


def flood_window(rules: Sequence[Mapping[str, Any]]) -> int:
    """Minutes of earlier comments the flood and short-repeat rules look back over (0: none needed)."""
    return max((r["minutes"] for r in rules if r["kind"] in ("flood", "short_repeat")), default=0)


def needs_parents(rules: Sequence[Mapping[str, Any]]) -> bool:
    return any(r["kind"] == "urging_self_harm" for r in rules)


def needs_author_counts(rules: Sequence[Mapping[str, Any]]) -> bool:
    return any(r["kind"] in ("new_author", "first_link") for r in rules)


_REPEATS = ("flood", "short_repeat")
READ_ACTIVITY_KINDS = (*_REPEATS, "new_author", "first_link")
# Kinds whose patterns find their own words in the normalised text, quoted in the reason.
# Each reads the normalised text and the text as written (the threat rule reads names from it).
_PHRASES: dict[str, Callable[[str, str], str | None]] = {
    "group_attack": group_attack, "threat_words": threat_words,
    "at_risk": lambda normalised, written: at_risk(normalised),
    "urging_self_harm": lambda normalised, written: urging_self_harm(normalised),
    "contact_seeking": lambda normalised, written: contact_seeking(normalised)}
NORMALISED_KINDS = ("banned_words", "suspect_words", *_PHRASES, *_REPEATS)


# Texts that lead every phrase kind to each of its patterns (a pattern is read only where the
# words before it make it worth reading).
_WARM_TEXTS = ("A warm welcome to everyone for the new season.", "I will kill you, I know where you live",
               "Hale should hang for this lol", "someone should put a bullet in that traitor",
               "go back to where you came from", "gay people, they shouldn't be allowed near children",
               "I'm going to kill myself tonight", "kys loser, nobody cares", "my dad hits me")


def warm() -> None:
    """Read a few texts with every phrase kind once. Their long patterns are split into their
    alternatives on first use (branch_scan), 1.5 s of CPU that fell on the first comments a worker
    scored and the first Perspective requests a web process answered; run before a server forks,
    its children inherit the work."""
    for text in _WARM_TEXTS:
        for kind in _PHRASES:
            phrase_found(kind, text)


def phrase_found(kind: str, text: str, normalised: str | None = None) -> str | None:
    """The words of `text` a phrase kind ("threat_words", "group_attack", "urging_self_harm",
    "at_risk", "contact_seeking") reads as its own, or None: as a rule of that kind finds them, without a site's rules."""
    return _phrase(kind, match.normalised_for_rules(text)[0] if normalised is None else normalised, text)


def _phrase(kind: str, normalised: str, text: str) -> str | None:
    """A phrase kind's words, read again with its pictures as words when the words alone found none."""
    found = _PHRASES[kind](normalised, text)
    if found is None and match.has_pictures(normalised):
        read = set()
        for reading in range(match.READINGS):
            # A text whose pictures have fewer readings reads the same again ("☠": "die", "dead",
            # "dead"): read once, as a crafted one of 20,000 characters cost a second a reading.
            if (picture_words := match.pictures_read(normalised, reading)) in read:
                continue
            read.add(picture_words)
            found = _PHRASES[kind](picture_words, text)
            if found is not None:
                break
    return found
# Kinds that read the author's shown name when the text has nothing: a business desk's walk found
# "Crypto Recovery WhatsApp +44 7911 123456 homeincomenow.net" as a name on a civil comment published.
# Contact details and addresses only, not word lists: a banned "dick" rejected every comment Dick Smith
# posted (a re-check). A hit in the name holds at most: the text itself may be fine.
_IN_THE_NAME = ("links", "first_link", "phone", "email", "crypto_address")
_AT_MOST_FOR_A_NAME = {REJECT: HOLD}


class Compiled:
    """A validated rule set, its word lists compiled once for a batch or a preview."""

    def __init__(self, rules: Sequence[Mapping[str, Any]]) -> None:
        self.rules = children_read_own_streets([dict(r) for r in rules])
        self.patterns = {r["name"]: match.word_pattern(r["words"]) for r in self.rules if "words" in r}

    def evaluate(self, text: str, facts: Facts) -> list[Hit]:
        hits = []
        # Normalised once per comment, and only if a rule reads it: it costs more than every rule together.
        normalised, whole = (match.normalised_for_rules(text) if any(r["kind"] in NORMALISED_KINDS for r in self.rules)
                             else ("", True))
        fingerprint = match.fingerprint(text, normalised) if any(r["kind"] in _REPEATS for r in self.rules) else ""
        for rule in self.rules:
            kind = rule["kind"]
            detail = _check(rule, kind, text, facts, fingerprint, self.patterns.get(rule["name"]), normalised)
            read = text
            if detail is None and facts.author_name and kind in _IN_THE_NAME:
                read = facts.author_name
                detail = _check(rule, kind, read, facts, "", None, "")
                if kind in ("links", "first_link") and detail and not match.plainly_a_link(read, detail):
                    detail = None  # "Ex.Pat.In.Spain" is a name, not ex.pat.in
            if detail is None:
                continue
            action = rule["action"] if read is text else _AT_MOST_FOR_A_NAME.get(rule["action"], rule["action"])
            if kind in ("banned_words", "suspect_words"):
                detail, another_language = _listed_word(text, detail, rule["words"])
                if another_language and action == REJECT:
                    action = HOLD  # a person tells schwül from schwul; a rule that rejects cannot
                if rule.get("ranks_with") == AT_RISK_RANK and action == REJECT:
                    action = HOLD  # a reader telling of harm is read by a person, not rejected unseen
            reason = rule["reason"] if not detail else f"{rule['reason']}: {detail}"
            urgency = WORD_LIST_RANKS.get(rule.get("ranks_with", ""), KINDS[kind].priority)
            if kind == "other_language" and (abuse := language.abuse_words(text)):
                reason += f', with "{abuse[0]}"'
                urgency = FOREIGN_ABUSE_PRIORITY
            reason += " (in the author's name)" if read is not text else ""
            # A list ranked with a reader at risk is one in every way: never rejected unseen by another
            # rule, the model or a ban, on the self-harm filter, left out of bulk
            # actions, and "at_risk" to the site. A re-check found its own reject alone stopped: with a
            # swear list beside it, "my dad hits me with a fucking belt" was rejected unseen.
            recorded = AT_RISK if rule.get("ranks_with") == AT_RISK_RANK else kind
            hits.append(Hit(rule["name"], action, reason[:MAX_REASON + 60], urgency, recorded))
        if not whole:
            # What the rules could not read may hold what they look for: a person reads it.
            hits.append(Hit(READ_LIMIT, HOLD, f"too long for the rules to read whole: they read its first "
                                              f"{match.READ_AT_MOST:,} characters", 1.0, READ_LIMIT_KIND))
        return hits


def _listed_word(text: str, found: str, words: Sequence[str]) -> tuple[str, bool]:
    """The detail for a listed word `find_words` found (normalised): the word as the list has it, and
    as the comment wrote it when that differs; and whether the comment's may be another language's word.
    The list's spelling, not the normalised one: a moderator read "ypod" for a banned урод."""
    written = match.written_as(text, found)
    listed = next((w for w in words if normalise(w) == found), None) or next(
        (w for w in words if match.same_phrase(w, found)), found)
    # Its plural's "s" is no letter of another language's word ("Kyle Mercer's" was held, not rejected).
    another_language = match.another_languages_word(match.uninflected(written, listed), listed)
    if " ".join(written.casefold().split()) == " ".join(listed.casefold().split()):
        return f'"{listed}"', another_language
    return f'"{listed}" written "{written}"', another_language


_PERSONAL_FINDERS: dict[str, Callable[[str], str | None]] = {
    "phone": match.phone_number, "email": match.email_address, "street_address": match.street_address,
    "payment_card": match.payment_card, "social_handle": match.social_handle}


def _check(rule: Mapping[str, Any], kind: str, text: str, facts: Facts, fingerprint: str,
           pattern: re.Pattern[str] | None, normalised: str) -> str | None:
    """None: the rule does not fire; a string (maybe empty): it fires, with this detail for the reason."""
    if kind in ("banned_words", "suspect_words"):
        return match.find_words(text, rule["words"], pattern, normalised)  # evaluate quotes it (_listed_word)
    if kind in _PHRASES:
        words = _phrase(kind, normalised, text)
        if words is None and kind == "urging_self_harm" and facts.parent_at_risk:
            words = dared(normalised)
        return None if words is None else f'"{words}"'
    if kind == "links":
        outside = [h for h in match.links(text) if not match.host_allowed(h, rule["allowed_domains"])]
        return outside[0] if outside else None
    if kind in READ_ACTIVITY_KINDS and facts.history:
        return None
    if kind == "first_link":
        if facts.earlier_by_author:
            return None
        # .get: a rule saved before first_link had allowed domains has none.
        hosts = [h for h in match.links(text) if not match.host_allowed(h, rule.get("allowed_domains", ()))]
        return hosts[0] if hosts else None
    if kind in _PERSONAL_FINDERS:
        # The detail would repeat the personal information into the audit log and webhooks: left out.
        # .get: a rule saved before street_address had own_street has none.
        found = (match.street_address(text, rule.get("own_street") == "named") if kind == "street_address"
                 else _PERSONAL_FINDERS[kind](text))
        return "" if found else None
    if kind == "crypto_address":
        return "" if wallets.crypto_address(text) else None
    if kind == "flood":
        window = rule["minutes"] * 60
        same = facts.repeats(fingerprint, seconds=window, same_author=rule["scope"] == "author", replies=False)
        return f"{same + 1} times in {rule['minutes']} min" if fingerprint and same + 1 >= rule["count"] else None
    if kind == "shouting":
        return match.shouting(text, min_letters=rule["min_letters"], caps_ratio=rule["caps_ratio"],
                              max_repeat=rule["max_repeat"])
    if kind == "short_repeat":
        if not facts.is_reply or not fingerprint or len(fingerprint) > rule["max_chars"]:
            return None
        window = rule["minutes"] * 60
        same = facts.repeats(fingerprint, seconds=window, same_author=True, replies=True)
        return f"{same + 1} times" if same + 1 >= rule["count"] else None
    if kind == "other_language":
        found = language.foreign_part(text)
        if found is None:
            return None
        return language.name(found[0].code) + ("" if found[1] else ", in part")
    if kind == "new_author":
        if rule["until"] == "posted":
            return f"comment {facts.earlier_by_author + 1} of {rule['count']}" if facts.earlier_by_author < rule["count"] else None
        return (f"{facts.approved_by_author} of {rule['count']} approved"
                if facts.approved_by_author < rule["count"] else None)
    raise AssertionError(f"unknown rule kind {kind}")  # validate_rules admits no other


def strongest(hits: Sequence[Hit]) -> str | None:
    """The action the hits call for together: reject over hold over flag."""
    return max((h.action for h in hits), key=SEVERITY.__getitem__, default=None)


# Among comments a rule ranks alike, how much the model's own priority counts: a derby day's 28
# threats all sat at 4.00, oldest first, the one the model was surest of among them. A share, so the
# order stays the same whatever the floor, and small, so no rule's comment passes a stronger rule's.
MODEL_SHARE = 0.01


def rule_priority(model_priority: float, hits: Sequence[Hit]) -> float:
    """A comment's queue priority with the rules that fired: at least what the holding rules' kinds
    say (Kind.priority), ordered among those by the model's priority; the model's alone if none holds."""
    least = max((h.urgency for h in hits if h.action in (HOLD, REJECT)), default=None)
    if least is None:
        return model_priority
    return round(max(model_priority, least) + MODEL_SHARE * model_priority, 6)


def apply_hits(verdict: Verdict, hits: Sequence[Hit]) -> Verdict:
    """The model's verdict, made stricter by the rules that fired (never milder), and queued at
    least as urgently as the holding rules' kinds say (`rule_priority`). A reader at risk is not
    rejected unseen: routing.route holds it, after the author's sanction too."""
    action = strongest(hits)
    priority = rule_priority(verdict.priority, hits)
    if action == REJECT and verdict.status != REJECTED:
        return Verdict(REJECTED, verdict.flagged, priority)
    if action == HOLD and verdict.status == PUBLISHED:
        return Verdict(HELD, verdict.flagged, priority)
    return Verdict(verdict.status, verdict.flagged, priority) if verdict.status == HELD else verdict


def reader_at_risk(hits: Sequence[Hit]) -> bool:
    """Whether the at_risk rule fired: its comment is held for a person whatever else would reject it
    (routing.route)."""
    return any(h.kind == AT_RISK for h in hits)


def status_reason(flagged: Sequence[str], hits: Sequence[Hit]) -> str | None:
    """The audit reason of a scored comment: the flagged attributes, then each rule's reason."""
    parts = ([", ".join(flagged)] if flagged else []) + [h.reason for h in hits]
    return "; ".join(parts) or None


def stored_hits(comment: Any) -> list[Hit]:
    """The hits recorded on a scored comment (comments.rule_hits), as Hit objects again."""
    return [Hit(h["rule"], h["action"], h["reason"], kind=h.get("kind", "")) for h in (comment.rule_hits or [])]
