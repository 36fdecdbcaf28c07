"""A comment's body hash is stored with it and compared on every resend, so it never changes for a
body a site already sent: a changed hash turns each of that site's safe retries into a 409."""
from __future__ import annotations

from dataclasses import make_dataclass
from datetime import datetime, timezone

from moderation.domain.comments import CommentInput

# Computed by the release that stored them: a resend of these bodies must hash the same.
PLAIN = CommentInput(external_id="c-1", story_id="s-1", author_id="reader-7", text="Héllo, world.")
PLAIN_HASH = "4f6b3dc4bd5cda94ce32d2793d7cb9a251e8d57c981cf2d76e7e31c381d3708e"
FULL = CommentInput(external_id="c-1", story_id="s-1", author_id="reader-7", text="Héllo", parent_id="c-0",
                    story_url="https://x.example/1", story_title="T", author_name="R",
                    created_at=datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc))
FULL_HASH = "11cc87f32285050292f9508eb83f9831e1e91597d8bcea8118cba28b9fabfc94"


def test_a_body_hashes_as_it_did_when_it_was_stored():
    assert PLAIN.body_hash() == PLAIN_HASH
    assert FULL.body_hash() == FULL_HASH


def test_an_optional_field_added_later_leaves_every_earlier_body_the_same_comment():
    """A newcomer's throwaway change: one optional input field, and every resend of a comment stored
    before the upgrade was refused as "already submitted with a different body"."""
    Later = make_dataclass("Later", [("site_language", "str | None", None)], bases=(CommentInput,), frozen=True)
    later = Later(external_id="c-1", story_id="s-1", author_id="reader-7", text="Héllo, world.")
    assert later.same_body(PLAIN_HASH)
    sent = Later(external_id="c-1", story_id="s-1", author_id="reader-7", text="Héllo, world.", site_language="cy")
    assert not sent.same_body(PLAIN_HASH)  # a body that sends it is another body
