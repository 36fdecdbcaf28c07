"""The rules page's form: an admin who writes no JSON adds, changes and removes rules field by field,
and what the form saves is what the JSON editor would have."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.admin.rule_form import rules_from_form
from moderation.domain.rule_sets import current_rule_set, save_rules, starter_rules
from moderation.domain.rules import validate_rules
from moderation.models import RuleSet, Site


class _Form(HTMLParser):
    """The fields of the rules form as a browser would post them (checkboxes unticked)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.fields, self.select, self.textarea, self.legend = False, {}, None, None, False
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = "rules-form" in (a.get("class") or "")
        if not self.inside:
            return
        if tag == "input" and a.get("type") != "checkbox" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.fields):
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[self.textarea] = ""
        elif tag == "legend":
            self.labels.append("")
            self.legend = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "legend":
            self.legend = False

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data
        elif self.legend:
            self.labels[-1] += data


def _form(html: str) -> _Form:
    form = _Form()
    form.feed(html)
    return form


def _page(client, site_id: int) -> str:
    return client.get(f"/admin/sites/{site_id}/rules").get_data(as_text=True)


def _rules_in_force(app, site, rules: list[dict]) -> None:
    """`rules` saved as the site's version in force, as an admin would have left them."""
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), rules, actor="test")
        db.session.commit()


def _send(client, site_id: int, fields: dict[str, str], action: str):
    return client.post(f"/admin/sites/{site_id}/rules", data={**fields, "action": action})


_TAKE_AWAY = re.compile(r'name="remove_protections" value="([^"]*)"')


def _take_away(html: str) -> dict[str, str]:
    """"Take them away" ticked, as the page's tick posts it: with the names it asked about."""
    ticks = _TAKE_AWAY.findall(html)
    assert len(ticks) == 1, "the page asks in one place"
    return {"remove_protections": ticks[0]}


def test_an_admin_adds_a_banned_words_rule_without_writing_json(app, sign_in, admin, make_site):
    site = make_site("form-gazette")
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), starter_rules(), actor="test")
        db.session.commit()
    client = sign_in(admin)
    shown = _form(_page(client, site.id))
    assert shown.labels[:2] == ["Rule 1: threat words", "Rule 2: group attack"]
    fields = dict(shown.fields)

    added = _send(client, site.id, {**fields, "add_kind": "banned_words"}, "add")
    html = added.get_data(as_text=True)
    form = _form(html)
    last = len(form.labels) - 1
    assert added.status_code == 200 and form.labels[-1] == f"Rule {last + 1}: banned words"
    assert form.fields[f"rule-{last}-name"] == "banned-words" and f'name="rule-{last}-words"' in html
    assert 'autofocus' in html  # the new rule's name, for a keyboard user
    with app.app_context():  # adding a rule to the form saves nothing
        assert current_rule_set(db.session, site.id).version == 1

    typed = {**form.fields, f"rule-{last}-name": "house-banned", f"rule-{last}-words": "grass\r\n\r\n  snitch  \r\n",
             f"rule-{last}-reason": "house rule"}
    assert _send(client, site.id, typed, "save").status_code == 303
    with app.app_context():
        saved = current_rule_set(db.session, site.id)
    assert saved.version == 2 and saved.rules[:-1] == starter_rules()
    assert saved.rules[-1] == {"name": "house-banned", "kind": "banned_words", "action": "reject",
                               "reason": "house rule", "words": ["grass", "snitch"],
                               "ranks_with": "suspect words"}


def test_a_rule_is_changed_and_another_removed_from_the_form(app, sign_in, admin, site):
    _rules_in_force(app, site, [
        {"name": "repeats", "kind": "flood"}, {"name": "no-phones", "kind": "phone"},
        {"name": "links", "kind": "links", "allowed_domains": ["example.com"]}])
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    assert (fields["rule-0-count"], fields["rule-0-minutes"], fields["rule-0-scope"]) == ("3", "1", "author")
    changed = {**fields, "rule-0-count": "5", "rule-0-scope": "site", "rule-0-action": "flag",
               "rule-1-remove": "on", "rule-2-allowed_domains": "example.com, www.Council.gov.uk\nbbc.co.uk"}
    # A rule ticked away, or turned to a flag, from the form asks first, as from a paste.
    asked = _send(client, site.id, changed, "save")
    assert asked.status_code == 400 and "take away &#34;repeats&#34; and &#34;no-phones&#34;" in asked.get_data(
        as_text=True)
    assert _send(client, site.id, {**changed, **_take_away(asked.get_data(as_text=True))}, "save").status_code == 303
    with app.app_context():
        rules = current_rule_set(db.session, site.id).rules
    assert [r["name"] for r in rules] == ["repeats", "links"]
    assert (rules[0]["count"], rules[0]["minutes"], rules[0]["scope"], rules[0]["action"]) == (5, 1, "site", "flag")
    assert rules[1]["allowed_domains"] == ["example.com", "council.gov.uk", "bbc.co.uk"]


def test_a_bad_value_in_the_form_names_the_rule_and_field_keeps_what_was_typed_and_saves_nothing(
        app, sign_in, admin, site):
    _rules_in_force(app, site, [{"name": "repeats", "kind": "flood"}])
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    refused = _send(client, site.id, {**fields, "rule-0-count": "ten", "rule-0-reason": "<b>spam</b>"}, "save")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert ('Not saved: rule 1 (&#34;\u2068repeats\u2069&#34;): &#34;How many times&#34; must be a whole number '
        'from 2 to 100.') in html and "rules[0]" not in html.split("Not saved:")[1].split("</p>")[0]
    after = _form(html).fields
    assert after["rule-0-count"] == "ten" and after["rule-0-reason"] == "<b>spam</b>"
    assert 'id="rule-0-count"' in html and 'aria-invalid="true" aria-describedby="form-error"' in html
    assert "&lt;b&gt;spam&lt;/b&gt;" in html and "<b>spam</b>" not in html
    with app.app_context():
        assert db.session.scalar(select(RuleSet.version).order_by(RuleSet.version.desc()).limit(1)) == 1


def test_removing_the_protective_rules_from_the_form_asks_first(app, sign_in, admin, make_site):
    site = make_site("careful-gazette")
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), starter_rules(), actor="test")
        db.session.commit()
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    threats = next(k.split("-")[1] for k, v in fields.items() if k.endswith("-kind") and v == "threat_words")
    refused = _send(client, site.id, {**fields, f"rule-{threats}-remove": "on"}, "save")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "take away &#34;threats&#34;" in html
    # The warning and its tick are in the form the admin used, and the rule is still there, still
    # ticked: refused, the form had dropped it, with no box left to untick (an editor's walk).
    assert html.index('id="removing"') < html.index('id="json-editor"')
    assert "Rule 1: threat words" in html and f'name="rule-{threats}-remove" checked' in html
    ticked = _send(client, site.id, {**_form(html).fields, f"rule-{threats}-remove": "on", **_take_away(html)},
                   "save")
    assert ticked.status_code == 303
    with app.app_context():
        assert "threats" not in [r["name"] for r in current_rule_set(db.session, site.id).rules]


def test_the_form_reads_numbers_and_lines_as_the_json_would_hold_them():
    form = {"rule-1-kind": "shouting", "rule-1-name": "caps", "rule-1-caps_ratio": "0.9", "rule-1-min_letters": "",
        "rule-0-kind": "suspect_words", "rule-0-name": "watch", "rule-0-words": "a b\n\nc\r\n",
        "rule-0-action": "", "rule-2-kind": "phone", "rule-2-name": "x", "rule-2-remove": "on"}
    assert rules_from_form(form) == [
        {"name": "watch", "kind": "suspect_words", "words": ["a b", "c"]},
        {"name": "caps", "kind": "shouting", "caps_ratio": 0.9}]


def test_a_ratio_the_json_took_does_not_block_the_form_and_a_ticked_removal_waits_for_the_save(
        app, sign_in, admin, site):
    """A re-check: a saved share of capitals of 0.72 (not a step of 0.05) made the browser refuse every
    button of the form, Add and Preview too; and pressing Add dropped a rule ticked for removal at
    once, with no box left to untick."""
    from moderation.admin.rule_form import param_fields

    _rules_in_force(app, site, [
        {"name": "caps", "kind": "shouting", "caps_ratio": 0.72}, {"name": "no-phones", "kind": "phone"}])
    assert [p.step for p in param_fields({"kind": "shouting"}) if p.name == "caps_ratio"] == ["any"]
    client = sign_in(admin)
    page = _page(client, site.id)
    assert 'class="card settings rules-form" method="post" novalidate' in page
    fields = {**_form(page).fields, "rule-1-remove": "on", "add_kind": "email"}
    added = _send(client, site.id, fields, "add").get_data(as_text=True)
    form = _form(added)
    assert form.labels == ["Rule 1: shouting", "Rule 2: phone", "Rule 3: email"]
    assert 'name="rule-1-remove" checked' in added
    asked = _send(client, site.id, {**form.fields, "rule-1-remove": "on"}, "save").get_data(as_text=True)
    assert 'name="rule-1-remove" checked' in asked and "take away &#34;no-phones&#34;" in asked
    assert _send(client, site.id, {**form.fields, "rule-1-remove": "on", **_take_away(asked)}, "save").status_code == 303
    with app.app_context():
        assert [r["name"] for r in current_rule_set(db.session, site.id).rules] == ["caps", "email"]


def test_a_phrase_with_a_line_break_is_refused_since_the_form_shows_one_entry_a_line(app, sign_in, admin, site):
    """A re-check: "cheap\\nwatches" saved as JSON became "cheap" and "watches" at the next save from
    the form, and "cheap" alone rejected a comment about cheap tickets."""
    client = sign_in(admin)
    page = _page(client, site.id)
    response = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": csrf_token(page), "action": "save",
        "rules": '[{"name": "watches", "kind": "banned_words", "words": ["cheap\\nwatches", "buy now"]}]'})
    assert response.status_code == 400 and "holds an entry with a line break" in response.get_data(as_text=True)


def test_an_editors_pasted_lists_and_slips_are_caught_before_they_save_a_rule_that_catches_nothing(
        app, sign_in, admin, site):
    """An editor's walk: "Darren Pike, D. Pike, Pike" on one line and a list pasted from Word with its
    bullets were saved as typed and caught nothing; Preview's error said "Not saved"; the error sat
    3,000 px above its field; a preview dropped a rule ticked for removal and nothing named it."""
    _rules_in_force(app, site, [
        {"name": "court", "kind": "suspect_words", "words": ["placeholder"]},
        {"name": "no-phones", "kind": "phone"}])
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    commas = _send(client, site.id, {**fields, "rule-0-words": "Darren Pike, D. Pike, Pike"}, "preview")
    html = commas.get_data(as_text=True)
    assert commas.status_code == 400 and "Cannot preview: rule 1 (&#34;\u2068court\u2069&#34;)" in html
    assert "with commas or semicolons: put each word or phrase on a line of its own" in html
    assert html.count("with commas or semicolons: put each word") == 2  # at the top and beside the field
    assert '<span class="field-error">' in html.split('id="rule-0-words"')[1].split("</fieldset>")[0]

    pasted = {**fields, "rule-0-words": "• Darren Pike\r\n- D. Pike\r\n* Pike", "rule-1-remove": "on"}
    preview = _send(client, site.id, pasted, "preview").get_data(as_text=True)
    assert "Removed when you save: <code>no-phones</code>" in preview and 'name="rule-1-remove" checked' in preview
    saved = _send(client, site.id, {**pasted, **_take_away(preview)}, "save")
    assert "removed: no-phones." in client.get(saved.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert current_rule_set(db.session, site.id).rules[0]["words"] == ["Darren Pike", "D. Pike", "Pike"]

    # Version 1 loads back into the form, to save again.
    loaded = client.get(f"/admin/sites/{site.id}/rules?version=1").get_data(as_text=True)
    assert "Version 1 is in the form below, not saved" in loaded and _form(loaded).fields["rule-1-name"] == "no-phones"
    # ... and stays named through an Add and a preview, until it is saved (it left at the first Add).
    added = _send(client, site.id, {**_form(loaded).fields, "add_kind": "shouting"}, "add").get_data(as_text=True)
    assert "Version 1 is in the form below, not saved" in added and _form(added).fields["rule-2-kind"] == "shouting"
    previewed = _send(client, site.id, _form(added).fields, "preview").get_data(as_text=True)
    assert "Version 1 is in the form below, not saved" in previewed
    forged = _send(client, site.id, {**_form(added).fields, "loaded": "999999"}, "preview").get_data(as_text=True)
    assert "is in the form below" not in forged  # a version never saved is named by no notice (a re-check)
    resaved = _send(client, site.id, _form(previewed).fields, "save")
    assert "is in the form below" not in client.get(resaved.headers["Location"]).get_data(as_text=True)


def test_a_new_author_rules_number_says_what_it_counts():
    from moderation.admin.rule_form import param_fields

    labels = {p.name: p.label for p in param_fields({"kind": "new_author"})}
    assert labels == {"count": "How many of their comments", "until": "Held until that many are"}


def test_numbered_lists_lose_their_numbers_a_saved_phrase_with_a_comma_passes_and_errors_use_the_kinds_label(
        app, sign_in, admin, site):
    """A second re-check: "1. scumbag" kept its number and caught nothing; a phrase with a comma saved
    under Edit as JSON, as the error advises, then blocked every form save; a new author's count
    error named "How many times", a label the field no longer has."""
    from moderation.admin.rule_form import rules_from_form

    assert rules_from_form({"rule-0-kind": "banned_words", "rule-0-name": "b",
                            "rule-0-words": "1. scumbag\n2) lowlife\n10. thug"})[0]["words"] == [
        "scumbag", "lowlife", "thug"]
    _rules_in_force(app, site, [
        {"name": "buy", "kind": "suspect_words", "words": ["buy now, pay later"]},
        {"name": "new", "kind": "new_author"}])
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    assert _send(client, site.id, fields, "preview").status_code == 200
    bad = _send(client, site.id, {**fields, "rule-1-count": "0"}, "save").get_data(as_text=True)
    assert "rule 2 (&#34;\u2068new\u2069&#34;): &#34;How many of their comments&#34; must be" in bad


def test_a_preview_over_a_comment_too_long_to_read_runs_and_a_rename_is_no_removal(app, sign_in, admin, site,
                                                                                   make_comment):
    """A second re-check: one comment "too long to read" made every preview a 500; "Darren Pike; D.
    Pike" on one line passed; renaming a rule was reported as removing it."""
    make_comment(site.id, "\ufb04" * 13_500 + " I know where you live.")
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), validate_rules([
            {"name": "phones", "kind": "phone"}, {"name": "court", "kind": "suspect_words", "words": ["pike"]},
            {"name": "threats", "kind": "threat_words"}]), actor="test")
        db.session.commit()
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    preview = _send(client, site.id, fields, "preview")
    assert preview.status_code == 200 and "1 of them is too long for the rules to read whole" in preview.get_data(
        as_text=True)
    semicolons = _send(client, site.id, {**fields, "rule-1-words": "Darren Pike; D. Pike"}, "save")
    assert semicolons.status_code == 400
    renamed = _send(client, site.id, {**fields, "rule-0-name": "phone-numbers"}, "save")
    said = client.get(renamed.headers["Location"]).get_data(as_text=True)
    assert "Saved rules version 2 for daily-planet." in said and "removed" not in said


def test_the_phrase_rules_action_says_hold_not_reject_and_a_word_list_says_nothing(app, sign_in, admin, make_site):
    """A docs tester set `group_attack` to reject, which the form offered without a word, and it rejected
    unseen a civil comment that quoted hate to criticise it."""
    site = make_site("hint-gazette")
    _rules_in_force(app, site, [*starter_rules(), {"name": "house", "kind": "banned_words", "words": ["grass"]}])
    html = _page(sign_in(admin), site.id)
    names = [rule["name"] for rule in starter_rules()] + ["house"]
    hinted = {names[int(i)]: text for i, text in re.findall(
        r'<span class="field-hint" id="rule-(\d+)-action-hint">([^<]*)</span>', html)}
    assert sorted(hinted) == ["group-hate", "other-language", "threats", "urging-self-harm"]
    assert hinted["group-hate"] == ("Hold, not reject: quotations and news reports fire it too, and no moderator "
                                    "sees what it rejects.")
    assert "civil comments in other languages" in hinted["other-language"]
    i = names.index("threats")
    assert re.search(rf'<select id="rule-{i}-action" name="rule-{i}-action" aria-describedby="rule-{i}-action-hint">',
                     html)


def test_a_refused_action_of_a_phrase_rule_is_described_by_the_error_and_the_hint(app, sign_in, admin, make_site):
    site = make_site("hint-herald")
    _rules_in_force(app, site, starter_rules())
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    i = [rule["name"] for rule in starter_rules()].index("threats")
    html = _send(client, site.id, {**fields, f"rule-{i}-action": "nuke"}, "save").get_data(as_text=True)
    assert re.search(rf'<select id="rule-{i}-action" name="rule-{i}-action" aria-invalid="true" '
                     rf'aria-describedby="form-error rule-{i}-action-hint">', html)


def _twelve_rules(app, make_site, name: str):
    """A site with the tester's twelve rules in force: the starter nine, two word lists, a second hate rule."""
    site = make_site(name)
    _rules_in_force(app, site, validate_rules([
        *starter_rules(), {"name": "watches", "kind": "banned_words", "words": ["cheap watches"]},
        {"name": "local-slurs", "kind": "suspect_words", "words": ["scrounger"]},
        {"name": "group-hate-reject", "kind": "group_attack", "action": "reject"}]))
    return site


def _names_in_force(app, site) -> list[str]:
    with app.app_context():
        return [rule["name"] for rule in current_rule_set(db.session, site.id).rules]


def test_a_json_paste_refused_for_what_it_takes_away_is_not_saved_by_the_forms_save_either(
        app, sign_in, admin, make_site):
    """A tester's walk: *Edit as JSON* refused a paste that dropped 7 of 12 rules, the form above showed
    that paste, and its *Save rules* saved it unasked (the form asked of the protections only); a phone
    number, an e-mail, a home address and a Russian insult were then published."""
    site = _twelve_rules(app, make_site, "tested-gazette")
    before = _names_in_force(app, site)
    client = sign_in(admin)
    page = _page(client, site.id)
    paste = json.dumps([{"name": "watches2", "kind": "banned_words", "words": ["fake rolex"]},
                        {"name": "threats", "kind": "threat_words"}, {"name": "group-hate", "kind": "group_attack"},
                        {"name": "at-risk", "kind": "at_risk"}, {"name": "urging-self-harm", "kind": "urging_self_harm"},
                        {"name": "group-hate-reject", "kind": "group_attack", "action": "reject"}])
    refused = client.post(f"/admin/sites/{site.id}/rules", data={
        "csrf_token": _form(page).fields["csrf_token"], "based_on": "1", "rules": paste, "action": "save"})
    html = refused.get_data(as_text=True)
    taken = ("&#34;other-language&#34;, &#34;phone-numbers&#34;, &#34;email-addresses&#34;, &#34;street-addresses&#34;, "
             "&#34;card-numbers&#34;, &#34;watches&#34; and &#34;local-slurs&#34;")
    assert refused.status_code == 400 and f"Not saved: these rules take away {taken}" in html

    # The form above now holds the refused paste; its own Save asks the same question, in the form.
    shown = _form(html)
    assert [shown.fields[f"rule-{i}-name"] for i in range(6)][:2] == ["watches2", "threats"]
    again = _send(client, site.id, shown.fields, "save")
    asked = again.get_data(as_text=True)
    assert again.status_code == 400 and f"Not saved: these rules take away {taken}" in asked
    assert asked.index('id="removing"') < asked.index('id="json-editor"')  # beside the button pressed
    assert _names_in_force(app, site) == before

    # Ticked there, it saves, and says what went.
    saved = _send(client, site.id, {**_form(asked).fields, **_take_away(asked)}, "save")
    assert saved.status_code == 303
    said = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert ("removed: other-language, phone-numbers, email-addresses, street-addresses, card-numbers, watches, "
            "local-slurs.") in said
    assert _names_in_force(app, site) == ["watches2", "threats", "group-hate", "at-risk", "urging-self-harm",
                                          "group-hate-reject"]


def test_the_form_alone_taking_away_a_personal_information_rule_asks_first_naming_it(app, sign_in, admin, make_site):
    """The form's guard had named the threat, hate and at-risk rules only: a personal-information,
    other-language or word-list rule ticked away on the form went unasked."""
    site = _twelve_rules(app, make_site, "careful-herald")
    before = _names_in_force(app, site)
    client = sign_in(admin)
    fields = _form(_page(client, site.id)).fields
    index = {name: key.split("-")[1] for key, name in fields.items() if key.endswith("-name")}
    phones = {**fields, f"rule-{index['phone-numbers']}-remove": "on"}

    refused = _send(client, site.id, phones, "save")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Not saved: these rules take away &#34;phone-numbers&#34;: what they hold would be published" in html
    assert f'name="rule-{index["phone-numbers"]}-remove" checked' in html and _names_in_force(app, site) == before
    # Agreed for the phone rule, the tick takes away no rule ticked after the question.
    more = _send(client, site.id, {**phones, f"rule-{index['watches']}-remove": "on", **_take_away(html)}, "save")
    assert more.status_code == 400 and "take away &#34;phone-numbers&#34; and &#34;watches&#34;" in more.get_data(
        as_text=True)
    assert _names_in_force(app, site) == before

    saved = _send(client, site.id, {**phones, **_take_away(html)}, "save")
    assert saved.status_code == 303
    assert "removed: phone-numbers." in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert _names_in_force(app, site) == [name for name in before if name != "phone-numbers"]
