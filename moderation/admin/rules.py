"""Admin: a site's rules (edit in a form or as JSON, preview against recent comments, save a version) and its stories."""
from __future__ import annotations

import json
import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.admin.rule_form import (ACTION_HINTS, REMOVE, action_choices, field_of_error, kept, new_rule, param_fields,
                                        param_label, refuse_comma_entries, rules_from_form)
from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.lifecycle import commit_and_send
from moderation.domain.rule_backfill import AT_ONCE, BACKFILL_SIZE, hold_published_matches, published_matches
from moderation.domain.rule_sets import (
    PREVIEW_EXAMPLES, PREVIEW_SIZE, StaleRules, TakesAway, current_rule_set, parse_rules_text, preview,
    protections_removed, rule_version, rule_versions, save_rules, taken_away,
)
from moderation.domain.rules import KINDS, MAX_RULES, children_read_own_streets
from moderation.domain.stories import list_stories, recent_stories, set_story
from moderation.domain.story_comments import story_counts
from moderation.models import Site
from moderation.request_input import shown_ids

EXAMPLE = [
    {"name": "banned", "kind": "banned_words", "words": ["buy cheap watches"]},
    {"name": "no-phones", "kind": "phone"},
    {"name": "repeats", "kind": "flood", "count": 3, "minutes": 1},
    {"name": "newcomers", "kind": "new_author", "count": 2, "until": "approved"},
]


def _page(site: Site, *, text: str | None = None, error: ValidationFailed | None = None, result=None,
          based_on: int | None = None, backfill=None, removing: list[str] | None = None,
          editor: str = "form", form_rules: list[dict[str, Any]] | None = None, added: int | None = None,
          failed: str | None = None, loaded: int | None = None, protective: list[str] | None = None,
          status: int = 200) -> tuple[str, int]:
    current = current_rule_set(db.session, site.id)
    saved = current.rules if current else []
    if text is None:
        text = json.dumps(saved, indent=2, ensure_ascii=False)
    if form_rules is None:  # the JSON editor's rules when they read as a list of rules, else the saved ones
        form_rules = _rules_in(text, saved)
    form_rules = _shown(form_rules)
    if isinstance(form_rules, list):  # the form shows what the rules read: a children's site's own streets
        form_rules = children_read_own_streets(list(form_rules))
    error_at = field_of_error(error.field) if isinstance(error, ValidationFailed) and editor == "form" else None
    return render_template(
        "admin/rules.html", site=site, text=text, error=error, result=result, kinds=KINDS, editor=editor,
        form_rules=form_rules, error_at=error_at, added=added, max_rules=MAX_RULES, param_fields=param_fields,
        remove_mark=REMOVE, failed=failed, loaded=loaded, protective=protective or [],
        removed_names=[r.get("name") for r in form_rules if r.get(REMOVE)],
        action_choices=action_choices(), action_hints=ACTION_HINTS,
        version=current.version if current else 0, based_on=based_on if based_on is not None else (
            current.version if current else 0),
        versions=rule_versions(db.session, site.id), stories=list_stories(db.session, site.id),
        recent_stories=recent_stories(db.session, site.id),
        example=json.dumps(EXAMPLE, indent=2), preview_size=PREVIEW_SIZE, backfill_size=BACKFILL_SIZE,
        shown_examples=PREVIEW_EXAMPLES, backfill=backfill, removing=removing or [], left_out=_left_out(backfill.left_out) if backfill else "",
    ), status


@bp.get("/sites/<int:site_id>/rules")
@auth.site_admin_required
def site_rules(site_id: int) -> tuple[str, int]:
    """The page; with ?version=N, that saved version's rules in the form, to save again: an editor's
    walk found only names in the versions list, and retyped a removed rule's domains from the audit log."""
    site = db.get_or_404(Site, site_id)
    wanted = _int(request.args.get("version"))
    if wanted is not None:
        old = rule_version(db.session, site.id, wanted)
        if old is not None:
            return _page(site, text=json.dumps(old.rules, indent=2, ensure_ascii=False), form_rules=list(old.rules),
                         loaded=_loaded(site, old.version))
    return _page(site)


@bp.post("/sites/<int:site_id>/rules")
@auth.site_admin_required
def save_site_rules(site_id: int) -> Response | tuple[str, int]:
    """"Preview" shows what the rules would have done and saves nothing; "Save" adds a version."""
    site = db.get_or_404(Site, site_id)
    based_on, action = _int(request.form.get("based_on")), request.form.get("action")
    # An old version loaded into the form stays named until saved: the notice left at the first Add
    # or preview, and the editor no longer knew the form was not the rules in force (a re-check).
    loaded = _loaded(site, _int(request.form.get("loaded")))
    editor, shown, positions, text = "json", None, None, request.form.get("rules", "")
    if request.form.get("editor") == "form":
        # Shown with the rules ticked for removal still in it, ticked: a preview or an Add had dropped
        # them from the form before any save, with no box left to untick (an editor's walk, a re-check).
        editor, shown = "form", rules_from_form(request.form, keep_removed=True)
        positions = [i for i, rule in enumerate(shown) if not rule.get(REMOVE)]
        if action == "add":
            return _with_rule_added(site, shown, request.form.get("add_kind", ""), len(positions), based_on, loaded)
        text = json.dumps(kept(shown), indent=2, ensure_ascii=False)
    page = {"text": text, "based_on": based_on, "editor": editor, "form_rules": shown, "failed": action,
            "loaded": loaded}
    current = current_rule_set(db.session, site.id)
    in_force = current.rules if current else []
    try:
        if editor == "form":
            refuse_comma_entries(kept(shown), in_force)
        rules = parse_rules_text(text)
        page["protective"] = protections_removed(in_force, rules)
        gone = taken_away(in_force, rules)
        if action == "preview":
            return _page(site, result=(rules, preview(db.session, site.id, rules)), removing=gone, **page)
        # From a stale editor the save is refused as stale first (save_rules): what it takes away is
        # read against the version it replaces once the editor is told of it. The form and the JSON
        # editor ask alike (save_rules): the form had asked of the protections only, and saved a
        # paste the JSON editor had just refused, loaded into it, with one click (a tester's walk).
        saved = save_rules(db.session, site, rules, actor=f"user:{auth.current_user().username}", based_on=based_on,
                           take_away=_agreed(request.form.get("remove_protections")))
    except TakesAway as refused:
        db.session.rollback()
        return _page(site, removing=refused.removing, status=400, error=ValidationFailed(
            f"these rules take away {_named(refused.removing)}{_what_they_hold(refused.removing, refused.protective)}; "
            "tick \"Take them away\" to save without them, or add them back", field="rules"), **page)
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        if isinstance(error, StaleRules):
            page["based_on"] = error.version
        return _page(site, error=_which_rule(_kept_edits(error), text, editor, positions),
                     status=400 if isinstance(error, ValidationFailed) else 409, **page)
    db.session.commit()
    flash(f"Saved rules version {saved.version} for {site.name}" + (f"; removed: {', '.join(gone)}." if gone else ".")
          if saved else "The rules did not change.", "success")
    return redirect(url_for("admin.site_rules", site_id=site.id), code=303)


def _loaded(site: Site, version: int | None) -> int | None:
    """A version the form says it holds, if it is a saved one other than the version in force: the
    notice had said "Version 999999 is in the form" as posted (a re-check)."""
    if version is None or rule_version(db.session, site.id, version) is None:
        return None
    current = current_rule_set(db.session, site.id)
    return None if current is not None and current.version == version else version


def _what_they_hold(removing: list[str], protective: list[str]) -> str:
    if protective and set(removing) <= set(protective):
        return ", which hold threats, hate and readers at risk"
    if protective:
        return f" ({_named(protective)} holding threats, hate and readers at risk)"
    return ": what they hold would be published"


def _with_rule_added(site: Site, shown: list[dict[str, Any]], kind: str, in_force: int,
                     based_on: int | None, loaded: int | None) -> tuple[str, int]:
    """The form with one rule more of `kind`, its name focused; nothing saved."""
    added = None
    if kind in KINDS and in_force < MAX_RULES:
        shown.append(new_rule(kind, {str(r.get("name")) for r in shown}))
        added = len(shown) - 1
    return _page(site, text=json.dumps(kept(shown), indent=2, ensure_ascii=False), based_on=based_on,
                 form_rules=shown, added=added, loaded=loaded)


def _kept_edits(error: ValidationFailed | Conflict) -> ValidationFailed | Conflict:
    """A stale save's error, saying the edits stay: "Reload and edit again" threw them away (an
    editor's walk), and a second Save replaces the colleague's version knowingly."""
    if not isinstance(error, StaleRules):
        return error
    return Conflict(f"{error.message}: your edits are still below; press Save again to replace version "
                    f"{error.version} with them, or load version {error.version} from Versions to start "
                    "from it", field=error.field)


def _agreed(ticked: str | None) -> list[str]:
    """The rules the admin agreed to take away: "Take them away" carries the names it was shown, so a
    tick given for some takes away none besides (a rule ticked for removal after the question, or a
    page from before it)."""
    return [name for name in (ticked or "").split(",") if name]


@bp.post("/sites/<int:site_id>/rules/hold-published")
@auth.site_admin_required
def hold_published(site_id: int) -> Response | tuple[str, int]:
    """The saved rules, applied to comments published before them (domain/rule_backfill.py): first
    what they would hold, then, on the admin's word, those comments."""
    site = db.get_or_404(Site, site_id)
    try:
        if "ids" not in request.form:
            found = published_matches(db.session, site)
            if found.total:
                return _page(site, backfill=found)
            flash(f"The rules fire on none of the last {BACKFILL_SIZE:,} published comments."
                  + _left_out(found.left_out), "success")
            return redirect(url_for("admin.site_rules", site_id=site.id), code=303)
        deliveries = hold_published_matches(db.session, site, actor=f"user:{auth.current_user().username}",
                                            shown=shown_ids(request.form, AT_ONCE))
    except Conflict as error:
        db.session.rollback()
        flash(f"Nothing held: {error.sentence}", "error")
        return redirect(url_for("admin.site_rules", site_id=site.id), code=303)
    commit_and_send(db.session, deliveries)
    flash(f"Held {len(deliveries)} published comment{'' if len(deliveries) == 1 else 's'} the rules fire on "
          f"(of the last {BACKFILL_SIZE:,} published): they are in the review queue." if deliveries else
          "None of those comments is one the rules hold now: nothing held.", "success")
    return redirect(url_for("admin.site_rules", site_id=site.id), code=303)


_RULE_AT = re.compile(r"^rules\[(\d+)\]")


def _which_rule(error: ValidationFailed | Conflict, text: str, editor: str = "json",
                positions: list[int] | None = None) -> ValidationFailed | Conflict:
    """The error with the rule it is about named as a person counts: "rules[9].words" is the tenth
    rule, which an editor's walk had to count to from 0 in a 60-line list. From the form, the field
    is named by its label, not its path in JSON the admin never saw, and the rule by its place in the
    form (`positions`: where each rule the error's list holds is shown, ticked ones among them)."""
    found = _RULE_AT.match(error.field or "")
    if not isinstance(error, ValidationFailed) or found is None:
        return error
    index = int(found.group(1))
    try:
        rule = json.loads(text)[index]
        name, kind = rule.get("name"), rule.get("kind")
    except (ValueError, LookupError, AttributeError, TypeError, RecursionError):
        name = kind = None
    # At most 40 characters (a name's own error may be its length), isolated: a right-to-left override
    # in it turned the rest of the sentence backwards (a re-check).
    # Printable characters only: a NUL in the name (what the error is about) was echoed into the page.
    shown = "".join(ch for ch in name[:40] if ch.isprintable()) if isinstance(name, str) else ""
    named = f" (\"\u2068{shown}\u2069\")" if shown.strip() else ""
    if editor == "form":
        at = field_of_error(error.field)
        label = {"name": "its name", "kind": "its kind", "action": "its action", "reason": "its reason"}.get(
            at[1], f"\"{param_label(kind, at[1])}\"") if at else "it"
        message = error.message.replace(error.field, label, 1) if error.field in error.message else error.message
        place = positions[index] if positions and index < len(positions) else index
        field = error.field.replace(f"rules[{index}]", f"rules[{place}]", 1)
        return ValidationFailed(f"rule {place + 1}{named}: {message}", field=field)
    return ValidationFailed(f"rule {index + 1}{named} of the list: {error.message}", field=error.field)


def _rules_in(text: str, saved: list[dict[str, Any]]) -> list[dict[str, Any]]:
    try:
        rules = json.loads(text)
    except (ValueError, RecursionError):
        return saved
    return rules if isinstance(rules, list) and all(isinstance(r, dict) for r in rules) else saved


def _shown(value: Any) -> Any:
    """Rules as the form can show them: a NUL or an unpaired surrogate the JSON editor let through
    ("a\\u0000b") is left out of the field (the error above names it), as it cannot go in a page."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {str(_shown(k)): _shown(v) for k, v in value.items()}
    return value


def _named(names: list[str]) -> str:
    quoted = [f"\"{name}\"" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _left_out(names: list[str]) -> str:
    return (f" Not applied to published comments: {', '.join(names)} (new-author and first-link rules read when a "
            "comment came, and its readers are not new now)." if names else "")


@bp.post("/sites/<int:site_id>/stories")
@auth.site_admin_required
def save_story(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    story_id = request.form.get("story_id", "")
    closed, premoderated, strict = (request.form.get(name) == "on" for name in ("closed", "premoderated", "strict"))
    try:
        set_story(db.session, site, story_id, closed=closed, premoderated=premoderated, strict=strict,
                  actor=f"user:{auth.current_user().username}")
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.message[:1].upper() + error.message[1:] + ".", "error")
    else:
        db.session.commit()
        flash(f"Saved story {story_id.strip()}." if closed or premoderated or strict else
              f"Story {story_id.strip()} is open and follows the site's settings again.", "success")
        if story_counts(db.session, site, story_id)["comments"]["total"] == 0:  # a typo closed a story no one comments on
            flash(f"No comment has arrived on story {story_id.strip()} yet. If you meant a story readers are "
                  "commenting on, check its id: the site sends it with each comment (its \"story_id\").", "warning")
    return redirect(url_for("admin.site_rules", site_id=site.id, _anchor="stories"), code=303)


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
