"""A site's moderation settings from the admin form: validate everything, merge with what another admin
saved since the page loaded, then audit each change. Plain domain: the form is any mapping of strings."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers.attributes import ATTRIBUTES
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.settings import domain_settings
from moderation.domain.sites import check_report_threshold
from moderation.domain.status import audit
from moderation.domain.typed_numbers import typed_float
from moderation.domain.webhook_urls import UrlPolicy, check_webhook_url
from moderation.domain.lifecycle import (HOLD_ALL, MODE_MESSAGE, MODES, POST_MODERATION, held_shown_by_post_moderation,
                                        visibility_changed)
from moderation.domain.policy import MIN_THRESHOLD, reject_below_hold
from moderation.domain.reports import rerank_for_threshold
from moderation.models import Site, User, WebhookDelivery

KINDS = {"hold_": "hold", "reject_": "auto-reject"}


def _threshold(raw: str | None, field: str, label: str) -> float | None:
    """Blank means "no site-specific value": the model's default threshold applies."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = typed_float(raw)
    except ValueError:
        raise ValidationFailed(f"the {label} must be a number between 0 and 1", field=field) from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValidationFailed(f"the {label} must be between 0 and 1", field=field)
    # Every score is at least 0: one typo had held every comment of a site (an admin's walk), and 1e-300
    # saved as typed rejected every civil comment, shown on /admin as "toxicity 1e-300" (another).
    # The same floor as the thresholds page (threshold_tuning.save_threshold), in the same words.
    if round(value, 6) <= 0:
        what = "reject" if field.startswith("reject_") else "hold"
        raise ValidationFailed(f"the {label} must be at least {MIN_THRESHOLD:f}: below it, it would {what} every "
                               "comment, however civil", field=field)
    # Kept to six places, as the thresholds page keeps them and /admin shows them: 0.0000006 was kept
    # as typed, shown as 0.000001 on /admin and as 6e-07 in its field (a re-check).
    return round(value, 6)


def _thresholds(form: Mapping[str, str], prefix: str) -> dict[str, float]:
    values = {}
    for attribute in ATTRIBUTES:
        label = f"{attribute.replace('_', ' ')} {KINDS[prefix]} threshold"
        value = _threshold(form.get(f"{prefix}{attribute}"), f"{prefix}{attribute}", label)
        if value is not None:
            values[attribute] = value
    return values


MAX_RETENTION_DAYS = 36_500


def _retention_days(raw: str | None) -> int | None:
    """Blank keeps texts for good (the default); 0 erases them at the next retention run."""
    raw = (raw or "").strip()
    if not raw:
        return None
    # The length first: int() of over 4,300 digits raises, which was a 500 (a security review).
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) > MAX_RETENTION_DAYS:
        raise ValidationFailed(f"retention must be a whole number of days from 0 to {MAX_RETENTION_DAYS}, "
                               "or blank to keep texts", field="retention_days")
    return int(raw)
MAX_STORM_RATE = 1_000_000
MAX_CALM_MINUTES = 24 * 60
DEFAULT_CALM_MINUTES = 10


def _whole(raw: str, field: str, label: str, low: int, high: int) -> int:
    try:
        if not re.fullmatch(r"[+-]?\d{1,18}", raw.strip(), re.ASCII):
            raise ValueError(raw)
        value = int(raw.strip())
    except ValueError:
        raise ValidationFailed(f"the {label} must be a whole number from {low} to {high}", field=field) from None
    if not low <= value <= high:
        raise ValidationFailed(f"the {label} must be from {low} to {high}", field=field)
    return value


def _storm_settings(form: Mapping[str, str]) -> dict[str, Any]:
    """Storm triggers (domain/storms.py); blank turns a trigger off. A form without the fields keeps them."""
    values: dict[str, Any] = {}
    if "storm_comments_per_minute" in form:
        raw = form["storm_comments_per_minute"] or ""
        values["storm_comments_per_minute"] = _whole(raw, "storm_comments_per_minute", "storm comment rate", 0,
                                                     MAX_STORM_RATE) if raw.strip() else 0
    if "storm_held_share" in form:
        raw = (form["storm_held_share"] or "").strip()
        # "blank or 0: off", as the form says: 0 had been refused with the hold thresholds' floor (a re-check).
        off = not raw or _is_zero(raw)
        values["storm_held_share"] = 0.0 if off else (_threshold(raw, "storm_held_share", "storm held share") or 0.0)
    if "storm_calm_minutes" in form:
        raw = form["storm_calm_minutes"] or ""
        values["storm_calm_minutes"] = _whole(raw, "storm_calm_minutes", "calm period", 1,
                                              MAX_CALM_MINUTES) if raw.strip() else DEFAULT_CALM_MINUTES
    return values


def _is_zero(raw: str) -> bool:
    try:
        return typed_float(raw) == 0
    except ValueError:
        return False


def check_reject_above_hold(hold: Mapping[str, float], reject: Mapping[str, float]) -> None:
    """Refuse an auto-reject threshold below its attribute's hold threshold: "hold 0.9 / auto-reject
    0.5" was saved without a word, and so was auto-reject 0.3 under the model's own hold 0.509."""
    problem = reject_above_hold_problem(hold, reject)
    if problem is not None:
        message, attribute = problem
        raise ValidationFailed(message, field=f"reject_{attribute}")


def reject_above_hold_problem(hold: Mapping[str, float], reject: Mapping[str, float]) -> tuple[str, str] | None:
    """What the site page says of an auto-reject threshold below its hold threshold, and the attribute."""
    attribute = reject_below_hold(hold, reject)
    if attribute is None:
        return None
    return (f"the {attribute.replace('_', ' ')} auto-reject threshold ({reject[attribute]:g}) is below its hold "
            f"threshold ({hold[attribute]:g}): it would reject comments it does not even hold. Make it higher, or "
            "lower the hold threshold"), attribute


# Saving any of these checks the auto-reject thresholds against the hold thresholds; a save of the
# others does not, so a pair stored before the check existed (an upgrade) or by a path that missed
# it never stops an admin switching the moderation mode in a storm. The page warns of such a pair.
THRESHOLD_SETTINGS = ("thresholds", "reject_thresholds", "auto_reject")


def parse_settings(form: Mapping[str, str], url_policy: UrlPolicy) -> dict[str, Any]:
    """The form's values as Site attributes, or ValidationFailed naming the first bad field."""
    mode = form.get("moderation_mode", "")
    if mode not in MODES:
        raise ValidationFailed(MODE_MESSAGE, field="moderation_mode")
    try:
        report_threshold = typed_float(form.get("report_threshold", ""))
    except ValueError:
        raise ValidationFailed("report threshold must be a number", field="report_threshold") from None
    check_report_threshold(report_threshold)
    webhook_url = (form.get("webhook_url") or "").strip() or None
    if webhook_url is not None:
        check_webhook_url(webhook_url, url_policy)
    return {
        "moderation_mode": mode,
        "thresholds": _thresholds(form, "hold_"),
        "auto_reject": form.get("auto_reject") in ("on", "1", "true"),
        "reject_thresholds": _thresholds(form, "reject_"),
        "report_threshold": report_threshold,
        "webhook_url": webhook_url,
        "share_moderator_names": form.get("share_moderator_names") in ("on", "1", "true"),
        "allow_text_export": form.get("allow_text_export") in ("on", "1", "true"),
        "retention_days": _retention_days(form.get("retention_days")),
        **_storm_settings(form),
    }


# The words the site page uses for each setting, for the message after a save.
SETTING_LABELS = {
    "moderation_mode": "moderation mode", "thresholds": "hold thresholds", "reject_thresholds": "auto-reject thresholds",
    "auto_reject": "automatic rejection", "report_threshold": "report weight", "webhook_url": "webhook URL",
    "share_moderator_names": "moderators' names shown", "storm_comments_per_minute": "storm comments a minute",
    "storm_held_share": "storm held share", "storm_calm_minutes": "storm calm minutes",
    "allow_text_export": "text export", "retention_days": "retention days",
}


def loaded_settings(site: Site) -> str:
    """The settings as the page shows them, sent back with the form (`loaded`): a save then writes
    only what this admin changed, and refuses where someone else changed the same setting since."""
    return json.dumps({name: getattr(site, name) for name in SETTING_LABELS}, sort_keys=True)


def _loaded(form: Mapping[str, str]) -> dict[str, Any] | None:
    try:
        loaded = json.loads(form.get("loaded") or "null")
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _merge(name: str, current: Any, seen: Any, new: Any, conflicts: list[str]) -> Any:
    """The value to store: `current` with this admin's changes (from `seen` to `new`) applied; per
    attribute for thresholds, so two admins changing two attributes both keep theirs."""
    if isinstance(new, dict) and isinstance(seen, dict) and isinstance(current, dict | None):
        merged = dict(current or {})
        for key in sorted(set(seen) | set(new)):
            if seen.get(key) == new.get(key) or merged.get(key) == new.get(key):
                continue  # not changed here, or changed to what another admin saved already
            if merged.get(key) != seen.get(key):
                conflicts.append(f"{SETTING_LABELS.get(name, name)} ({key.replace('_', ' ')})")
            elif key in new:
                merged[key] = new[key]
            else:
                merged.pop(key, None)
        return merged
    if new == seen:
        return current  # not changed on this page: someone else's change stands
    if current != seen and current != new:  # both admins set the same value: nothing to refuse
        conflicts.append(SETTING_LABELS.get(name, name))
    return new


def update_site_settings(
    session: Session, site_id: int, form: Mapping[str, str], *, user: User,
    model_thresholds: Mapping[str, float] | None = None,
) -> tuple[list[str], list[WebhookDelivery]]:
    """Apply the form to the site, one audit entry per changed setting; returns the changed names,
    and the webhook events of comments a new moderation mode shows or hides, to send after the commit.

    Raises Conflict, changing nothing, where another admin changed a setting this one changed too
    since the page loaded. The caller commits. A blank hold threshold is the model's (`model_thresholds`):
    an auto-reject threshold below it is refused as below a typed one is. Checked on the values that
    will be stored, after another admin's changes are merged in: two admins saving at once had each
    passed the check, and the merge stored hold 0.9 beside auto-reject 0.7 (a re-check).
    """
    # FOR NO KEY UPDATE: a scorer holding comments of this site inserts their events, whose foreign key
    # takes KEY SHARE on this row; FOR UPDATE blocked it while the switch waited for those comments (a
    # deadlock, and a 503, when an admin switched mode during a storm).
    site = session.scalar(select(Site).where(Site.id == site_id).with_for_update(key_share=True))
    if site is None:
        raise NotFound(f"site {site_id} does not exist")
    loaded = _loaded(form)
    values = parse_settings(form, domain_settings(session).url_policy)
    conflicts: list[str] = []
    if loaded is not None:
        values = {name: _merge(name, getattr(site, name), loaded[name], new, conflicts) if name in loaded else new
                  for name, new in values.items()}
    if conflicts:
        raise Conflict(f"another admin changed {', '.join(conflicts)} since you opened this page; nothing was "
                       "saved. The page now shows their values: make your changes again", field=None)
    if (values.get("moderation_mode") == POST_MODERATION and site.moderation_mode != POST_MODERATION
            and form.get("show_held") != "yes"):
        # Asked first: a newsroom's first day switched and its held hate comments showed at once.
        shown = held_shown_by_post_moderation(session, site.id)
        if shown:
            raise ValidationFailed(f"post-moderation shows the {shown:,} comment{'' if shown == 1 else 's'} held now to "
                                   "every reader at once: decide them first, or tick 'Show them' and save again",
                                   field="show_held")
    if any(values[name] != getattr(site, name) for name in THRESHOLD_SETTINGS):
        check_reject_above_hold({**(model_thresholds or {}), **values["thresholds"]}, values["reject_thresholds"])
    # Pre-moderation and hold-all hide the same pending and held comments: between the two no event is due.
    shows_other = POST_MODERATION in (site.moderation_mode, values.get("moderation_mode", site.moderation_mode))
    changed = []
    for name, new in values.items():
        old = getattr(site, name)
        if old == new:
            continue
        setattr(site, name, new)
        audit(session, f"user:{user.username}", "site:settings_changed", site_id=site.id, site=site.name,
              setting=name, old=old, new=new)
        changed.append(name)
    if "report_threshold" in changed:
        rerank_for_threshold(session, site)
    deliveries = (visibility_changed(session, site, actor=f"user:{user.username}")
                  if "moderation_mode" in changed and shows_other else [])
    return changed, deliveries


# A storm trigger this low holds nearly every story's comments: an editor's walk saved "1 comment a
# minute" without a word, and three stories went into storm within seconds.
LOW_STORM_RATE = 3
LOW_STORM_SHARE = 0.1
# Most civil comments score above this on every attribute (docs/perspective.md's Coral note: 0.51 % typed as
# a fraction held them all).
LOW_HOLD_THRESHOLD = 0.05


def settings_warnings(site: Site, changed: list[str]) -> list[str]:
    """What the saved settings do that the admin may not have meant, for the message after a save:
    only about the settings this save changed. An editor's walk saved automatic rejection with no
    reject threshold, a hold threshold of 1 and a storm trigger of 1 a minute, each without a word."""
    said = []
    if "moderation_mode" in changed and site.moderation_mode == HOLD_ALL:
        # What the switch leaves alone, said: only comments scored from now on are held.
        said.append("Every comment scored from now on is held for review, whatever its score: nothing more is "
                    "published until a moderator approves it. Comments published already stay published.")
    if {"auto_reject", "reject_thresholds"} & set(changed):
        # A threshold of 1 rejects nothing either (the form says "1 never holds or rejects": a re-check).
        if site.auto_reject and not any(t < 1 for t in (site.reject_thresholds or {}).values()):
            said.append("Automatic rejection is on, but no attribute has an auto-reject threshold: nothing is "
                        "rejected automatically until one is set.")
        elif site.reject_thresholds and not site.auto_reject:
            said.append("The auto-reject thresholds are saved, but automatic rejection is off: they reject nothing "
                        "until it is ticked.")
    if "thresholds" in changed:
        off = sorted(name.replace("_", " ") for name, value in (site.thresholds or {}).items() if value >= 1)
        if off:
            said.append(f"A hold threshold of 1 holds nothing: {', '.join(off)} no longer holds any comment, "
                        "whatever its score.")
        low = sorted(f"{name.replace('_', ' ')} {value:g}" for name, value in (site.thresholds or {}).items()
                     if value < LOW_HOLD_THRESHOLD)
        if low:
            said.append(f"A hold threshold this low holds nearly every comment, civil ones too: {', '.join(low)}.")
    if "storm_comments_per_minute" in changed and 0 < site.storm_comments_per_minute <= LOW_STORM_RATE:
        n = site.storm_comments_per_minute
        said.append(f"A storm now starts on any story that gets {n} comment{'' if n == 1 else 's'} in a minute: "
                    "nearly every story readers are commenting on, and each holds every new comment while it lasts.")
    if "storm_held_share" in changed and 0 < site.storm_held_share < LOW_STORM_SHARE:
        said.append(f"A storm now starts on any story where {site.storm_held_share * 100:g}% of a minute's comments are held: "
                    "one held comment among a few is enough.")
    return said
