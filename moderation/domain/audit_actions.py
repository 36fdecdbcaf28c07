"""Families of audit actions that are read as a family, spelled out rather than matched by prefix.

`action LIKE 'bulk:%'` cannot use the log's (action, id) index under the database's collation
(C.UTF-8 here, a locale's elsewhere), so each erasure read the whole log for the bulk entries naming
its comments: every reader's DELETE at retention 0 and every retention batch (a re-check: a full
scan at 3 million entries). `action IN (...)` is an index lookup. A writer of a new action of a
family adds it here, or `record_bulk` refuses it (tests/test_audit_lookups.py).
"""
from __future__ import annotations

BULK_ACTIONS = ("approve", "reject", "undo", "reverse")
BULK_ENTRY_ACTIONS = tuple(f"bulk:{action}" for action in BULK_ACTIONS)
# An author's entries, which may quote a sanction's reason an erasure blanks.
AUTHOR_ACTIONS = ("author:sanctioned", "author:sanction_lifted", "author:erased", "author:exported")
