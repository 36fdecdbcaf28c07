"""The rules page's form: each rule a fieldset of plain inputs, read back into the list the JSON
editor would give. A community editor's walk had a non-programmer writing JSON by hand to add one
banned word; the JSON editor stays beside it for pasting and for many rules at once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from moderation.domain.errors import ValidationFailed
from moderation.domain.rules import ACTIONS, KINDS, MAX_RULES

_FIELD = re.compile(r"^rule-(\d{1,3})-kind$")
# Words, phrases and domains: one per line (commas too for domains, which never hold one).
_LINES = re.compile(r"\r?\n")
_DOMAIN_SPLIT = re.compile(r"[\s,]+")
_WHOLE = re.compile(r"^-?\d{1,9}$")
_DECIMAL = re.compile(r"^-?\d{0,9}(?:\.\d{1,9})?$")

ACTION_LABELS = {"hold": "hold for review", "reject": "reject", "flag": "flag only (published, named on the card)"}
PARAM_LABELS = {
    "words": "Words or phrases, one per line",
    "allowed_domains": "Allowed domains, one per line (subdomains included)",
    "count": "How many times",
    "minutes": "Within minutes",
    "scope": "Counted for",
    "min_letters": "Fewest letters",
    "caps_ratio": "Share of capitals (0.5 to 1)",
    "max_repeat": "Most repeats of one character",
    "max_chars": "Longest reply (characters)",
    "until": "Until the author's comments are",
    "own_street": "A reader's own street, held",
}
# Where a kind's setting means something else: "How many times" said nothing of a new author's
# count, which an editor's walk could only read from the preview's reason.
KIND_PARAM_LABELS = {("new_author", "count"): "How many of their comments",
                     ("new_author", "until"): "Held until that many are"}
# Beside the action of the kinds that read phrases, which quotations and news reports trip too: a docs
# tester set `group_attack` to reject, and it rejected unseen a civil comment that quoted hate to criticise
# it. The page had offered reject without a word (docs/moderation.md, "Hold or reject?").
_QUOTED = "Hold, not reject: quotations and news reports fire it too, and no moderator sees what it rejects."
ACTION_HINTS = {"threat_words": _QUOTED, "group_attack": _QUOTED, "urging_self_harm": _QUOTED,
                "contact_seeking": _QUOTED,
                "other_language": "Hold, not reject: it fires on civil comments in other languages too, and no "
                                  "moderator sees what it rejects."}
SCOPE_LABELS = {"author": "the author", "site": "anyone on the site", "approved": "approved", "posted": "posted",
                "numbered": "with a house number", "named": "named, number or not (readers are children)"}
# A list pasted from a document: its bullets are never part of a word (an editor's walk pasted
# "• scumbag" from Word, and the rule then caught only "• scumbag" written with its bullet).
# Numbered too ("1. scumbag", "2) lowlife"): a re-check pasted a numbered list, and the rule caught nothing.
_BULLET = re.compile(r"^(?:[•·◦▪▫‣⁃●○■□–—►▶▸➤→✓✔]|[-*+](?=\s)|\d{1,3}[.)](?=\s))\s*")


@dataclass(frozen=True)
class ParamField:
    """One setting of a rule as the form shows it."""

    name: str
    label: str
    input: str                       # "lines", "number" or "select"
    value: str
    options: tuple[tuple[str, str], ...] = ()
    low: float | None = None
    high: float | None = None
    step: str = "1"


def param_fields(rule: Mapping[str, Any]) -> list[ParamField]:
    """The settings of the rule's kind, filled from the rule as it stands (valid or not)."""
    kind = KINDS.get(rule.get("kind"))
    if kind is None:
        return []
    fields = []
    for name, (default, parse) in kind.params.items():
        value = rule.get(name, default)
        label = param_label(rule.get("kind"), name)
        if (options := getattr(parse, "options", None)) is not None:
            fields.append(ParamField(name, label, "select", str(value),
                                     tuple((o, SCOPE_LABELS.get(o, o)) for o in options)))
        elif (bounds := getattr(parse, "bounds", None)) is not None:
            low, high = bounds
            fields.append(ParamField(name, label, "number", "" if value is None else str(value), low=low, high=high,
                                     step="1" if isinstance(low, int) and isinstance(high, int) else "any"))
        else:
            lines = value if isinstance(value, list) else ([] if value is None else [value])
            fields.append(ParamField(name, label, "lines", "\n".join(str(v) for v in lines)))
    return fields


REMOVE = "_remove"  # a rule ticked for removal, kept in the form until it is saved


def rules_from_form(form: Mapping[str, str], *, keep_removed: bool = False) -> list[dict[str, Any]]:
    """The rules the form's fields hold, in their order, less those ticked for removal (kept, marked
    REMOVE, with `keep_removed`: adding a rule had dropped a ticked one from the form, before any
    save, with no box left to untick; a re-check); values as typed, so validate_rules names what is
    wrong with them (a count of "ten" stays "ten")."""
    indices = sorted(int(m.group(1)) for key in form if (m := _FIELD.match(key)))[:MAX_RULES * 2]
    rules = []
    for i in indices:
        field = lambda name: form.get(f"rule-{i}-{name}", "")  # noqa: E731 (one rule's fields)
        if field("remove") == "on" and not keep_removed:
            continue
        kind = field("kind").strip()
        rule: dict[str, Any] = {"name": field("name").strip(), "kind": kind}
        if field("remove") == "on":
            rule[REMOVE] = True
        if field("action").strip():
            rule["action"] = field("action").strip()
        if field("reason").strip():
            rule["reason"] = field("reason")
        for param in param_fields({"kind": kind}):
            raw = field(param.name)
            if param.input == "lines":
                split = _DOMAIN_SPLIT if param.name == "allowed_domains" else _LINES
                entries = (_BULLET.sub("", part.strip()).strip() for part in split.split(raw))
                rule[param.name] = [entry for entry in entries if entry]
            elif raw.strip():
                rule[param.name] = _number(raw.strip()) if param.input == "number" else raw.strip()
        rules.append(rule)
    return rules


# A list's separators, full-width ones too: "Darren Pike; D. Pike" on one line caught nothing either.
_LIST_MARKS = re.compile(r"[,;，；、]")


def refuse_comma_entries(rules: list[dict[str, Any]], saved: list[dict[str, Any]]) -> None:
    """Refuse the first word-list entry typed with commas: an editor's walk typed "Darren Pike, D. Pike,
    Pike" on one line of a box that says one per line, and the rule caught nothing. Refused, not split:
    a phrase may hold a comma, and the JSON editor saves one, which the form then passes (one saved
    already, in `saved`: it had blocked every later save; a re-check)."""
    known = {entry for rule in saved for entry in rule.get("words") or []}
    for i, rule in enumerate(rules):
        for entry in rule.get("words") or []:
            if isinstance(entry, str) and _LIST_MARKS.search(entry) and entry not in known:
                raise ValidationFailed(
                    f"rules[{i}].words holds \"{entry[:60]}\", with commas or semicolons: put each word or phrase "
                    "on a line of its own (a phrase with a comma in it is saved under Edit as JSON)",
                    field=f"rules[{i}].words")


def param_label(kind: Any, name: str) -> str:
    """A setting's label as the form shows it for this kind of rule."""
    return KIND_PARAM_LABELS.get((kind, name)) or PARAM_LABELS.get(name, name.replace("_", " ").capitalize())


def kept(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules a save would keep: those not ticked for removal, without the mark."""
    return [{k: v for k, v in rule.items() if k != REMOVE} for rule in rules if not rule.get(REMOVE)]


def new_rule(kind: str, taken: set[str]) -> dict[str, Any]:
    """A rule of `kind` with its defaults, named after the kind and unlike any name in `taken`."""
    base = kind.replace("_", "-")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return {"name": name, "kind": kind, "action": KINDS[kind].action, "reason": KINDS[kind].reason}


def field_of_error(field: str | None) -> tuple[int, str] | None:
    """(rule index, field name) of a validation error's field ("rules[2].words" -> (2, "words"))."""
    found = re.match(r"^rules\[(\d+)\](?:\.(\w+))?$", field or "")
    return (int(found.group(1)), found.group(2) or "name") if found else None


def action_choices() -> list[tuple[str, str]]:
    return [(action, ACTION_LABELS[action]) for action in ACTIONS]


def _number(raw: str) -> int | float | str:
    if _WHOLE.match(raw):
        return int(raw)
    if _DECIMAL.match(raw) and raw not in ("-", "."):
        return float(raw)
    return raw
