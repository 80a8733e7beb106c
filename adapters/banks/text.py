"""Text from a statement, made safe to store and show while staying faithful to what the bank wrote.

Control characters are dropped, whitespace is collapsed, and a text that starts like a spreadsheet
formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe so it can never run as one when the
ledger is exported again. Amounts never pass through here: their sign is meaningful.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and fullwidth
_CONTROLS = {
    code: " "
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)
    if code not in (0x09, 0x0A, 0x0D)
}
_CONTROLS.update({0x200B: "", 0x200E: "", 0x200F: "", 0x202A: "", 0x202B: "", 0x202C: ""})
_CONTROLS.update({0x202D: "", 0x202E: "", 0x2066: "", 0x2067: "", 0x2068: "", 0x2069: ""})
_CONTROLS.update({0xFEFF: ""})
_TABLE = str.maketrans(_CONTROLS)


def clean_text(value: str | None) -> str:
    """Drop control and bidi-override characters, collapse whitespace, strip, NFC-normalise."""
    if not value:
        return ""
    plain = value.isprintable() and "  " not in value and value.strip() == value
    if plain and (value.isascii() or unicodedata.is_normalized("NFC", value)):
        return value  # the common case, with nothing to clean
    text = " ".join(value.translate(_TABLE).split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def safe_text(value: str | None) -> str:
    """``clean_text``, then neutralise a leading formula character."""
    text = clean_text(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def clean_reference(value: str | None) -> str | None:
    """A bank's id: cleaned, and ``None`` when empty or a "not provided" placeholder."""
    text = safe_text(value)
    if not text or text.upper() in {"NOTPROVIDED", "NONREF", "NONE", "N/A"}:
        return None
    return text


def clean_iban(value: str | None) -> str:
    """An account number without spaces, upper case; IBANs are compared in this form.

    Anything but letters, digits and the separators banks use is kept as neutralised text."""
    text = "".join(clean_text(value).split()).upper()
    if text.replace("/", "").replace("-", "").isalnum() and text[:1].isalnum():
        return text
    return safe_text(value)


def clean_currency(value: str | None) -> str | None:
    """An ISO 4217 code, ``None`` when absent; anything else is an error for that line."""
    text = clean_text(value).upper()
    if not text:
        return None
    if len(text) != 3 or not text.isascii() or not text.isalpha():
        raise ValueError(f"{text[:12]!r} is not a currency code")
    return text


def account_iban(value: str | None) -> str | None:
    """The IBAN in an account field (some banks append the currency: ``NL20INGB…4567EUR``)."""
    text = clean_iban(value)
    for candidate in (text, text[:-3]):
        if _is_iban(candidate):
            return candidate
    return None


def _is_iban(text: str) -> bool:
    if not 15 <= len(text) <= 34 or not text[:2].isalpha() or not text[2:4].isdigit():
        return False
    if not text.isalnum() or not text.isascii():
        return False
    digits = "".join(str(int(char, 36)) for char in text[4:] + text[:4])
    return int(digits) % 97 == 1


def only_value(values: Iterable[str | None]) -> str | None:
    """The one distinct non-empty value, or None when there is none or several: a statement
    names its account (or currency) only when all of its parts agree."""
    distinct = {value for value in values if value}
    return distinct.pop() if len(distinct) == 1 else None
