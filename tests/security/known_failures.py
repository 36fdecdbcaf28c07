"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS)."""
