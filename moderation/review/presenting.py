"""Small helpers that turn stored comment fields into what the review page shows."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup

from classifiers.attributes import ATTRIBUTES
from classifiers.language import plain_name
from moderation.domain.reporter_weights import UNTRIED
from moderation.models import Report


# The flags that are not the model's attributes, in words: a bare "reports" between "insult" and
# "toxicity" read like a cut-off line (a team lead's walk).
_FLAG_WORDS = {"reports": "readers' reports", "reported_after_approval": "readers' reports after its approval",
               "author_premoderated": "its author is pre-moderated", "author_suspended": "its author is suspended",
               "author_banned": "its author is banned", "storm": "storm mode on its story",
               "sent_to_review": "sent to review by a moderator",
               "would_reject": "held, not rejected unseen (a reader at risk, or a language the model cannot read)",
               "auto_rejected": "rejected by the model's auto-reject"}


def flag_label(item: Any) -> str:
    """A `flagged` entry as a short reason: entries are strings, or dicts with attribute/reason/score."""
    if isinstance(item, dict):
        name = item.get("reason") or item.get("attribute") or item.get("kind") or "flagged"
        score = item.get("score")
        threshold = item.get("threshold")
        label = str(name).replace("_", " ")
        if isinstance(score, (int, float)):
            label += f" {score:.2f}"
        if isinstance(threshold, (int, float)):
            label += f" ≥ {threshold:.2f}"
        return label
    return _FLAG_WORDS.get(str(item), str(item).replace("_", " "))  # "severe toxicity", as the score bars say


# The other_language rule's reason ends with the whole comment's language ("...: Russian (ru)"),
# perhaps then the abuse it quotes (', with "pendejo"'); one found in part says ", in part".
# "German (de)", or a bare code for a language without a name (held before the names were added).
_WHOLE_LANGUAGE = re.compile(r":\s*(?:([^:(]+?)\s*\(([a-z]{2,3})\)|()([a-z]{2,3}))(?:,\s*with\s+\"[^\"]*\")?\s*$")


def _whole_language(rule_hits: list[Any] | None) -> tuple[str, str] | None:
    """(name, code) of the language the other_language rule found the whole comment in."""
    for hit in rule_hits or ():
        if isinstance(hit, dict) and hit.get("kind") == "other_language":
            found = _WHOLE_LANGUAGE.search(str(hit.get("reason", "")))
            if found:
                code = found.group(2) or found.group(4)
                return found.group(1) or plain_name(code), code
    return None


def text_language(rule_hits: list[Any] | None) -> str | None:
    """The comment's language code, for the text's lang attribute: a screen reader read Cyrillic and
    Arabic with its English voice."""
    found = _whole_language(rule_hits)
    return found[1] if found else None


def unread_language(rule_hits: list[Any] | None) -> str | None:
    """The comment's language by name ("Spanish"): its scores are the English model's reading of words
    it does not know. A bilingual paper's walk: a Spanish death threat's card showed "threat 0.00"
    with bars, and "pidió" ("asked") marked as toxic."""
    found = _whole_language(rule_hits)
    return found[0] if found else None


def flagged_attributes(flagged: list[Any] | None) -> set[str]:
    """Which scored attributes the policy flagged, whatever shape the entries take."""
    found: set[str] = set()
    for item in flagged or []:
        if isinstance(item, dict):
            candidates = [str(item.get("attribute", "")), str(item.get("reason", ""))]
        else:
            candidates = [str(item)]
        for candidate in candidates:
            found.update(word for word in re.findall(r"[a-z_]+", candidate.lower()) if word in ATTRIBUTES)
    return found


def ordered_scores(scores: dict[str, Any] | None) -> list[tuple[str, float]]:
    """Scores in the classifier's attribute order, then any others, numbers only."""
    scores = scores or {}
    names = [a for a in ATTRIBUTES if a in scores] + sorted(k for k in scores if k not in ATTRIBUTES)
    return [(name, float(scores[name])) for name in names if isinstance(scores[name], (int, float))]


def report_summary(reports: list[Report]) -> list[tuple[str, int, float]]:
    """(reason, count, total weight) per report reason, most weighty first."""
    counts: Counter[str] = Counter()
    weights: Counter[str] = Counter()
    for report in reports:
        counts[report.reason] += 1
        weights[report.reason] += report.weight
    return sorted(((r, counts[r], weights[r]) for r in counts), key=lambda row: (-row[2], row[0]))


# A brigade's telltale: this many open reports or more from readers untried on the site, and at
# least this share of the open reports: one trusted id joining 29 new ones had hidden the line (a
# trust and safety walk).
BRIGADE_SIZE = 5
BRIGADE_SHARE = 0.8


def brigade_note(reports: list[Report]) -> str | None:
    """A line saying the open reports all come from readers untried on the site, and how close
    together: "28 reports, weight 56" from 28 new ids in 45 s read as strong evidence on the card,
    the pattern visible only in a 28-line list (a night shift's walk)."""
    open_now = [r for r in reports if not r.outcome]
    untried = [r for r in open_now if (r.weight_reason or "").endswith(UNTRIED)]
    # Of the named: three anonymous reports beside eight new ids had hidden the line (a re-check).
    named = [r for r in open_now if r.reporter_id is not None]
    if len(untried) < BRIGADE_SIZE or len(untried) < BRIGADE_SHARE * len(named):
        return None
    times = [r.created_at for r in untried if r.created_at is not None]
    within = f", within {_short_span(max(times) - min(times))}" if len(times) == len(untried) else ""
    how_many = f"All {len(open_now)}" if len(untried) == len(open_now) else f"{len(untried)} of the {len(open_now)}"
    return f"{how_many} open reports come from readers with no earlier report decided on this site{within}."


class NoteGroup(NamedTuple):
    note: str
    reasons: str  # "hate", or "hate, harassment"
    count: int


def note_groups(reports: list[Report]) -> list[NoteGroup]:
    """The reports' notes, each text once with how many readers sent it, the most sent first: 30
    copies of one pasted note, a brigade's plainest telltale, read as "3 more notes" (a trust and
    safety walk)."""
    grouped: dict[str, list[Report]] = {}
    for report in reports:
        if report.note:
            # The same note in other case or spacing is the same note (a re-check found them apart).
            grouped.setdefault(" ".join(report.note.split()).casefold(), []).append(report)
    ordered = sorted(grouped.values(), key=lambda same: -len(same))  # stable: first filed first among equals
    return [NoteGroup(_BIDI_CONTROLS.sub("", same[0].note), ", ".join(dict.fromkeys(r.reason.replace("_", " ") for r in same)),
                      len(same)) for same in ordered]


def plain_id(text: str | None) -> str:
    """A reader's id as a card shows it: without direction controls, which could turn the rest of its
    line around even inside <bdi> (a second re-check)."""
    return _BIDI_CONTROLS.sub("", text or "")


# Direction controls in a reader's note: an override with an unclosed isolate broke out of the card's
# <bdi> and turned "— hate" after it around (a re-check). A note needs none of them.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def heaviest_first(reports: list[Report]) -> list[Report]:
    """Reporters by weight, heaviest first: a trusted reader filing 11th behind ten untried ones was
    off the card's list, and with it why the comment ranked where it did (a trust and safety walk)."""
    return sorted(reports, key=lambda r: -r.weight)


def _short_span(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.0f} hours"


def when(value: datetime | str | None, seconds: bool = False) -> str:
    """A timestamp in UTC, to the minute (or the second: the audit log, where an incident walk had to
    order an attacker's and a moderator's decisions within one minute by row order); the database may
    hand it back in another zone, and a model card keeps it as ISO text."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC") if value else ""


def at(value: datetime | str | None) -> Markup:
    """`when(value)` in a <time> element, which static/local_time.js shows in the reader's own zone."""
    text = when(value)
    if not text or text == value:  # nothing, or text that is not a time
        return Markup("{}").format(text)
    moment = datetime.strptime(text, "%Y-%m-%d %H:%M UTC").replace(tzinfo=timezone.utc)
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), text)


def number(value: float | int, places: int = 1) -> str:
    """2.0 as "2" and 1.25 as "1.3": thresholds and spans of days are typed by people as whole numbers."""
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold_text(value: float) -> str:
    """0.85 as "0.850", and with up to six places one that three would show as 0.000 or 1.000:
    the volume target's 0.999999 read "1.000", which is the value that turns a hold off."""
    text = f"{value:.3f}"
    if 0 < value < 1 and text in ("0.000", "1.000"):
        # As many places as it takes: six gave "1." for 0.9999996, which a site's settings page takes.
        return next((f"{value:.{places}f}".rstrip("0") for places in range(6, 16)
                     if f"{value:.{places}f}" not in ("0." + "0" * places, "1." + "0" * places)), repr(value))
    return text


def safe_url(url: str | None) -> str | None:
    """Story links come from the news site: only http(s) ones become links (no javascript: URLs)."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None

