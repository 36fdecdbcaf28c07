"""String patterns the OpenAPI document shares across its parts.

Exactly what moderation/api/validation.py accepts, so a site (or a fuzzer) can tell a valid body
from an invalid one: no NUL anywhere, and ids and text with something besides whitespace.
"""
NO_NUL = "^[^\\u0000]*$"
# Leading space, one visible character, anything but NUL: the same strings as "contains a non-space",
# written so that Hypothesis (schemathesis) builds examples ten times faster.
NOT_BLANK = "^\\s*[^\\s\\u0000][^\\u0000]*$"
