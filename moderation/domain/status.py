"""The clock, the audit log and a comment's JSON body, as many modules import them from here.

They live in domain/lifecycle.py, which owns statuses and their transitions; status changes go
through lifecycle.change_status.
"""
from moderation.domain.lifecycle import audit, is_visible, now, serialize_comment

__all__ = ["audit", "is_visible", "now", "serialize_comment"]
