"""Links written so that no link reader sees them, written back as links.

A business desk's walk found every disguised link of a spam wave published under a `links` rule:
"bit . ly/3FxProfit", "www dot chainrecover dot net", "goldira-secure(.)com",
"hxxps://crypto-refund-claim[.]com", "claim-your-money[dot]uk", "t dot me slash chainrescue".
Full-width and circled letters, ideographic full stops and zero-width spaces are read as shown
before this (rule_matchers._visible); here the dots spelled out or spaced apart are put back.

A bracketed dot ("[.]", "(dot)") is only ever a disguise, so any top-level domain the link reader
knows counts after it ("x(.)me", "x[dot]co"). A spaced one or the word "dot" is ordinary English too
("the dot com bubble", "a new game . it", "Great news . Top of the league"), so it counts only before
com, net, org, ly and the like, in lower case or capitals, or in Telegram's and WhatsApp's "t.me" and
"wa.me", and not after "the", "a" and other little words.
"""
from __future__ import annotations

import re

# Top-level domains no English sentence spells as a word after a spaced dot, in lower case or all
# capitals: a capital opens a sentence ("Great news . Top of the league", "Join the dots . Net zero",
# "He went to Paris . De Gaulle airport" were read as links: a re-check). `rule_matchers._TLDS` holds
# the rest ("me", "to", "top", "shop" ...), which only a bracketed dot puts after a name.
# Endings that plainly make a domain of what comes before them: after a spaced or spelled-out dot (in
# lower case or capitals, so "Great news . Top of the league" is no link), and in a display name
# (rule_matchers.plainly_a_link), where the spammers' newer endings count too.
PLAIN_TLDS = ("com", "net", "org", "info", "biz", "io", "ly", "uk", "ru", "cn", "xyz")
_PLAIN_TLDS = "(?:" + "|".join((*PLAIN_TLDS, *(t.upper() for t in PLAIN_TLDS))) + ")"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# Spaces, at most three, never a line: any run of whitespace made a 20,000-character comment of spaces
# cost 9 s, each space starting a try that ran to the end (a re-check).
_GAP = "[ \t\u00a0]{1,3}"
_BRACKETED = (r"[ \t]{0,3}(?:\[ ?(?:\.|dot) ?\]|\( ?(?:\.|dot) ?\)|\{ ?(?:\.|dot) ?\}|< ?dot ?>)[ \t]{0,3}")
# Spaced on one side only, as a spam wave wrote them ("refund-help. com", "bit .ly/3Fx"): a space
# before a dot and none after is no sentence's full stop; a dot then a space is, so it counts only
# before the endings no sentence begins with in lower case.
_ONE_SIDED_ENDINGS = "(?:com|ly|xyz|biz)"
_SPELLED = rf"(?:{_GAP}dot{_GAP}|{_GAP}\.{_GAP}|{_GAP}\.(?=[a-zA-Z])|\.{_GAP}(?={_ONE_SIDED_ENDINGS}\b))"
_ONE_SIDED_DOT = re.compile(r"[^ \t\u00a0]\.[ \t\u00a0]|[ \t\u00a0]\.[^ \t\u00a0]")
_ONE_SIDED = re.compile(rf"[ \t\u00a0]\.[a-z]|\.[ \t\u00a0]{{1,3}}{_ONE_SIDED_ENDINGS}\b")
_PLAIN_DOT = r"\."
# A host with at least one disguised dot in it: its labels apart by any dot, the last one a TLD. At most
# six labels: unbounded, "at dot " 2,800 times took 8 s, each word starting a try that ran to the end.
_DISGUISED = re.compile(
    rf"(?i)(?<![\w.-])(?:{_LABEL}(?:{_BRACKETED}|{_SPELLED}|{_PLAIN_DOT})){{1,6}}"
    rf"(?:(?<=[\]\)\}}>])[ \t]{{0,3}}[a-z]{{2,24}}\b|(?-i:{_PLAIN_TLDS})\b|me\b)"
)
_SEPARATOR = re.compile(rf"(?i){_BRACKETED}|{_SPELLED}")
_SCHEME = re.compile(r"(?i)\bh(?:xx|\*\*|tt)p(s?)\s*(?:\[:\]|\(:\)|:)\s*(?:/\s*/|\\\\)")
_LITTLE_WORDS = frozenset("the a an this that of and or to in on at by for is was be my your our their its new "
                          "no so".split())
_MESSENGERS = ("t.me", "wa.me")


def _host(match: re.Match[str]) -> str:
    written = match.group(0)
    host = _SEPARATOR.sub(".", written).replace(" ", "")
    labels = host.lower().split(".")
    bracketed = any(c in written for c in "[({<")
    if not bracketed:
        if labels[-1] == "me" and ".".join(labels[-2:]) not in _MESSENGERS:
            return written
        if labels[-1] != "me" and re.fullmatch(_PLAIN_TLDS, labels[-1]) is None:
            return written
        if all(label in _LITTLE_WORDS for label in labels[:-1]):  # "the dot com bubble"
            return written
        # A dot spaced on one side reads as a link when a label is a made-up name (a hyphen or a
        # digit: "refund-help. com", "Shopping-Sale .org") or a path follows ("bit .ly/3Fx"), not
        # when a word stands before a TLD said as a word ("not any .com operation", "now .net").
        if _ONE_SIDED_DOT.search(written) and not (
                any("-" in label or any(map(str.isdigit, label)) for label in labels[:-1])
                or match.string.startswith("/", match.end())):
            return written
    if written == host:  # no disguise: the link reader sees it as it is
        return written
    return host


def _might_disguise(lowered: str) -> bool:
    return "dot" in lowered or " . " in lowered or "hxxp" in lowered or "h**p" in lowered or any(
        bracket in lowered for bracket in ("[.", "(.", "{.", ".]", ".)", ".}", "[ .", "( .")) or bool(
        _ONE_SIDED.search(lowered))


def reveal_links(text: str) -> str:
    """The text with disguised links written as links ("bit . ly/x" -> "bit.ly/x"); the rest as it was."""
    lowered = text.lower()
    if not _might_disguise(lowered):
        return text
    text = _SCHEME.sub(lambda m: f"http{m.group(1)}://", text)
    return _DISGUISED.sub(_host, text)
