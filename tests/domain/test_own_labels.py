"""Every decision, report outcome and suggestscore call becomes a labelled example with its provenance,
and undoing a decision takes its labels back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fake_model import FakeModel
from moderation import db
from moderation.domain.bulk import bulk_decide
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.decisions import decide
from moderation.domain.reason_labels import (
    GUIDELINE_REASONS, REJECTION_LABELS, SET_ASIDE_REJECTION, decision_labels, report_labels,
)
from moderation.domain.reports import file_report
from moderation.domain.scoring import score_pending
from moderation.domain.undo import reverse_decision, undo_decision
from moderation.models import Comment, LabelledExample, Site, SiteMember, User

WINDOW = timedelta(minutes=10)


def held(site_id: int, n: int, text: str = "You idiot.") -> int:
    site = db.session.get(Site, site_id)
    comment_id = submit_comment(db.session, site, CommentInput(
        external_id=f"c{n}", story_id="s", author_id=f"author-{n}", text=text)).comment.id
    score_pending(db.session, FakeModel, [comment_id], batch_size=10)
    return comment_id


def moderate(comment_id: int, user_id: int, action: str, reason: str | None = None) -> Comment:
    comment = db.session.get(Comment, comment_id)
    db.session.refresh(comment)
    db.session.merge(SiteMember(user_id=user_id, site_id=comment.site_id))
    db.session.commit()
    return decide(db.session, comment_id, user=db.session.get(User, user_id), action=action, reason=reason,
                  expected_version=comment.version)


def examples(comment_id: int | None = None) -> list[LabelledExample]:
    db.session.expire_all()
    query = select(LabelledExample).order_by(LabelledExample.id)
    if comment_id is not None:
        query = query.where(LabelledExample.comment_id == comment_id)
    return list(db.session.scalars(query))


def test_a_rejection_is_labelled_by_its_reason_with_who_when_and_which_decision(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id, 1)
        comment = moderate(comment_id, moderator.id, "reject", "Hate speech or attack on identity: slur at a group")
        [example] = examples(comment_id)
        assert example.kind == "decision" and example.site_id == site.id
        assert example.labels == {"toxicity": 1, "identity_attack": 1}
        assert example.labelled_by == moderator.id and example.actor == "user:mona"
        assert example.reason == "Hate speech or attack on identity: slur at a group"
        assert (example.decision, example.decided_at) == ("rejected", comment.decided_at)
        assert example.created_at is not None and example.text == "You idiot."


def test_an_approval_is_a_toxicity_negative_and_nothing_else(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id, 1)
        moderate(comment_id, moderator.id, "approve")
        [example] = examples(comment_id)
        assert (example.kind, example.labels, example.decision) == ("decision", {"toxicity": 0}, "approved")


@pytest.mark.parametrize(("reason", "labels"), [
    ("Off topic", {}),
    ("Spam or advertising: crypto link", {}),
    ("Personal attack or insult", {"toxicity": 1, "insult": 1}),
    ("Threat or incitement to violence", {"toxicity": 1, "threat": 1}),
    ("Profanity or obscenity", {"toxicity": 1, "profanity": 1}),
    ("spam", {}),
    ("severe abuse", {"toxicity": 1, "severe_toxicity": 1}),
    ("breaks the house rules", {"toxicity": 1}),
])
def test_rejection_reasons_map_to_attributes(reason, labels):
    assert decision_labels("rejected", reason) == labels


def test_every_reason_offered_on_the_review_page_has_a_mapping():
    # ... and the one an admin's reject of a set-aside comment records, which labels nothing.
    assert set(GUIDELINE_REASONS) | {SET_ASIDE_REJECTION} == set(REJECTION_LABELS)
    assert REJECTION_LABELS[SET_ASIDE_REJECTION] == {}


def test_reports_resolved_by_a_decision_become_labels_of_their_own(app, site, moderator):
    with app.app_context():
        rejected, approved = held(site.id, 1), held(site.id, 2)
        for comment_id, reason in ((rejected, "hate"), (rejected, "spam"), (approved, "hate")):
            file_report(db.session, db.session.get(Site, site.id), comment_id, reason=reason, reporter_id=f"r-{reason}")
        db.session.commit()
        moderate(rejected, moderator.id, "reject", "Harassment")
        moderate(approved, moderator.id, "approve")
        outcomes = {(e.comment_id, e.reason): e for e in examples() if e.kind == "report_outcome"}
        assert outcomes[(rejected, "hate")].labels == {"toxicity": 1, "identity_attack": 1}
        assert outcomes[(rejected, "spam")].labels == {}
        assert outcomes[(approved, "hate")].labels == {"toxicity": 0, "identity_attack": 0}
        upheld = outcomes[(rejected, "hate")]
        assert upheld.report_id is not None and upheld.labelled_by == moderator.id and upheld.decision == "rejected"
    assert report_labels("dismissed", "uncivil") == {"toxicity": 0}


def test_each_comment_of_a_bulk_decision_is_labelled(app, site, moderator):
    with app.app_context():
        ids = [held(site.id, n) for n in range(3)]
        db.session.merge(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
        selection = [(i, db.session.get(Comment, i).version) for i in ids]
        bulk_decide(db.session, selection, user=db.session.get(User, moderator.id), action="reject",
                    reason="Personal attack or insult")
        labelled = examples()
        assert sorted(e.comment_id for e in labelled) == sorted(ids)
        assert [(e.kind, e.actor, e.labels) for e in labelled] == [
            ("decision", "user:mona", {"toxicity": 1, "insult": 1})] * 3


def test_a_suggestscore_call_is_labelled_with_the_api_client(client, app, site):
    body = {"comment": {"text": "Nobody asked you, clown."}, "attributeScores": {"INSULT": {"summaryScore": {"value": 1}}},
            "clientToken": "comment:c-9", "languages": ["en"]}
    assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json=body).status_code == 200
    with app.app_context():
        [example] = examples()
        assert (example.kind, example.actor, example.labelled_by) == ("suggestscore", f"site:{site.id}", None)
        assert example.client_token == "comment:c-9" and example.labels == {"insult": 1.0}


def test_undo_removes_the_labels_of_the_decision_and_of_the_reports_it_resolved(app, site, moderator):
    with app.app_context():
        comment_id = held(site.id, 1)
        file_report(db.session, db.session.get(Site, site.id), comment_id, reason="uncivil", reporter_id="r1")
        db.session.commit()
        decided = moderate(comment_id, moderator.id, "reject", "Personal attack or insult")
        assert {e.kind for e in examples(comment_id)} == {"decision", "report_outcome"}
        undo_decision(db.session, comment_id, user=db.session.get(User, moderator.id),
                      expected_version=decided.version, window=WINDOW)
        assert examples(comment_id) == []
        # Decided again: the labels follow the final decision.
        moderate(comment_id, moderator.id, "approve")
        assert sorted((e.kind, e.labels["toxicity"]) for e in examples(comment_id)) == [
            ("decision", 0), ("report_outcome", 0)]


def test_an_admin_reversal_removes_the_label(app, site, moderator, admin):
    with app.app_context():
        comment_id = held(site.id, 1)
        decided = moderate(comment_id, moderator.id, "reject", "Hate speech or attack on identity")
        assert len(examples(comment_id)) == 1
        reverse_decision(db.session, comment_id, user=db.session.get(User, admin.id),
                         expected_version=decided.version, reason="the slur was a quotation")
        assert examples(comment_id) == []
