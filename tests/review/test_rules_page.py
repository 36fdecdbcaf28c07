"""The admin rules editor: validation with the field named, a preview with counts, versioned and
audited saves, a stale editor refused, escaped text, and story settings."""
from __future__ import annotations

import json
import re

from review_helpers import csrf_token, post_once_deactivated
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, RuleSet, Story

PHONES = [{"name": "no-phones", "kind": "phone"}]


def _post(client, site_id: int, rules, action: str = "save", based_on: str | None = None):
    page = client.get(f"/admin/sites/{site_id}/rules").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "action": action,
            "rules": rules if isinstance(rules, str) else json.dumps(rules)}
    if based_on is not None:
        form["based_on"] = based_on
    return client.post(f"/admin/sites/{site_id}/rules", data=form)


def test_the_preview_counts_what_a_rule_would_have_held_and_saves_nothing(app, sign_in, admin, site, make_comment):
    make_comment(site.id, "call me on 555-123-4567 tonight")
    make_comment(site.id, "The vote was 1,234 to 567.")
    make_comment(site.id, "Ring 212 555 0187 now")
    client = sign_in(admin)
    response = _post(client, site.id, PHONES, action="preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Over the last 3 comments, these rules would have fired on 2." in html and "held 2" in html
    # Which comments, so an admin sees what the rule catches (and that the vote count is not a phone number).
    assert "Ring 212 555 0187 now" in html and "call me on 555-123-4567 tonight" in html
    assert "The vote was 1,234 to 567." not in html and 'href="/review/' in html
    with app.app_context():
        assert db.session.scalar(select(RuleSet.id)) is None


def test_the_preview_folds_every_comment_a_rule_caught_beyond_the_first_three(app, sign_in, admin, site, make_comment):
    # A business desk's "scam-words held 83" showed three pitches and hid the civil percentages it caught.
    for n in range(6):
        make_comment(site.id, f"DM me for signals, {n} spots left")
    make_comment(site.id, "Tesla cut 10% of its workforce; DM me if you were affected, I'm a reporter.")
    html = _post(sign_in(admin), site.id, [{"name": "scam", "kind": "suspect_words", "words": ["dm me"]}],
                 action="preview").get_data(as_text=True)
    assert "held 7" in html and "<summary>Show 4 more</summary>" in html
    assert "Tesla cut 10% of its workforce" in html and html.count('href="/review/') == 7


def test_saving_adds_an_audited_version_and_the_page_shows_it(app, sign_in, admin, site):
    client = sign_in(admin)
    assert _post(client, site.id, PHONES).status_code == 303
    assert _post(client, site.id, PHONES + [{"name": "caps", "kind": "shouting"}]).status_code == 303
    html = client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    assert "rules, version 2" in html and "no-phones, caps" in html and f"user:{admin.username}" in html
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:rules_changed")
                                     .order_by(AuditEntry.id)).all()
        assert [e.details["version"] for e in entries] == [1, 2]
        assert entries[1].details["old"][0]["name"] == "no-phones" and entries[1].actor == f"user:{admin.username}"
        # Defaults are stored, so a version reads the same whatever later code assumes.
        assert entries[0].details["new"] == [{"name": "no-phones", "kind": "phone", "action": "hold",
                                              "reason": "phone number"}]


def test_invalid_rules_are_a_form_error_naming_the_field_and_nothing_is_saved(app, sign_in, admin, site):
    client = sign_in(admin)
    response = _post(client, site.id, [{"name": "x", "kind": "flood", "count": 0}])
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "rules[0].count must be a whole number from 2 to 100" in html
    # Counted as a person counts, and named: an editor's walk counted from 0 to find "rules[9]"; the name
    # isolated, so a right-to-left override in it does not turn the sentence round (a re-check).
    assert "Not saved: rule 1 (&#34;\u2068x\u2069&#34;) of the list: rules[0].count must be" in html
    nul = _post(client, site.id, [{"name": "a\u0000b", "kind": "phone"}]).get_data(as_text=True)
    assert "rule 1 (&#34;\u2068ab\u2069&#34;)" in nul and "\x00" not in nul
    assert 'aria-invalid="true"' in html and "&#34;count&#34;: 0" in html  # the admin's text is kept, escaped
    broken = _post(client, site.id, "[{")
    html = broken.get_data(as_text=True)
    assert broken.status_code == 400 and "not valid JSON: expecting property name" in html
    assert "at line 1, column 3" in html and html.count("not valid JSON") == 1  # said once, where it is
    deep = _post(client, site.id, "[" * 5000)
    assert deep.status_code == 400 and "nested too deeply" in deep.get_data(as_text=True)
    # Numbers Python will not read or jsonb cannot store (a re-check: the first was a 500).
    for number, said in (("9" * 5000, "a number in them is too long"), ("1e999", "the number 1e999 is out of range"),
                         ("NaN", "NaN is not a JSON number")):
        odd = _post(client, site.id, '[{"name": "f", "kind": "flood", "count": %s}]' % number)
        assert odd.status_code == 400 and said in odd.get_data(as_text=True)
    # Escapes PostgreSQL cannot store, in the JSON text: a form error, not a 500 at the insert.
    for rule, field in (('{"name": "ab", "kind": "phone", "reason": "r\\u0000"}', "rules[0].reason"),
                        ('{"name": "ab", "kind": "phone", "reason": "r\\ud800"}', "rules[0].reason"),
                        ('{"name": "ab", "kind": "banned_words", "words": ["ok", "bad\\u0000word"]}', "rules[0].words[1]")):
        for action in ("save", "preview"):
            refused = _post(client, site.id, f"[{rule}]", action=action)
            assert refused.status_code == 400 and f"{field} contains a character we cannot store" in refused.get_data(
                as_text=True)
    with app.app_context():
        assert db.session.scalar(select(RuleSet.id)) is None


def test_a_save_from_a_stale_editor_is_refused_rather_than_dropping_the_other_admins_rules(app, sign_in, admin, site):
    client = sign_in(admin)
    assert _post(client, site.id, PHONES).status_code == 303
    response = _post(client, site.id, [{"name": "caps", "kind": "shouting"}], based_on="0")
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "while you edited version 0" in html
    with app.app_context():
        assert db.session.scalars(select(RuleSet.version)).all() == [1]
    # The edits stay, and a second save replaces the colleague's version knowingly: "reload and edit
    # again" had thrown them away (an editor's walk).
    assert "your edits are still below; press Save again to replace version 1" in html
    assert '&#34;caps&#34;' in html and 'name="based_on" value="1"' in html


def test_a_words_list_is_escaped_on_the_page(sign_in, admin, site):
    client = sign_in(admin)
    assert _post(client, site.id, [{"name": "w", "kind": "suspect_words", "words": ["<script>x</script>"]}]).status_code == 303
    html = client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_an_admin_closes_a_story_from_the_page(app, sign_in, admin, site):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))
    response = client.post(f"/admin/sites/{site.id}/stories",
                           data={"csrf_token": token, "story_id": "election-night", "closed": "on"})
    assert response.status_code == 303
    html = client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    assert "Saved story election-night." in html and "closed" in html
    with app.app_context():
        story = db.session.scalar(select(Story))
        assert (story.story_id, story.closed, story.premoderated) == ("election-night", True, False)
    blank = client.post(f"/admin/sites/{site.id}/stories", data={"csrf_token": token, "story_id": "  "})
    assert blank.status_code == 303
    assert "The story id must be 1-200 characters." in client.get(blank.headers["Location"]).get_data(as_text=True)


def test_a_story_set_back_to_the_sites_settings_leaves_the_list_and_recent_stories_are_offered(
        app, client, sign_in, admin, site):
    """An editor's walk: a mistyped story id stayed in the table for good, and every id had to be typed
    from memory, with no list to pick from."""
    client.post("/api/v1/comments", json={"id": "c-1", "story_id": "bridge-festival", "author_id": "a-1",
                                          "story_title": "Bridge festival this weekend", "text": "A fair point."},
                headers=site.headers)
    admin_client = sign_in(admin)
    page = admin_client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    token = csrf_token(page)
    admin_client.post(f"/admin/sites/{site.id}/stories", data={"csrf_token": token, "story_id": "bridge-festivel",
                                                               "closed": "on"})
    listed = admin_client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    reopened = admin_client.post(f"/admin/sites/{site.id}/stories",
                                 data={"csrf_token": token, "story_id": "bridge-festivel"}, follow_redirects=True)

    assert '<option value="bridge-festival">Bridge festival this weekend</option>' in page
    assert '<td class="text">bridge-festivel</td>' in listed
    text = reopened.get_data(as_text=True)
    assert "Story bridge-festivel is open and follows the site&#39;s settings again." in text
    assert '<td class="text">bridge-festivel</td>' not in text


def test_an_admin_makes_a_story_strict_from_the_page(app, sign_in, admin, site):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))
    client.post(f"/admin/sites/{site.id}/stories", data={"csrf_token": token, "story_id": "harbour-stabbing", "strict": "on"})
    html = client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    assert "Saved story harbour-stabbing." in html
    assert re.search(r'<td class="text">harbour-stabbing</td><td>open</td><td>no</td>\s*<td>yes</td>', html)
    with app.app_context():
        story = db.session.scalar(select(Story))
        assert (story.closed, story.premoderated, story.strict) == (False, False, True)


def test_closing_a_story_no_comment_has_arrived_on_asks_to_check_its_id(app, client, sign_in, admin, site):
    """A typo in the id closed a story no one comments on and left the real one open, without a word."""
    client.post("/api/v1/comments", json={"id": "c-1", "story_id": "election-night", "author_id": "a-1",
                                          "text": "A fair point."}, headers=site.headers)
    admin_client = sign_in(admin)
    token = csrf_token(admin_client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))
    said = {}
    for story_id in ("election-nigth", "election-night"):
        response = admin_client.post(f"/admin/sites/{site.id}/stories",
                                     data={"csrf_token": token, "story_id": story_id, "closed": "on"})
        said[story_id] = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No comment has arrived on story election-nigth yet" in said["election-nigth"]
    assert "No comment has arrived" not in said["election-night"]


def test_moderators_cannot_see_or_change_rules(sign_in, moderator, site):
    client = sign_in(moderator)
    assert client.get(f"/admin/sites/{site.id}/rules").status_code == 403


def test_the_page_says_what_each_kind_of_rule_fires_on(sign_in, admin, site):
    from moderation.domain.rules import KINDS

    html = sign_in(admin).get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)
    assert all(kind.fires_on for kind in KINDS.values())  # a new kind needs its line
    assert "a threat of violence in plain words: &#34;I know where you live&#34;" in html
    assert "hold: threat of violence" in html and "reject: banned word" in html


def test_an_admin_holds_the_published_comments_a_rule_saved_later_fires_on(app, sign_in, admin, make_site,
                                                                            make_comment):
    """A head of community's walk: the bit.ly spam stayed on the page after a rule for it was saved."""
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import validate_rules
    from moderation.models import Comment, Site, WebhookDelivery

    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")
    spam = make_comment(site.id, "Buy cheap watches at bit.ly/x", status="published")
    civil = make_comment(site.id, "A fair point about the bridge.", status="published")
    approved = make_comment(site.id, "Cheap watches, they said.", status="approved", decision="approved")
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id),
                   validate_rules([{"name": "watches", "kind": "banned_words", "words": ["cheap watches"]}]), actor="test")
        db.session.commit()
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))

    offer = client.post(f"/admin/sites/{site.id}/rules/hold-published", data={"csrf_token": token}).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, spam).status == "published"  # nothing held before the admin's word
    assert "1 of the last 5,000 published comments (<code>watches</code> 1)" in " ".join(offer.split())
    response = client.post(f"/admin/sites/{site.id}/rules/hold-published",
                           data={"csrf_token": token, "ids": re.search(r'name="ids" value="([^"]*)"', offer).group(1)})

    assert "Held 1 published comment the rules fire on" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert [db.session.get(Comment, c).status for c in (spam, civil, approved)] == ["held", "published", "approved"]
        held = db.session.get(Comment, spam)
        assert [(h["rule"], h["action"]) for h in held.rule_hits] == [("watches", "reject")]  # held all the same
        [delivery] = db.session.scalars(select(WebhookDelivery)).all()
        event = delivery.event
        assert (event["comment"]["id"], event["comment"]["status"], event["previous_status"]) == (spam, "held", "published")
        assert delivery.bulk  # its site's bulk lane: 500 of them had kept a reader's webhook 22.5 s back (a re-check)


def test_holding_published_comments_asks_first_and_leaves_regular_readers_to_a_new_author_rule(
        app, sign_in, admin, make_site, make_comment):
    """An editor's walk: one click held 98 published comments with no count first, 93 of them by 55
    regular readers whose first comments a new-author rule judged as of their arrival."""
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import validate_rules
    from moderation.models import Comment, Site

    site = make_site("regulars-gazette")
    regular = [make_comment(site.id, f"Good piece on the bridge, part {n}. https://council.example/report",
                            status="published", author_id="regular") for n in range(3)]
    spam = [make_comment(site.id, f"Buy cheap watches at bit.ly/{n}", status="published") for n in range(3)]
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), validate_rules([
            {"name": "watches", "kind": "banned_words", "words": ["cheap watches"]},
            {"name": "newcomers", "kind": "new_author", "count": 2},
            {"name": "first-links", "kind": "first_link"}]), actor="test")
        db.session.commit()
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))

    offer = client.post(f"/admin/sites/{site.id}/rules/hold-published", data={"csrf_token": token}).get_data(as_text=True)
    offered = re.search(r'name="ids" value="([^"]*)"', offer).group(1)
    chosen = offered.split(",")[:2]  # the page as drawn, then a third spam arriving is not in it
    client.post(f"/admin/sites/{site.id}/rules/hold-published", data={"csrf_token": token, "ids": ",".join(chosen)})

    assert "3 of the last 5,000 published comments (<code>watches</code> 3)" in " ".join(offer.split())
    assert "Not applied to published comments: newcomers, first-links" in offer
    with app.app_context():
        assert {db.session.get(Comment, c).status for c in regular} == {"published"}
        assert [db.session.get(Comment, c).status for c in spam] == ["held", "held", "published"]


def test_the_hold_counts_back_published_comments_so_a_flood_of_held_ones_does_not_bury_them(app, make_site,
                                                                                            make_comment):
    """A raid's walk: its 1,000-comment flood put a published threat out of the last 1,000 comments,
    and the page said the saved rules fired on none."""
    from moderation.domain.rule_backfill import hold_published_matches
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import validate_rules
    from moderation.models import Comment, Site

    site = make_site("raided-gazette")
    spam = make_comment(site.id, "Buy cheap watches at bit.ly/x", status="published")
    for n in range(3):
        make_comment(site.id, f"Flood comment {n}", status="held")
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id),
                   validate_rules([{"name": "watches", "kind": "banned_words", "words": ["cheap watches"]}]), actor="test")
        assert len(hold_published_matches(db.session, db.session.get(Site, site.id), actor="test", limit=2)) == 1
        db.session.commit()
        assert db.session.get(Comment, spam).status == "held"


def test_the_hold_locks_no_comment_while_the_rules_read_them_and_leaves_one_changed_meanwhile(
        app, make_site, make_comment, monkeypatch):
    """A re-check: 5,000 comments read under FOR UPDATE kept their locks for the minute crafted texts
    took, and a reader's report on one of them waited 30 s for a 503."""
    from sqlalchemy import text

    from moderation.domain import rule_backfill
    from moderation.domain.rule_backfill import hold_published_matches
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import Compiled, validate_rules
    from moderation.models import Comment, Site

    site = make_site("busy-gazette")
    first = make_comment(site.id, "Buy cheap watches at bit.ly/x", status="published")
    second = make_comment(site.id, "Cheap watches again, bit.ly/y", status="published")
    reported_meanwhile = []

    class ReportedWhileReading(Compiled):
        def evaluate(self, text_, facts):
            if not reported_meanwhile:  # another session, as a report would: it must not wait
                with db.session.get_bind().connect() as other:
                    other.execute(text("SET lock_timeout = '2s'"))
                    other.execute(text("SELECT id FROM comments WHERE id = :id FOR UPDATE NOWAIT"), {"id": first})
                    other.execute(text("UPDATE comments SET status = 'held', version = version + 1 WHERE id = :id"),
                                  {"id": first})
                    other.commit()
                reported_meanwhile.append(first)
            return super().evaluate(text_, facts)

    monkeypatch.setattr(rule_backfill, "Compiled", ReportedWhileReading)
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id),
                   validate_rules([{"name": "watches", "kind": "banned_words", "words": ["cheap watches"]}]), actor="test")
        held = hold_published_matches(db.session, db.session.get(Site, site.id), actor="test")
        db.session.commit()
        assert reported_meanwhile == [first] and len(held) == 1
        versions = {c: db.session.get(Comment, c).version for c in (first, second)}
        assert db.session.get(Comment, second).status == "held" and versions[first] == 2  # not held twice


def test_holding_published_comments_of_a_deactivated_site_is_refused(app, sign_in, admin, make_site, make_comment):
    from moderation.models import Comment

    site = make_site("leaving-gazette")
    threat = make_comment(site.id, "I will kill you", status="published")
    page = post_once_deactivated(app, sign_in(admin), site.id, f"/admin/sites/{site.id}/rules",
                                 f"/admin/sites/{site.id}/rules/hold-published")
    assert "Nothing held: Site leaving-gazette is deactivated" in page
    with app.app_context():
        assert db.session.get(Comment, threat).status == "published"


def test_a_rules_paste_too_large_to_read_gets_our_page_naming_the_limit(app, sign_in, admin, site):
    """An admin's walk: 2.1 MB of word list got Werkzeug's bare "Request Entity Too Large", no way
    back and no limit named."""
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True))
    words = ", ".join(f'"word{n}"' for n in range(200_000))
    response = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": token, "rules": f'[{{"name": "w", "kind": "banned_words", "words": [{words}]}}]'})
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "<h1>Too large</h1>" in page
    assert "larger than the 1,048,576 bytes a page takes. Nothing was saved" in page


def _starter_site(app, sign_in, admin, make_site, name: str):
    """A site with the nine starter rules as version 1, an admin's client, and its rules page."""
    from moderation.domain.rule_sets import save_rules, starter_rules
    from moderation.models import Site

    site = make_site(name)
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), starter_rules(), actor="test")
        db.session.commit()
    client = sign_in(admin)
    return site, client, client.get(f"/admin/sites/{site.id}/rules").get_data(as_text=True)


def test_saving_rules_that_take_away_the_protective_ones_asks_first(app, sign_in, admin, make_site):
    """An editor's walk: pasting only her own rules took away threats, at-risk and self-harm with no
    word, and "Nobody would miss me now." and "When he gets out he's a dead man." were published."""
    from moderation.domain.rule_sets import current_rule_set, starter_rules

    site, client, page = _starter_site(app, sign_in, admin, make_site, "pasted-gazette")
    mine = json.dumps([{"name": "house-banned", "kind": "banned_words", "words": ["grass"]}])
    form = {"csrf_token": csrf_token(page), "based_on": "1", "rules": mine}

    preview = client.post(f"/admin/sites/{site.id}/rules", data={**form, "action": "preview"}).get_data(as_text=True)
    refused = client.post(f"/admin/sites/{site.id}/rules", data={**form, "action": "save"})
    with app.app_context():
        assert current_rule_set(db.session, site.id).version == 1
    # The tick carries the names it was shown: a bare "on" (a page from before) takes none away.
    bare = client.post(f"/admin/sites/{site.id}/rules", data={**form, "action": "save", "remove_protections": "on"})
    assert bare.status_code == 400
    ticked = re.search(r'name="remove_protections" value="([^"]*)"', preview).group(1)
    assert ticked == ("threats,group-hate,at-risk,urging-self-harm,other-language,phone-numbers,email-addresses,"
                      "street-addresses,card-numbers")
    saved = client.post(f"/admin/sites/{site.id}/rules", data={**form, "action": "save", "remove_protections": ticked})

    assert 'These rules take away <code>threats</code>, <code>group-hate</code>, <code>at-risk</code>' in preview
    assert refused.status_code == 400
    # Every rule the paste takes away is named, the personal-information ones too (a newcomer's walk: they
    # went unasked, and a doxxing comment was published), the protections among them said apart.
    refusal = refused.get_data(as_text=True)
    assert "Not saved: these rules take away &#34;threats&#34;, &#34;group-hate&#34;, &#34;at-risk&#34;" in refusal
    assert "&#34;phone-numbers&#34;" in refusal and "&#34;card-numbers&#34;" in refusal
    assert ("(&#34;threats&#34;, &#34;group-hate&#34;, &#34;at-risk&#34; and &#34;urging-self-harm&#34; holding "
            "threats, hate and readers at risk)") in refusal
    assert saved.status_code == 303
    with app.app_context():
        assert [r["name"] for r in current_rule_set(db.session, site.id).rules] == ["house-banned"]
    # Kept but only as flags publishes what they find: the same as taking them away (a re-check saved it so).
    flagged = [{**rule, "action": "flag"} if rule["kind"] == "threat_words" else rule for rule in starter_rules()]
    house = json.loads(mine)
    restored = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": form["csrf_token"], "based_on": "2", "rules": json.dumps(starter_rules() + house), "action": "save"})
    assert restored.status_code == 303  # putting them back, and keeping the rest, asks nothing
    as_flags = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": form["csrf_token"], "based_on": "3", "rules": json.dumps(flagged + house), "action": "save"})
    assert as_flags.status_code == 400 and "take away &#34;threats&#34;, which hold" in as_flags.get_data(as_text=True)


def test_a_json_paste_that_keeps_the_protections_but_drops_other_rules_asks_first_too(app, sign_in, admin, make_site):
    """A newcomer's walk: told to add back the four protections, she did, and the save took the phone,
    e-mail, address and card rules away unasked; a councillor's address and mobile were then published."""
    from moderation.domain.rule_sets import current_rule_set, starter_rules

    site, client, page = _starter_site(app, sign_in, admin, make_site, "newcomer-gazette")
    kept = [rule for rule in starter_rules() if rule["kind"] in ("threat_words", "group_attack", "at_risk",
                                                                  "urging_self_harm")]
    pasted = json.dumps([{"name": "spam-words", "kind": "banned_words", "words": ["crypto giveaway"]}, *kept])
    refused = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": csrf_token(page), "based_on": "1", "rules": pasted, "action": "save"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "&#34;phone-numbers&#34;" in html and "&#34;street-addresses&#34;" in html
    assert "what they hold would be published" in html and "holding threats" not in html
    with app.app_context():
        assert current_rule_set(db.session, site.id).version == 1


def test_a_json_paste_that_turns_a_rule_to_a_flag_or_another_kind_asks_first(app, sign_in, admin, make_site):
    """A second re-check: the phone and e-mail rules kept by name as flags saved unasked, and a
    councillor's mobile and e-mail were published."""
    from moderation.domain.rule_sets import current_rule_set, starter_rules

    site, client, page = _starter_site(app, sign_in, admin, make_site, "flagged-gazette")
    pasted = [{**rule, "action": "flag"} if rule["name"] == "phone-numbers" else
              {"name": rule["name"], "kind": "banned_words", "words": ["zzqq"]} if rule["name"] == "email-addresses"
              else rule for rule in starter_rules()]
    refused = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": csrf_token(page), "based_on": "1", "rules": json.dumps(pasted), "action": "save"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "&#34;phone-numbers&#34;" in html and "&#34;email-addresses&#34;" in html
    with app.app_context():
        assert current_rule_set(db.session, site.id).version == 1
