"""Classic XSS payloads in every field a site, a reader or a user controls, rendered on every page
that shows them, in Chromium: no script may run, no handler or javascript: link may appear.

Every payload would call alert('XSS') or set window.__xss if it ever ran; the page's dialogs are
recorded, and the DOM is searched for what a payload would leave behind had it broken out.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from moderation import db
from moderation.domain.bulk import bulk_decide, bulk_undo
from moderation.domain.decisions import decide
from moderation.domain.status import audit
from moderation.domain.passwords import hash_secret
from moderation.models import Comment, Site, User
from workspace_pages import finished_backtest

pytestmark = pytest.mark.browser

# One set per comment: each goes into every free-text field of it (cut to the field's limit).
PAYLOADS = {
    "script": "<script>window.__xss=1;alert('XSS')</script>",
    "img": "<img src=x onerror=\"window.__xss=1;alert('XSS')\">",
    "svg": "\"><svg onload=alert('XSS')>'><svg/onload=alert('XSS')>",
    "attribute": "\" autofocus onfocus=\"alert('XSS')\" x=\"' autofocus onfocus='alert(`XSS`)' ` onmouseover=alert('XSS') `",
    "template": "{{7*7}}${7*7}{% raw %}<%= 7*7 %>#{7*7}</textarea></title><script>alert('XSS')</script>",
    "url": "javascript:alert('XSS')",
}
# story_url of each set: the javascript: one as is, the others inside an http(s) URL that becomes a link.
STORY_URLS = {name: (p if name == "url" else "https://news.example/story?q=" + p) for name, p in PAYLOADS.items()}

# What a payload that escaped into the DOM would leave there.
FIND_BREAKOUTS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') && value.includes('xss')) found.push(`${el.tagName} ${name}=${attr.value}`);
      if (['href', 'src', 'action', 'formaction'].includes(name) && value.startsWith('javascript:'))
        found.push(`${el.tagName} ${name}=${attr.value}`);
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('XSS')) found.push('SCRIPT ' + el.textContent);
  }
  if (window.__xss) found.push('window.__xss was set');
  return found;
}"""


def _post_comments(client, site) -> dict[str, int]:
    ids = {}
    for name, payload in PAYLOADS.items():
        body = {"id": f"{name}:{payload}"[:200], "story_id": payload[:200], "author_id": payload[:200],
                "parent_id": payload[:200], "author_name": payload[:200], "story_title": payload,
                "story_url": STORY_URLS[name], "text": f"You idiot. {payload} {payload}"}
        response = client.post("/api/v1/comments", headers=site.headers, json=body)
        assert response.status_code == 202, response.get_json()
        ids[name] = response.get_json()["id"]
        # Another reader than the author (a reader cannot report their own comment), named by the payload too.
        report = {"reason": "harassment", "reporter_id": f"r {payload}"[:200], "note": payload}
        assert client.post(f"/api/v1/comments/{ids[name]}/reports", headers=site.headers, json=report).status_code == 201
    return ids


def _hold(app, ids: dict[str, int]) -> None:
    """Scored and held, as the worker would leave them, with explanation spans across the payloads."""
    with app.app_context():
        for comment_id in ids.values():
            comment = db.session.get(Comment, comment_id)
            comment.status = "held"
            comment.scores = {"toxicity": 0.9, "insult": 0.8}
            comment.flagged = ["toxicity", "reports"]
            comment.explanations = {"toxicity": [{"begin": 0, "end": 9, "score": 0.7},
                                                 {"begin": 11, "end": 40, "score": 0.3}]}
            comment.priority = 1.0
        db.session.commit()


# Served as attachments, never drawn as a page (a browser only saves them): test_decision_report.py
# and test_audit_page.py read the CSVs, whose cells are quoted and formula-proofed.
DOWNLOADS = {"admin.decisions_csv", "admin.audit_csv"}


def _pages(app, ids: dict[str, list[int | str]]) -> list[str]:
    """Every page the moderators' and admins' blueprints serve, from the URL map, so a new page is
    visited without anyone remembering to add it; ids are filled with the payload-carrying objects
    (each argument in turn takes each of its values, the others their first)."""
    urls = app.url_map.bind("localhost")
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in ("review", "admin"):
            continue
        if rule.endpoint in DOWNLOADS:
            continue
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: tell test_xss_payloads.py which objects to show for {sorted(unknown)}"
        if not rule.arguments:
            paths.append(rule.rule)
        first = {name: ids[name][0] for name in rule.arguments}
        for name in rule.arguments:
            paths.extend(urls.build(rule.endpoint, {**first, name: value}) for value in ids[name])
    return sorted(set(paths))


def _model_version(app, tmp_path, user_id: int) -> int:
    """A registered version whose card name and notes carry payloads (shown on /admin/models)."""
    from model_variants import model_variant
    from moderation.domain import model_registry

    with app.app_context():
        app.extensions["models"].refresh(force=True)  # the shipped model becomes the global version
        row = model_registry.register_artifact(
            db.session, model_variant(tmp_path / "model", "xss", name=PAYLOADS["svg"], threshold_selection=PAYLOADS["img"]),
            var_dir=app.config["VAR_DIR"], trained_by=user_id, notes=PAYLOADS["attribute"])
        db.session.commit()
        return row.id


def test_no_payload_runs_on_any_page(app, client, make_site, live_server, browser_page, tmp_path):
    site = make_site(PAYLOADS["svg"] + PAYLOADS["script"])
    ids = _post_comments(client, site)
    _hold(app, ids)
    username = PAYLOADS["img"][:60] + "'\"`"
    password = "xss-test-Quokka-41-Lantern"
    with app.app_context():
        # Written straight to the table: new usernames are letters, digits and . _ - @ (domain/users.py),
        # but one made before that rule, or through the database, is still shown on every page.
        user = User(username=username, password_hash=hash_secret(password), role="admin")
        db.session.add(user)
        db.session.flush()
        db.session.get(Site, site.id).webhook_url = STORY_URLS["attribute"]
        audit(db.session, f"user:{username}", "site:settings_changed", site_id=site.id, site=PAYLOADS["script"],
              setting="webhook_url", old=None, new=STORY_URLS["svg"])
        db.session.commit()
        decided = decide(db.session, ids["template"], user=db.session.get(User, user.id), action="reject",
                         reason=PAYLOADS["attribute"], expected_version=db.session.get(Comment, ids["template"]).version)
        assert decided.status == "rejected"
        # A bulk result and its undo: payload authors sanctioned, a payload reason, one skipped.
        chosen = [ids[name] for name in list(ids)[:2]]
        bulk = bulk_decide(db.session, [(i, db.session.get(Comment, i).version) for i in chosen] + [(ids["template"], 1)],
                           user=db.session.get(User, user.id), action="reject", reason=PAYLOADS["attribute"],
                           author_sanction="premoderate")
        undone = bulk_undo(db.session, [(i, bulk.versions[i]) for i in bulk.decided], user=db.session.get(User, user.id),
                           window=timedelta(minutes=10), named_sanctioned=bulk.sanctioned)
        entries = [bulk.entry_id, undone.entry_id]
    version_id = _model_version(app, tmp_path, user.id)

    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    problems: list[str] = []

    def visit(path: str) -> None:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        problems.extend(f"{path}: {found}" for found in page.evaluate(FIND_BREAKOUTS))

    visit("/login?next=" + PAYLOADS["svg"])
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")
    assert page.locator(".who").inner_text().startswith(username)  # the username itself is shown, as text

    pages = [f"/review?site={site.id}", *_pages(app, {"comment_id": list(ids.values()), "site_id": [site.id],
                                                          "author_id": [p[:200] for p in PAYLOADS.values()],
                                                          "job_id": [finished_backtest(app, site.id)],
                                                          "version_id": [version_id], "user_id": [user.id],
                                                          "entry_id": entries})]
    for path in pages:
        visit(path)
        page.mouse.move(400, 300)  # hover handlers, had any broken out

    # Every card opened: thread, and precedent fetched into the page by static/precedent.js.
    visit(f"/review?site={site.id}")
    page.evaluate("() => document.querySelectorAll('li.card details').forEach(d => { d.open = true; })")
    page.wait_for_function("() => [...document.querySelectorAll('details[data-src]')].every(d => d.dataset.loaded === 'yes')")
    problems.extend(f"cards opened: {found}" for found in page.evaluate(FIND_BREAKOUTS))

    # Saving the settings flashes the site's name and re-renders the webhook URL.
    visit(f"/admin/sites/{site.id}")
    page.click("form.settings button[type=submit]")
    page.wait_for_load_state("load")
    problems.extend(f"after saving: {found}" for found in page.evaluate(FIND_BREAKOUTS))

    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)
    visit(f"/review/{ids['template']}")
    assert "{{7*7}}${7*7}" in page.locator("blockquote.text").inner_text()  # shown literally, never evaluated
    # The javascript: story URL is shown as text, not as a link.
    visit(f"/review/{ids['url']}")
    assert page.locator("a.story").count() == 0 and PAYLOADS["url"] in page.locator(".story").inner_text()
