"""The CMS fixed-width record layout of the Alpha-Numeric HCPCS file.

From the record layout CMS ships in the zip (``HCPC2026_recordlayout.txt``, "CMS RIF
REPORT", HCPCS Contractor Record): every record is 320 characters. The positions below are
the layout's 1-based BEG/END columns turned into Python slices. Only the fields this package
uses are listed; the others (pricing, coverage, BETOS, ...) are skipped.
"""

from __future__ import annotations

RECORD_LENGTH = 320

CODE = slice(0, 5)  # 1-5    HCPCS code (procedure records)
MODIFIER_FILLER = slice(0, 3)  # 1-3    blank on modifier records
MODIFIER = slice(3, 5)  # 4-5    HCPCS modifier (modifier records)
SEQUENCE = slice(5, 10)  # 6-10   sequence number, by 100s, groups the lines of one code
RECORD_ID = slice(10, 11)  # 11     record identification code (RECID), see below
LONG_DESCRIPTION = slice(11, 91)  # 12-91  80 characters of the long description
SHORT_DESCRIPTION = slice(91, 119)  # 92-119 short description (28 characters)
ADD_DATE = slice(268, 276)  # 269-276 code added date, YYYYMMDD
ACTION_EFFECTIVE_DATE = slice(276, 284)  # 277-284 effective date of the action, YYYYMMDD
TERMINATION_DATE = slice(284, 292)  # 285-292 last date the code may be used, YYYYMMDD
ACTION_CODE = slice(292, 293)  # 293    action code (A add, D discontinue, N none, ...)

# RECID values
CODE_FIRST = b"3"  # first line of a procedure record, with the detail fields
CODE_MORE = b"4"  # further long-description lines of a procedure record
MODIFIER_FIRST = b"7"  # first line of a modifier record, with the detail fields
MODIFIER_MORE = b"8"  # further long-description lines of a modifier record
RECORD_IDS = (CODE_FIRST, CODE_MORE, MODIFIER_FIRST, MODIFIER_MORE)
