"""The contact-seeking rule (`contact_seeking`): someone asking a young reader for what lets them reach
the reader alone: an age, a secret kept from parents, where they live or whether they are alone, a
private channel, a meeting, a picture, or a gift.

A children's news site's walk (2026-12-06, readers 9-14) posted 12 such comments and all were
published with no reason ("how old are you? dm me", "dont tell your parents but i can get you free
robux", "where do you live? i could meet you after school"); the site's own suspect words caught the
ones written for them and 8 of 10 fresh ones. Nothing else reads this: the model scores it civil.

It reads the classifier's normalised text ("wat age r u", "r u home alone rn" as written in chat),
each pattern a way an adult asks and few other comments say: not "how old are you supposed to be to
vote?", "don't tell your parents about the surprise party lol", "where do you live that rent is that
cheap?", "send me a pic of your dog". It is not a starter rule of an adult site: "dm me if you want
the recipe" and "how old are you, twelve?" are ordinary there (docs/moderation.md has its counts).
"""
from __future__ import annotations

import re

_YOU = r"(?:you|u|ya|yu)"
_YOUR = r"(?:your|ur|yr|you're)"
_ARE = r"(?:are|r)"
# Whom a child keeps a secret from, or who checks on them.
_GROWN_UPS = (r"(?:parents|parent|mum|mom|mam|mummy|mommy|mother|dad|daddy|father|mum\s+(?:and|n|&)\s+dad"
              r"|mom\s+(?:and|n|&)\s+dad|family|folks|teachers?|carers?|nan|gran|grandma|grandparents)")
# Where a chat goes to be private.
# Messaging apps, not games: "do u have minecraft?" and "add me on fortnite" are children's chatter.
_APPS = (r"(?:snap|snapchat|sc|insta|instagram|ig|whatsapp|whats\s+app|kik|discord|telegram|facetime|skype|messenger"
         r"|wechat|omegle)")
_NUMBER = r"(?:number|phone\s+number|mobile(?:\s+number)?|cell(?:\s+number)?|digits|addy|address|" + _APPS + r")"
_PICTURE = r"(?:pic|pics|picture|pictures|photo|photos|selfie|selfies|vid|video|nudes?)"
# A sentence's end, or a chat's: the words that ask and nothing more.
_ENDS = r"(?=\s*(?:[.!?,;:)]|$|pls\b|plz\b|please\b|lol\b|x+\b|\?))"

_CONTACT = re.compile(
    # Age: "how old are you?", "wat age r u", "asl"; not "how old are you supposed to be to vote?".
    r"\bhow\s+old\s+" + _ARE + r"\s+" + _YOU + r"\b" + _ENDS +
    r"|\bhow\s+old\s+" + _ARE + r"\s+" + _YOU + r"\s+(?:now|then|really|btw|tho|though|anyway|exactly)\b" + _ENDS +
    r"|\b(?:what|wat|wot|wut|wht)\s+age\s+" + _ARE + r"\s+" + _YOU + r"\b" + _ENDS +
    r"|\b(?:what'?s|whats|wats|wuts)\s+" + _YOUR + r"\s+age\b" + _ENDS +
    r"|\b(?:what|wat|which)\s+(?:grade|year)\s+" + _ARE + r"\s+" + _YOU + r"\s+in\b(?:\s+at\s+school)?" + _ENDS +
    r"|(?:^|[.!?,]\s*)asl\b(?=\s*(?:\?|$|pls\b|plz\b))|\ba\s*/\s*s\s*/\s*l\b"
    # Secrecy from the grown-ups: "dont tell your parents but ...", "keep this between us", "our little secret".
    r"|\b(?:don'?t|do\s+not|dont|never)\s+tell\s+" + _YOUR + r"\s+" + _GROWN_UPS +
    r"(?:\s+(?:or|and|n)\s+(?:" + _YOUR + r"\s+)?" + _GROWN_UPS + r")?"
    r"(?=\s*(?:[.!?,;:]|$|but\b|ok\b|okay\b|k\b|yeah\b|ya\b|yh\b|about\s+(?:me|us|this|that|our\s+(?:chat|talk|messages|convo))\b"
    r"|what\s+(?:i|we)\b|i\s+(?:said|told|sent|gave|asked)\b|we\s+(?:talked|talk|chat|chatted|met|spoke)\b|anything\b))"
    r"(?!.{0,60}\b(?:surprise|party|present|presents|gift|birthday|christmas|spoilers?|ending)\b)"
    r"|\bkeep\s+(?:this|it|that|our\s+(?:chat|talk|messages|convo))\s+(?:just\s+)?between\s+(?:us(?!\s+and\b)|(?:you|u)\s+(?:and|n|&)\s+me)\b"
    # A secret asked for, not one told of: "the government tried to keep it secret".
    r"|(?:^|[.!?,;:]\s*|\b(?:pls|plz|please|just|can\s+(?:you|u)|(?:you|u)\s+(?:have\s+to|must|gotta|need\s+to)|promise\s+(?:to|me))\s+)"
    r"keep\s+(?:this|it|that|our\s+(?:chat|talk|messages|convo))\s+(?:a\s+|our\s+)?secret\b"
    r"|\bour\s+little\s+secret\b|\b(?:it'?s|its|this\s+is|it'?ll\s+be)\s+our\s+secret\b(?=\s*(?:[.!?,;:)]|$|ok\b|okay\b|yeah\b|x+\b))"
    r"|\bdelete\s+(?:this|these|the|our|my)\s+(?:chat|chats|messages?|msgs?|convo|conversation|texts?|dms?)\b"
    r"(?=.{0,40}\b(?:after\s+(?:you|u)\s+read|once\s+(?:you|u)\s+(?:read|see)|so\s+(?:no\s*one|nobody)|so\s+" + _YOUR + r"\b))"
    r"|\bso\s+" + _YOUR + r"\s+" + _GROWN_UPS + r"\s+(?:doesn'?t|don'?t|dont|doesnt|won'?t|wont|can'?t|cant|never)\s+(?:see|find|know|read"
    r"|check|notice)\b"
    r"|\b(?:don'?t|dont|do\s+not)\s+let\s+" + _YOUR + r"\s+" + _GROWN_UPS + r"\s+(?:see|know|find\s+out|read)\b"
    r"(?=\s*(?:[.!?,;:]|$|this\b|about\s+(?:me|us|this|our)\b|that\s+(?:i|we)\b|what\s+(?:i|we)\b))"
    # Where they are, alone or watched: "where do you live?", "r u home alone rn", "do ur mum n dad check ur phone?".
    r"|\bwhere\s*(?:abouts)?\s+(?:do|d'?)\s*" + _YOU + r"\s+live\b(?=\s*(?:[.!?,;:]|$|then\b|exactly\b|tho\b|lol\b|x+\b|i\s+(?:could"
    r"|can|might|will|'ll|live)\b|near\b|round\s+here\b|in\s+(?:real\s+life|rl)\b))"
    r"|\b(?:what|wat|which)\s+school\s+(?:do|d'?)\s*" + _YOU + r"\s+(?:go\s+to|attend)\b"
    r"|\b(?:" + _ARE + r"\s+" + _YOU + r"|" + _YOUR + r")\s+(?:home\s+)?alone\s+(?:rn|right\s+now|now|at\s+home|tonight|after\s+school"
    r"|in\s+(?:your|ur)\s+(?:room|house))\b"
    r"|\b" + _ARE + r"\s+" + _YOU + r"\s+home\s+alone\b"
    r"|\b(?:" + _ARE + r"|is|when\s+(?:are|r|do|will))\s+" + _YOUR + r"\s+" + _GROWN_UPS + r"\s+(?:home|out|away|in|around|"
    r"going\s+out|leave|leaving|get\s+home|at\s+work)\b(?=\s*(?:[.!?,;:]|$|rn\b|right\s+now\b|tonight\b|now\b))"
    r"|\b(?:do|does)\s+" + _YOUR + r"\s+" + _GROWN_UPS + r"\s+(?:ever\s+)?(?:check|look\s+at|read|go\s+through|see|monitor)\s+"
    r"" + _YOUR + r"\s+(?:phone|messages|texts|chats|dms|tablet|ipad|computer|laptop|account)\b"
    # A private channel: "dm me", "message me privately", "whats ur number", "do u have whatsapp", "add me on snap".
    r"|\b(?:dm|pm|inbox|snap|kik|whatsapp)\s+me\b"
    r"|\b(?:message|msg|chat\s+to|talk\s+to|text|call|ring)\s+me\s+(?:privately|in\s+private|on\s+" + _APPS + r"|later\s+on\s+"
    + _APPS + r"|directly)\b"
    r"|\b(?:let'?s|lets|we\s+(?:can|could|should)|can\s+we|wanna|want\s+to)\s+(?:talk|chat|speak|go|move\s+this|continue\s+(?:this"
    r"|on))\s+(?:somewhere\s+(?:more\s+)?private|in\s+private|privately|on\s+" + _APPS + r"|in\s+(?:the\s+)?dms?)\b"
    r"|\bsomewhere\s+(?:more\s+)?private\b(?=.{0,40}\b(?:" + _APPS + r"|chat|talk|dm|number)\b)"
    r"|\b(?:what'?s|whats|wats|wuts|what\s+is|send\s+me|give\s+me|gimme|can\s+i\s+(?:have|get)|drop|post)\s+" + _YOUR + r"\s+"
    + _NUMBER + r"\b(?!\s+(?:one|1|two|three|ten)\b)"
    r"|\b(?:do|d'?)\s*" + _YOU + r"\s+(?:have|got|use)\s+(?:a\s+|an\s+)?(?:" + _APPS + r")\b(?:\s+(?:account|acc))?" + _ENDS +
    r"|\b(?:add|find)\s+me\s+on\s+(?:my\s+)?(?:" + _APPS + r"|server)\b"
    r"|\b(?:come\s+)?find\s+me\s+on\s+my\s+\w+\b|\blink\s+in\s+(?:my\s+)?bio\b|\bjoin\s+my\s+(?:private\s+)?(?:discord|server|group\s+chat"
    r"|gc)\b(?=.{0,40}\b(?:link|dm|bio|invite|private)\b)"
    # A meeting: "i could meet you after school".
    r"|\b(?:meet|pick)\s+" + _YOU + r"\s+(?:up\s+)?(?:after\s+school|from\s+school|outside\s+(?:your|ur|the)\s+school|at\s+(?:the\s+)?"
    r"(?:park|playground|school\s+gates?)|irl|in\s+real\s+life|in\s+person|alone|somewhere\s+(?:quiet|private))\b"
    r"|\b(?:wanna|want\s+to|let'?s|lets|we\s+(?:could|should)|can\s+we|could\s+we|shall\s+we)\s+meet\s+(?:up\s+)?(?:irl|in\s+real\s+life"
    r"|in\s+person|after\s+school|alone|sometime|somewhere)\b"
    # Appearance: "what do you look like?", "send me a pic".
    r"|\bwhat\s+(?:do|d'?)\s*" + _YOU + r"\s+look\s+like\b" + _ENDS +
    r"|\b(?:send|show)\s+(?:me\s+)?(?:a\s+|some\s+|ur\s+|your\s+)?" + _PICTURE + r"\b(?:\s+of\s+(?:you|yourself|urself|u))?" + _ENDS +
    r"|\b(?:send|show)\s+(?:me\s+)?(?:a\s+|some\s+)?" + _PICTURE + r"\s+of\s+(?:you|yourself|urself|u)\b"
    r"|\b" + _ARE + r"\s+" + _YOU + r"\s+(?:pretty|cute)\b" + _ENDS +
    # Gifts: "i can get you free robux", "free vbucks", a gift card.
    r"|\bfree\s+(?:robux|v\s*-?\s*bucks|vbucks)\b"
    r"|\bi\s*(?:'ll|ll|\s+will|\s+can|\s+could|\s+would)\s+(?:get|give|send|buy)\s+" + _YOU + r"\s+(?:some\s+|a\s+|an\s+)?"
    r"(?:robux|v\s*-?\s*bucks|vbucks|gift\s*cards?|skins?|a\s+(?:new\s+)?phone|an\s+iphone)\b"
)# A word every pattern above needs one of: most comments have none and skip the thirty patterns
# (164 µs a comment before, over the shared data; bench/plain_words_rules.py).
_CUE = re.compile(r"\b(?:old|age|grade|year|asl|tell|keep|secret|delete|live|school|alone|dm|dms|pm|inbox|private|privately"
                  r"|directly|number|phone|mobile|cell|digits|addy|address|server|find|bio|meet|pick|look|robux|v\s*-?\s*bucks"
                  r"|vbucks|gift|skins?|iphone|pretty|cute|" + _GROWN_UPS + "|" + _APPS + "|" + _PICTURE + r")\b|\ba\s*/\s*s\b")


def contact_seeking(normalised: str) -> str | None:
    """The words of someone asking a young reader for their age, a secret, where they are, a private
    channel, a meeting, a picture or a gift, or None."""
    if not _CUE.search(normalised):
        return None
    found = _CONTACT.search(normalised)
    return found.group(0) if found else None
