"""String patterns the OpenAPI document shares across its parts.

Exactly what moderation/api/validation.py accepts, so a site (or a fuzzer) can tell a valid body
from an invalid one: no NUL anywhere, and ids and text with something visible besides whitespace.
"""
NO_NUL = "^[^\\u0000]*$"
# Characters that show nothing: soft hyphen, zero-width spaces and joiners, direction marks and
# embeddings, word joiners and invisible operators, the byte order mark. Text of only these and
# whitespace is as blank as an empty string (a "\u200b" comment was published).
INVISIBLE = "\\u00ad\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff"
# Leading blanks, one visible character, anything but NUL: the same strings as "contains something
# visible", written so that Hypothesis (schemathesis) builds examples ten times faster.
NOT_BLANK = f"^[\\s{INVISIBLE}]*[^\\s{INVISIBLE}\\u0000][^\\u0000]*$"
