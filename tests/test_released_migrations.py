"""A migration, once committed, is never changed: a database some release migrated has already run
it as it was. 0013_registry was edited to add two columns and 0018_revisions renamed, and databases
of those releases broke on upgrade (0023_mend_registry and migrate.RENAMED mend them). A change
goes in a new migration; a new migration adds its line here."""
from __future__ import annotations

import hashlib

from moderation.migrate import MIGRATIONS

# File name -> the first 16 hex digits of its SHA-256.
RELEASED = {
    "0001_initial_schema.py": "c0f44fc07c8d45b1",
    "0002_webhook_next_attempt.py": "b882da2b82bff831",
    "0003_scoring.py": "e396f7f07e8ba070",
    "0004_accounts.py": "fe5513ccb8235033",
    "0005_webhooks.py": "6a3ab852f821a6c0",
    "0006_requests.py": "842b86b513a85fcf",
    "0007_authors.py": "e40cc34bb2af6daf",
    "0008_members.py": "98e2f11d56039021",
    "0009_undo.py": "dba0f71938c1031d",
    "0010_claims.py": "d2a3b611cd4f1351",
    "0011_precedent.py": "f9bccfa00185844b",
    "0012_queue_speed.py": "749b3a153cf1728c",
    "0013_registry.py": "d3247aac0a4658a9",
    "0014_labels.py": "b3b8ecf611337f05",
    "0015_training_runs.py": "47666f90bf6bd2de",
    "0016_shadow.py": "a1b3173d8d61339c",
    "0017_rules.py": "8a770e5378350cf6",
    "0019_retention.py": "3a9972c8ee5f0d43",
    "0020_storms.py": "f75ebe6577e9cc13",
    "0021_revisions.py": "37392402a954b761",
    "0022_held_reported.py": "dbdf9d9a09de3cf9",
    "0023_mend_registry.py": "1249d2ea712f689b",
    "0024_removed_reports.py": "69bbf0698cb7ed79",
    "0025_accent_blind_search.py": "e16d393f84e42fb3",
    "0026_operations_indexes.py": "3178966132499a43",
    "0027_scored_priority.py": "dda5bab9ac76b465",
    "0028_readable_created_at.py": "b0f0ede28b89e65c",
    "0029_scoring_keys.py": "ee5a7c301cddd9d3",
    "0030_change_feed.py": "71f15c9bc3a96ee3",
    "0031_feed_epoch_per_database.py": "e4522a538f77cf7b",
    "0032_discarded_versions.py": "a2f763ee8f2e04ee",
    "0033_bulk_lane.py": "ce5209a91eaab61c",
    "0034_strict_stories.py": "971bd6e05628bf08",
    "0035_report_found.py": "dc358f13014705b4",
    "0036_imported_decisions.py": "f323ef7c5bb6c9c1",
    "0037_legal_holds.py": "80f88a5115b5e58d",
    "0038_rule_hit_kinds.py": "a280bc46648fe6ca",
    "0039_scoring_key_grace.py": "d508896375a0303e",
    "0040_audit_action_index.py": "3baf7661a133ba00",
    "0041_open_reports_index.py": "303d1467de1b1318",
    "0042_held_rescores.py": "c23b787b46491598",
    "0043_model_bands.py": "6f985131cd17d830",
    "0044_rescore_progress.py": "768083b63d087a4e",
    "0045_deleted_priority.py": "a62366ba388f7ba1",
    "0046_version_trainer.py": "dc8d2fc3307ede1b",
    "0047_published_by_version.py": "cc7cdb994acddf8d",
}


def test_no_released_migration_was_edited_renamed_or_removed():
    found = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:16]
             for path in sorted((MIGRATIONS / "versions").glob("*.py"))}
    changed = {name for name, digest in RELEASED.items() if found.get(name) != digest}
    assert not changed, f"released migrations changed or gone: {sorted(changed)}; write a new migration instead"
    assert not set(found) - set(RELEASED), "a new migration: add its line to RELEASED"
