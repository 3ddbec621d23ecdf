"""A logging filter that masks ID numbers and phone numbers in every log line (issue 13 §6).

Request logs carry URLs, and URLs carried searches by ID number before the search moved to a POST
body; old links, mistakes and other programs can still put one there. Masked like the screens:
520521********1224, 138****5678. Numbers that are not shaped like either (dates, ids) pass.
"""

import logging
import re

from .masking import mask_id_number, mask_phone

# 18-character resident ID (17 digits and a digit or X), and mainland mobile numbers (possibly
# written 138 1234 5678 or 138-1234-5678, or +86…), not glued to other digits.
_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]|%20)?[0-9]{4}(?:[ -]|%20)?[0-9]{4}(?![0-9])"
)


def scrub(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group())[-11:]), text)


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
