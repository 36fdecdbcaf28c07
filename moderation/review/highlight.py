"""Comment text with the classifier's explanation spans marked, built from escaped pieces.

The text is user input: every piece is escaped on its own and only our own <mark> tags are
added around them, so nothing the author wrote can become markup. The words a site rule quotes in
its reason ('threat of violence: "i know where you live"') are marked too, in the rules' colour: a
comment the model passed and a rule held would otherwise show only the model's words, which are not
why it waits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from classifiers.bidi import display_order
from classifiers.normalise import as_read, markup_spans, normalise, normalise_with_offsets, span_of
from moderation.domain.rule_matchers import email_address, payment_card, phone_number, social_handle, street_address

# After these a comment box starts a new line; the page shows the text with white-space: pre-wrap.
_LINE_ENDING_TAG = re.compile(r"</(?:p|div|li|blockquote|h[1-6]|tr|pre|ul|ol|table)\s*>|<br\b[^<>]*>", re.IGNORECASE)


# The words a rule found, quoted at the end of its reason (rules.Compiled.evaluate writes them so).
# The reason's last quote: 'banned word: "schwul" written "schwül"' quotes the comment last.
_QUOTED = re.compile(r'"([^"]+)"\Z')


# The personal-information rules never quote what they found (a reason is sent in webhooks and kept
# after an erasure), so the card finds it again: a derby day's moderators hunted for the number in a
# long comment. Marked where the text holds it as the rule read it; a number the rule read through
# markup or look-alike letters marks nothing.
# A street is found again as widely as any rule reads it: the rule already held the comment for it.
_FOUND_AGAIN = {"phone": phone_number, "email": email_address, "street_address": lambda text: street_address(text, True),
                "payment_card": payment_card, "social_handle": social_handle}


@dataclass
class _Region:
    begin: int
    end: int
    attributes: dict[str, float] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)


def _spans(text: str, explanations: dict[str, Any] | None) -> list[tuple[int, int, str, float, bool]]:
    """Well-formed spans only: offsets inside the text, begin before end; anything else is ignored.

    A span's score is its contribution to the attribute's log-odds, so it is shown as "+0.70".
    """
    spans = []
    for attribute, items in (explanations or {}).items():
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            begin, end = item.get("begin"), item.get("end")
            if not isinstance(begin, int) or not isinstance(end, int) or isinstance(begin, bool):
                continue
            begin, end = max(0, begin), min(len(text), end)
            if begin >= end:
                continue
            score = item.get("score")
            spans.append((begin, end, str(attribute), float(score) if isinstance(score, (int, float)) else 0.0, False))
    return spans


def marked_words(text: str, explanations: dict[str, Any] | None, attribute: str, limit: int = 3) -> list[str]:
    """The words marked for one attribute, those that raised it most first: said in words beside
    the text, since a mark's own meaning is only a tooltip, which a keyboard or a screen reader
    never reaches."""
    spans = sorted((s for s in _spans(text, explanations) if s[2] == attribute), key=lambda s: -s[3])
    drawn = _drawn_order(text)
    # As the model reads it: "k</b>ill" is listed as "kill", "id⏎iot" as "idiot".
    return list(dict.fromkeys(" ".join(as_read(_as_drawn(text, begin, end, drawn)).replace("\u200b", "").split())
                              for begin, end, *_ in spans))[:limit]


def _drawn_order(text: str) -> list[int] | None:
    """The text's indices as a browser draws it (its first reading), where a bidi control reorders it."""
    order = display_order(text)
    if order is None:
        return None
    return list(dict.fromkeys(i for i in order if i >= 0))  # each index once: the first reading's place


def _as_drawn(text: str, begin: int, end: int, drawn: list[int] | None) -> str:
    """text[begin:end] in the order it is drawn: "toidi" inside an override is listed as "idiot", as
    the card shows it (a raid's walk)."""
    if drawn is None:
        return text[begin:end]
    return "".join(text[i] for i in drawn if begin <= i < end)


def _rule_spans(text: str, rule_hits: list[Any] | None) -> list[tuple[int, int, str, float, bool]]:
    """Where the words each rule quotes stand in `text`: found in its normalised form, where the
    rule found them, and mapped back. A quote not found (a reason cut short) marks nothing."""
    quoted, spans = [], []
    for hit in rule_hits or ():
        reason = hit.get("reason") if isinstance(hit, dict) else None
        found = _QUOTED.search(reason) if isinstance(reason, str) else None
        if found:
            quoted.append((str(hit.get("rule", "")), found.group(1)))
        elif isinstance(hit, dict) and hit.get("kind") in _FOUND_AGAIN:
            again = _FOUND_AGAIN[hit["kind"]](text)
            # The rule folds the gaps a page folds ("07700\u00a0900123", "07700  900  123": a re-check).
            found = re.search(r"[ \t\u00a0]+".join(map(re.escape, again.split())), text) if again else None
            if found:
                spans.append((found.start(), found.end(), str(hit.get("rule", "")), 0.0, True))
    if not quoted:
        return spans
    cleaned, starts, ends = normalise_with_offsets(text)
    for rule, words in quoted:
        words = normalise(words)  # the comment's own spelling, or the rule's normalised one: both normalise alike
        at = cleaned.find(words) if words else -1
        if at >= 0:
            spans.append((*span_of(starts, ends, at, at + len(words)), rule, 0.0, True))
    return spans


def _merge(text: str, spans: list[tuple[int, int, str, float, bool]]) -> list[_Region]:
    """Overlapping spans (one per attribute or rule, often the same words), and spans only
    whitespace apart ("pathetic idiot"), become one marked region."""
    regions: list[_Region] = []
    for begin, end, name, score, is_rule in sorted(spans):
        gap = text[regions[-1].end:begin] if regions else ""
        # Not across a line break: "moron", 300 of them, then a threat became one mark, which the
        # blank-line folding (outside marks) never saw (a re-check).
        if regions and (begin <= regions[-1].end or (not gap.strip() and "\n" not in gap and "\r" not in gap)):
            region = regions[-1]
            region.end = max(region.end, end)
        else:
            region = _Region(begin, end)
            regions.append(region)
        if is_rule:
            region.rules += [] if name in region.rules else [name]
        else:
            region.attributes[name] = max(score, region.attributes.get(name, 0.0))
    return regions


def _tag_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The tags in text[start:end], those only whitespace apart joined into one run."""
    runs: list[tuple[int, int]] = []
    for begin, stop in markup_spans(text[start:end]):
        begin, stop = begin + start, stop + start
        if runs and not text[runs[-1][1]:begin].strip():
            runs[-1] = (runs[-1][0], stop)
        else:
            runs.append((begin, stop))
    return runs


def _dimmed(tags: str) -> Markup:
    return Markup('<span class="markup">{}</span>').format(tags)


def _plain(text: str, start: int, end: int) -> Markup:
    """text[start:end] escaped, with the HTML tags a rich-text comment box sent shown dimmed (the
    model reads them as spaces) and a line break after a paragraph's end. The tags stay on the page,
    escaped like the rest: a moderator still sees where a link points. A run of tags is one dimmed
    piece with at most one line break, so "<br>" 5,000 times is not 5,000 empty lines."""
    pieces: list[Markup] = []
    cursor = start
    for begin, stop in _tag_runs(text, start, end):
        pieces.append(_folded(text[cursor:begin]))
        # One line break, after the run's last tag that ends a line ("</p>" of "</p><p>").
        cut = max((m.end() for m in _LINE_ENDING_TAG.finditer(text, begin, stop)), default=None)
        if cut is None or stop == len(text) or text[stop] in "\r\n" or "\n" in text[begin:stop]:
            pieces.append(_dimmed(text[begin:stop]))
        else:
            pieces += [_dimmed(text[begin:cut]), Markup("\n")] + ([_dimmed(text[cut:stop])] if cut < stop else [])
        cursor = stop
    pieces.append(_folded(text[cursor:end]))
    return Markup("").join(pieces)


# Three blank lines or more. "idiot", 300 line breaks, then "I know where you live" showed a card of
# "idiot" on an empty block; the threat, the reasons and the buttons sat 7,300 px down (a moderator's walk).
# Each repeat starts at a line break, so a match can begin only at one: led by blanks, a long run of
# spaces made every position scan the run again (20,000 spaces, 1.9 s a card: a security review).
# Atomic and possessive, so a "\r\n" is never taken as two line breaks to make up the count.
_BLANK_RUN = re.compile(r"(?:(?>\r\n|\r|\n)[ \t\f\v\u00a0]*+){4,}")


def _folded(plain: str) -> Markup:
    """`plain` escaped, each run of blank lines shown as one line that says how many."""
    pieces: list[Markup] = []
    cursor = 0
    for run in _BLANK_RUN.finditer(plain):
        blank = len(re.findall(r"\r\n|\r|\n", run.group())) - 1
        pieces += [escape(plain[cursor:run.start()]),
                   Markup('\n<span class="blank-lines">[{} blank lines]</span>\n').format(blank)]
        cursor = run.end()
    pieces.append(escape(plain[cursor:]))
    return Markup("").join(pieces)


def _title(region: _Region) -> str:
    parts = [f"found by rule {', '.join(region.rules)}"] if region.rules else []
    if region.attributes:
        strongest_first = sorted(region.attributes.items(), key=lambda item: -item[1])
        parts.append("raises " + ", ".join(f"{name.replace('_', ' ')} +{score:.2f}" for name, score in strongest_first))
    return "; ".join(parts)


def highlight(text: str, explanations: dict[str, Any] | None, rule_hits: list[Any] | None = None) -> Markup:
    pieces: list[Markup] = []
    cursor = 0
    for region in _merge(text, _spans(text, explanations) + _rule_spans(text, rule_hits)):
        pieces.append(_plain(text, cursor, region.begin))
        mark = Markup('<mark class="rule" title="{}">{}</mark>') if region.rules else Markup('<mark title="{}">{}</mark>')
        pieces.append(mark.format(_title(region), _folded(text[region.begin:region.end])))
        cursor = region.end
    pieces.append(_plain(text, cursor, len(text)))
    return Markup("").join(pieces)
