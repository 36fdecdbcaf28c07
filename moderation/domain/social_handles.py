"""A reader's handle on a named platform: "my snap is jakey_2014", "ig: katie.dances.x", "my discord is
gamerboy#4821". A children's news site's walk (readers 9 to 14) found every one published: a way for a
stranger to reach a child off the site, as a phone number is. Read only where a platform is named and
the handle given for it, and only a name shaped like a handle (a digit, an underscore or a dot in it,
or an "@" before it): "my snap is broken", "add me on snap if you want", "follow me on twitter for
more" are not held.
"""
from __future__ import annotations

import re

_PLATFORM = (r"(?:snap[ \t]*chat|snap|sc|insta(?:gram)?|ig|tik[ \t]*tok|tt|discord|roblox|fortnite|xbox|xbl|psn|"
             r"playstation|ps[345]|gamer[ \t]*tag|kik|twitch|minecraft|steam|twitter|facebook|fb|telegram|youtube)(?!\w)")
_HANDLE = r"(@?[\w.]{2,30}(?:#\d{4})?)(?![\w@#])"
_NAME_WORD = r"(?:user[ \t]*name|gamer[ \t]*tag|name|handle|tag|id|account|acc|acct|channel)"
_SAYS = r"(?:is|=|:|-|'s|’s|its|it's|it’s|it[ \t]+is)"
_FRAMES = re.compile(
    # "my snap is X", "my fortnite name is X", "my tiktok @X"; not "my Facebook wall..One", a word after
    # the platform's name with nothing to say it is a name (the one comment of 112,067 civil it held).
    rf"(?i)\bmy[ \t]+{_PLATFORM}(?:[ \t]+{_NAME_WORD})?(?:[ \t]*{_SAYS}[ \t]*|[ \t]+(?=@)){_HANDLE}"
    # "add me on snap its X", "follow me on twitter @X"
    rf"|\b(?:add|follow|find|message|msg|dm|text|hmu|hit[ \t]+me[ \t]+up)(?:[ \t]+(?:me|us))?[ \t]+(?:on|at)[ \t]+"
    rf"{_PLATFORM}[ \t]*(?:(?:[:=,-]|its|it's|it’s|it[ \t]+is|i'm|im|i[ \t]+am|as)[ \t]*)?{_HANDLE}"
    # "sc: X", "ig - X" as a line or a clause starts
    rf"|(?:^|(?<=[\s(\[.,!?;]))(?<![\w@]){_PLATFORM}[ \t]*(?::|=|[ \t]-)[ \t]*{_HANDLE}"
    # "add jakey_2014 on snap", "I'm lily.b2013 on insta"
    rf"|\b(?:add|follow|find|i'm|im|i[ \t]+am)(?:[ \t]+me)?[ \t]+{_HANDLE}[ \t]+on[ \t]+{_PLATFORM}\b")
# A console or a phone after "my xbox is": its model, not its owner's name.
_A_DEVICE = re.compile(r"(?i)(?:xbox|ps|iphone|ipad|pc|mac|switch|series)[\d.]*\w?")


def _a_handle(handle: str) -> bool:
    """Shaped like a handle, not a word or a number: "jakey_2014", "katie.dances.x", "@lola",
    "gamerboy#4821"; not "broken", "2.5", "10k", "e.g."."""
    body = handle.lstrip("@").rstrip(".")
    letters = sum(c.isalpha() for c in body)
    if ".." in body:  # an ellipsis: "wall..One"
        return False
    if handle.startswith("@"):
        return letters >= 2
    if _A_DEVICE.fullmatch(body):
        return False
    marked = "#" in body or any(c.isdigit() for c in body) or "_" in body or "." in body
    return letters >= 3 and marked


def handle_given(shown: str) -> str | None:
    """The handle a text gives on a named platform, as written, or None."""
    for found in _FRAMES.finditer(shown):
        handle = next(h for h in found.groups() if h)
        if _a_handle(handle):
            return found.group(0)
    return None
