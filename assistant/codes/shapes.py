"""The shapes of codes, written once.

Whole codes, in upper case (match them with ``fullmatch``): what each code set's codes look like.
The detection patterns below find the same shapes in free text, in either case, between
boundaries that keep a code from being part of a word, a decimal number or a longer code.
A shape says only what a code may be: whether it exists is for the loaded data to say.
"""

from __future__ import annotations

import re

CPT = re.compile(r"\d{5}")  # CPT Category I
CPT_OTHER = re.compile(r"\d{4}[FTUM]")  # Category II (F), III (T), PLA (U), MAAA (M)
LEVEL2 = re.compile(r"[A-Z]\d{4}")  # HCPCS Level II: a letter and four digits
# HCPCS Level II with a typing slip: the letter O, I or l where a digit goes (E06O1, EO601)
LEVEL2_SLIP = re.compile(r"[A-Za-z][0-9OoIl]{4}")
ICD_CM = re.compile(r"[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?|[A-Z]\d{2}[0-9A-Z]{1,4}")
ICD_CM_BARE = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")  # without its dot, 3 to 7 characters
# "Z34 91" or "Z79-891", typed for Z34.91 and Z79.891 (after a hyphen, a digit comes first)
ICD_CM_SPACED = re.compile(r"[A-Z]\d[0-9A-Z](?: [0-9A-Z]{1,4}|-\d[0-9A-Z]{0,3})")
ICD_CM_CATEGORY_DOT = re.compile(r"[A-Z]\d[0-9A-Z]\.?")  # "I10." at the end of a sentence
# As the knowledge base writes ICD-10-CM codes: with the dot, or a category of digits (I10)
ICD_CM_WRITTEN = re.compile(r"[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}|[A-Z]\d{2}")
ICD_PCS = re.compile(r"[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}")  # seven characters, no I or O
NDC = re.compile(r"\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{11}")
# A procedure code of any kind: CPT (Category I, II, III, PLA) or HCPCS Level II
PROCEDURE = re.compile(rf"{CPT.pattern}|{CPT_OTHER.pattern}|{LEVEL2.pattern}")
# A code and a modifier written together ("99213-25", "J1745 - JW")
WITH_MODIFIER = re.compile(rf"({PROCEDURE.pattern})\s*[-\u2013]\s*([0-9A-Z]{{2}})")

# --- in free text ---------------------------------------------------------------------------

_B = r"(?<![A-Za-z0-9.\-])"  # not glued to a word, a decimal or a longer code on the left
_E = r"(?![A-Za-z0-9]|\.\d|-\d{3})"  # nor on the right
# (kind, pattern), tried in order; the first pattern to take a stretch of text keeps it.
CODE_PATTERNS = [
    (
        "ndc",
        re.compile(_B + r"(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2})(?![0-9\-])"),
    ),
    ("ndc", re.compile(_B + r"(\d{11})(?!\d)")),
    ("icd", re.compile(_B + r"([A-Za-z]\d[0-9A-Za-z]\.[0-9A-Za-z]{1,4})(?![A-Za-z0-9])")),
    ("cpt", re.compile(_B + r"(\d{4}[FTUMftum])" + _E)),
    ("hcpcs", re.compile(_B + r"([A-Za-z]\d{4})" + _E)),
    ("pcs", re.compile(_B + r"([0-9BCDFGHXbcdfghx][0-9A-HJ-NP-Za-hj-np-z]{6})(?![A-Za-z0-9])")),
    ("cpt", re.compile(_B + r"(\d{5})" + _E)),
    ("icd_nodot", re.compile(_B + r"([A-Za-z]\d{2}[0-9A-Za-z]{1,4})(?![A-Za-z0-9])")),
    # (with a space or a hyphen where the dot goes, "Z34 91", "Z79-891": only beside words of
    # diagnosis codes)
    (
        "icd_spaced",
        re.compile(
            _B
            + r"([A-Za-z]\d[0-9A-Za-z](?: [0-9A-Za-z]{1,4}|-\d[0-9A-Za-z]{0,3}))(?![A-Za-z0-9.\-])"
        ),
    ),
    ("icd3", re.compile(_B + r"([A-Za-z]\d[0-9A-Za-z])(?![A-Za-z0-9]|\.\d)")),
    ("slip", re.compile(_B + "(" + LEVEL2_SLIP.pattern + ")" + _E)),
]
