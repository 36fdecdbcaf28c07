"""CSV cells a spreadsheet reads as text, never as a formula: the pages' downloads hold what readers,
moderators and sites wrote."""
from __future__ import annotations

# What starts a formula in some spreadsheet (OWASP's list, with the full-width forms and "|" of DDE),
# also behind leading blanks and control characters, which some strip first: "\t=HYPERLINK(...)",
# " =1+2" and "＝1+2" came out as formulas (an adversarial walk).
_FORMULA_START = frozenset("=+-@|\t\r\n＝＋－＠")


def text_cell(value: object) -> object:
    """The value, quoted as text where a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value and (value[0] in _FORMULA_START or value.lstrip()[:1] in _FORMULA_START):
        return "'" + value
    return value
