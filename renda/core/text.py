"""The one text policy: what names, codes and free text accept, how input is cleaned, how output is kept safe.

Input (applied at every boundary alike — forms, the API, spreadsheet imports — by calling these
functions, never by ad-hoc cleaning):

- **Codes people type** (tracking codes, station codes, ID numbers, phones, region codes):
  `clean_code` folds compatibility forms with NFKC (the full-width ７ＫＱ２ a Chinese IME produces
  becomes 7KQ2), removes invisible format characters (Unicode category Cf: zero-width space U+200B,
  BOM U+FEFF, soft hyphen, direction marks — they arrive with copied text and are never part of a code),
  control characters and every kind of space. Case is the caller's business (ID numbers upper-case X,
  tracking codes upper-case, station codes lower-case).
- **Names** (people, and the one-line names of bodies and places): `clean_name` removes Cf and control
  characters and collapses spaces, but never folds NFKC (（中心） stays full-width); person names
  (`clean_person_name`) also lose every space (rosters pad 王　芳). Characters outside the Basic
  Multilingual Plane are kept: CJK Extension B–H (𠮷 U+20BB7) are real
  surnames and given names, and `is_person_name` accepts them wherever it accepts 王.
- **Free text** (comments, opinions, suggestion bodies, notes): `clean_text` keeps what people wrote,
  including full-width punctuation (no NFKC: it would turn ，into ,) and format characters (a ZWJ
  joins an emoji), but removes C0 and C1 control characters other than TAB and LF (CR LF and lone CR
  become LF). Decision: removed, not refused — they come from pasting out of chat apps, the writer
  cannot see them, and a refusal naming an invisible character helps nobody. Its two ends lose every
  space and format character (a title copied with a trailing U+200B is stored without it), and a text
  with nothing visible in it (`is_blank`: spaces of any kind, U+200B/U+200C/U+200D/U+FEFF, U+3000,
  Hangul fillers …) becomes empty, so that a required field refuses it as "请填写…" — in every form
  (Django's required check) and every API input (`InputSchema` treats it as missing).

Output: stored data may predate the policy (and the audit log keeps a failed login's username exactly as
typed, on purpose). Every writer — xlsx (`renda.core.spreadsheets.safe_cell`), docx (`docx_text`), PDF
and HTML — passes strings through `export_text`, which replaces every character that XML 1.0 cannot hold
or that would be invisible with a visible stand-in: C0 controls other than TAB/LF/CR and DEL become their
Unicode control pictures (U+0007 → ␇, as renda.core.spreadsheets shows them), C1 controls, lone surrogates
and U+FFFE/U+FFFF become ``[U+0085]``-style escapes. The document is produced and nothing disappears
silently.
"""

import hashlib
import re
import unicodedata

# C0 controls except TAB (U+0009) and LF (U+000A), DEL, and the C1 block.
_CONTROLS_BUT_TAB_LF = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")
# What XML 1.0 cannot carry, plus the controls it can but nobody can see (DEL, C1).
_UNSAFE_OUTPUT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Han characters a name may hold: the unified blocks (main, Extensions A–H), the compatibility blocks,
# and the middle dot of minority and foreign names (阿依古丽·买买提). NFKC has already folded the
# compatibility ideographs onto unified ones by the time this runs.
HAN_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2EBEF),  # Extensions C, D, E, F
    (0x2F800, 0x2FA1F),  # Compatibility Supplement
    (0x30000, 0x323AF),  # Extensions G, H
)
_HAN_CLASS = "".join(f"\\U{lo:08X}-\\U{hi:08X}" for lo, hi in HAN_RANGES)
_PERSON_NAME = re.compile(f"^[{_HAN_CLASS}A-Za-z·•.]{{2,20}}$")


def is_han(char: str) -> bool:
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in HAN_RANGES)


def strip_format(value: str) -> str:
    """Remove invisible format characters (Unicode category Cf)."""
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def clean_code(value) -> str:
    """A code as typed → as compared: NFKC, no Cf, no controls, no spaces. Case is left alone."""
    text = unicodedata.normalize("NFKC", strip_format(str(value or "")))
    text = _CONTROLS.sub("", text)
    return "" if is_blank(text) else "".join(text.split())


def _collapse_spaces(match: re.Match) -> str:
    # A run of spaces becomes one, and a full-width space (院长 after 卫生院　) stays full-width.
    return "\u3000" if match.group()[0] == "\u3000" else " "


def clean_name(value) -> str:
    """A one-line name (a body, a place, a workplace title): no Cf, no controls, spaces collapsed.

    Not NFKC: a name is text as written — 黄泥塘镇（中心）卫生院　院长 keeps its full-width brackets and
    space (NFKC folding is for codes only).
    """
    text = _CONTROLS.sub(" ", strip_format(str(value or "")))
    return "" if is_blank(text) else _WHITESPACE.sub(_collapse_spaces, text).strip()


def clean_person_name(value) -> str:
    """A person's name as stored: `clean_name` without any space (rosters pad 王　芳 to align columns)."""
    return "".join(clean_name(value).split())


def is_person_name(value: str) -> bool:
    """2–20 Han characters of any extension, Latin letters, or the middle dot — after clean_person_name."""
    return bool(_PERSON_NAME.match(value or ""))


# Letters and marks that show nothing on their own: the Hangul fillers, the braille blank, the combining
# grapheme joiner and the variation selectors. With Cf, controls and every space they make a text "blank".
_BLANK_LOOKING = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)


def _invisible_at_end(char: str) -> bool:
    """Stripped from either end of free text: any space (U+3000 too) and any format character (U+200B,
    U+FEFF, ZWJ …) — nothing a reader can see, and a copied title should not keep it."""
    return char.isspace() or unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc")


def is_blank(value) -> bool:
    """True when `value` holds nothing a reader can see: only spaces of any kind, format characters (Cf),
    controls, and blank-looking letters (Hangul fillers, braille blank, variation selectors). A required
    text made only of these is empty (the public form once took six U+200B as an opinion)."""
    return all(
        _invisible_at_end(c) or c in _BLANK_LOOKING or 0xE0100 <= ord(c) <= 0xE01EF for c in str(value or "")
    )


def clean_text(value, *, multiline: bool = True) -> str:
    """Free text as stored: line ends made LF, control characters other than TAB/LF removed, the ends
    stripped of spaces and invisible format characters (U+200B, U+FEFF, U+3000 …), and a text with
    nothing visible left (`is_blank`) made empty — so a required field refuses it as empty. Format
    characters inside the text stay (a ZWJ joins an emoji).

    With multiline=False (a title, a one-line note) line breaks become spaces as well.
    """
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS_BUT_TAB_LF.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    if is_blank(text):
        return ""
    start, end = 0, len(text)
    while start < end and _invisible_at_end(text[start]):
        start += 1
    while end > start and _invisible_at_end(text[end - 1]):
        end -= 1
    return text[start:end]


def content_fingerprint(value) -> str:
    """What makes two texts "the same content" for a duplicate check, as a 32-hex digest.

    Invisible characters (Cf, controls) removed, NFKC-folded (full-width ：becomes :), case folded, and
    every space and punctuation mark (Unicode categories Z* and P*, so ：。 and :. alike) dropped: a
    script cannot escape the check by inserting U+200B or swapping ：。 for :.
    """
    text = unicodedata.normalize("NFKC", _CONTROLS.sub("", strip_format(str(value or "")))).casefold()
    kept = "".join(c for c in text if unicodedata.category(c)[0] not in "PZC" and not c.isspace())
    return hashlib.sha256(kept.encode()).hexdigest()[:32]


def _escape(match: re.Match) -> str:
    char = match.group()
    if char < " ":
        return chr(0x2400 + ord(char))  # the control pictures ␀ … ␟, as the spreadsheets show them
    if char == "\x7f":
        return "\u2421"  # ␡
    return f"[U+{ord(char):04X}]"


def export_text(value):
    """A stored string made safe for any output (xlsx, docx, pdf, csv): unsafe characters escaped visibly.

    Non-strings are returned unchanged so that numbers and dates keep their cell types.
    """
    if not isinstance(value, str):
        return value
    return _UNSAFE_OUTPUT.sub(_escape, value)


def visible_text(value) -> str:
    """Stored raw input shown on a page (the audit log): `export_text`, and invisible format characters
    (Cf: U+200B, U+200D, BOM, direction marks) shown as [U+200B]-style escapes — 'ad' BEL 'min' reads
    ad␇min, never admin. Line breaks and tabs are kept."""
    text = export_text("" if value is None else str(value))
    return "".join(f"[U+{ord(c):04X}]" if unicodedata.category(c) == "Cf" else c for c in text)


def docx_text(value) -> str:
    """Text for python-docx (which refuses anything XML cannot hold): `export_text` of its string form."""
    return export_text("" if value is None else str(value))


# ----------------------------------------------------------------------------------------------------
# The boundary: which policy a named input gets. Every form (renda.core.forms.PolicyForm /
# PolicyModelForm) and every API input schema (renda.core.api.InputSchema) cleans its text inputs with
# `clean_input(name, value)` before any validation runs, so a field's own checks see the cleaned value.

# Codes people type: NFKC-folded (full-width ２０２２ → 2022), no Cf, no controls, no spaces.
_CODE_FIELD = re.compile(
    r"(^|_)(id_number|phone|mobile|code|document_number|birth_month|email|postcode|tracking|ids)$"
)
# One-line names of people, bodies and places: no Cf, no controls, spaces collapsed, never NFKC.
_NAME_FIELD = re.compile(
    r"(^|_)(name|names|contact_person|signer|leader|author|organizer|ethnicity|native_place|workplace"
    r"|delegation|township|issuing_body|replier|answerer|q)$"
)
# Inputs that must reach their check exactly as typed: secrets, and the username of a login (the audit
# log keeps a failed login's username as typed, on purpose).
_RAW_FIELD = re.compile(r"(password|token|secret|^username$|^otp$)")


def input_kind(name: str) -> str:
    """ "code", "name", "raw" or "text" for an input field called `name` (form field or schema field)."""
    if _RAW_FIELD.search(name):
        return "raw"
    if _CODE_FIELD.search(name):
        return "code"
    if _NAME_FIELD.search(name):
        return "name"
    return "text"


def clean_input(name: str, value, *, multiline: bool = True):
    """A text input as the boundary passes it on: codes `clean_code`, names `clean_name`, free text
    `clean_text` (one line unless `multiline`). Non-strings and raw inputs are returned unchanged.

    Codes with spaces inside keep them out (１３９ ０８５７ → 13908571234); a `document_number` like
    大人常任〔２０２２〕\u200b１号 becomes 大人常任〔2022〕1号.
    """
    if not isinstance(value, str):
        return value
    kind = input_kind(name)
    if kind == "raw":
        return value
    if kind == "code":
        return clean_code(value)
    if kind == "name":
        return clean_name(value)
    return clean_text(value, multiline=multiline)
