"""String patterns the OpenAPI document shares across its parts.

Exactly what moderation/api/validation.py accepts, so a site (or a fuzzer) can tell a valid body
from an invalid one: no NUL anywhere, and ids and text with something visible besides whitespace.
"""
NO_NUL = "^[^\\u0000]*$"
# Characters that show nothing: soft hyphen, zero-width spaces and joiners, direction marks and
# embeddings, word joiners and invisible operators, the byte order mark. Text of only these and
# whitespace is as blank as an empty string (a "\u200b" comment was published). Also control
# characters, the combining marks' blocks and variation selectors (marks with nothing to sit on),
# and the letters drawn blank (Hangul fillers, the braille blank, Khmer's inherent vowels), which
# comments:analyze refused as empty and the comment API published (an integrator's walk); and the
# C0 controls, a legacy export's "\x01\x02\x03\x07" row held with an empty card (an archive import's
# walk). A character class, so the OpenAPI document can say it; markup that draws nothing ("<p></p>")
# a class cannot, and the comment API takes it as the text it is (comments:analyze reads it as a page shows it).
INVISIBLE = ("\\u0001-\\u0008\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0300-\\u036f\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u1ab0-\\u1aff"
             "\\u1dc0-\\u1dff\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u20d0-\\u20ff"
             "\\u2800\\u3164\\ufe00-\\ufe0f\\ufe20-\\ufe2f\\ufeff\\uffa0")
# Leading blanks, one visible character, anything but NUL: the same strings as "contains something
# visible", written so that Hypothesis (schemathesis) builds examples ten times faster.
NOT_BLANK = f"^[\\s{INVISIBLE}]*[^\\s{INVISIBLE}\\u0000][^\\u0000]*$"
# An id: the same, and no U+FFFD, which a URL path cannot tell from bytes that are not UTF-8.
NOT_BLANK_ID = f"^[\\s{INVISIBLE}]*[^\\s{INVISIBLE}\\u0000\\ufffd][^\\u0000\\ufffd]*$"
