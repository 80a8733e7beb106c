"""Validation of text that people and banks give us: names, payees, notes, tags, IBANs.

Text is stripped; control characters (U+0000-U+001F, U+007F) and strings that cannot be encoded as
UTF-8 (lone surrogates) are refused, as is anything over its field's length limit. Multi-line
fields (description, notes) accept line breaks and tabs. Ordinary Unicode is welcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from domain.errors import InvalidText

NAME_MAX_LENGTH = 200  # names, payees, counterparties, memos, bank references
DESCRIPTION_MAX_LENGTH = 1000
NOTES_MAX_LENGTH = 4000
TAG_MAX_LENGTH = 50
MAX_TAGS = 20

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def clean_text(
    value: str, *, field: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """``value`` stripped, or ``InvalidText`` naming ``field``."""
    # Length first, so a huge string costs no more than this comparison and one strip.
    stripped = value.strip()
    if len(stripped) > max_length:
        raise InvalidText(field, f"longer than {max_length} characters")
    if required and not stripped:
        raise InvalidText(field, "must not be empty")
    control = _CONTROL_EXCEPT_LINE_BREAKS if multiline else _CONTROL
    if control.search(stripped):
        raise InvalidText(field, "contains control characters")
    try:
        stripped.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidText(field, "is not valid Unicode text") from None
    return stripped


def clean_name(value: str, *, field: str = "name") -> str:
    return clean_text(value, field=field, max_length=NAME_MAX_LENGTH, required=True)


def clean_payee(value: str) -> str:
    return clean_text(value, field="payee", max_length=NAME_MAX_LENGTH)


def clean_counterparty_name(value: str) -> str:
    return clean_text(value, field="counterparty_name", max_length=NAME_MAX_LENGTH)


def clean_description(value: str) -> str:
    return clean_text(value, field="description", max_length=DESCRIPTION_MAX_LENGTH, multiline=True)


def clean_notes(value: str) -> str:
    return clean_text(value, field="notes", max_length=NOTES_MAX_LENGTH, multiline=True)


def clean_external_reference(value: str | None) -> str | None:
    """A bank's reference for a line; ``None`` when it gave none, never blank."""
    if value is None:
        return None
    return clean_text(value, field="external_reference", max_length=NAME_MAX_LENGTH, required=True)


def clean_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Each tag cleaned, duplicates dropped (first one kept), at most ``MAX_TAGS``."""
    tags = tuple(dict.fromkeys(clean_tag(value) for value in values))
    if len(tags) > MAX_TAGS:
        raise InvalidText("tags", f"more than {MAX_TAGS} tags")
    return tags


def clean_tag(value: str) -> str:
    return clean_text(value, field="tag", max_length=TAG_MAX_LENGTH, required=True)


def normalise_iban(value: str) -> str:
    """The IBAN in its electronic form (upper case, no spaces), checked with ISO 13616 mod 97."""
    iban = "".join(value.split()).upper()
    if not _IBAN.fullmatch(iban):
        raise InvalidText("iban", "is not an IBAN")
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)  # A=10 ... Z=35
    if int(digits) % 97 != 1:
        raise InvalidText("iban", "has a wrong check digit")
    return iban
