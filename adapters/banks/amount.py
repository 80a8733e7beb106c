"""Amounts as exact ``Decimal`` from the many ways banks write them; never through float.

``parse_amount`` is strict: one optional sign (leading, trailing or parentheses), digits, the agreed
separators. Exponents, ``NaN``, ``Infinity`` and absurd magnitudes are refused with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

MAX_INTEGER_DIGITS = 15  # a quadrillion in any currency is a corrupt file, not a payment
_PLAIN = re.compile(rf"[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{1,8}})?")
_NOISE = str.maketrans("", "", " \u00a0\u202f\u2009'€$£¥₤₹₩₺₽₫₪")
_CURRENCY_CODE = re.compile(r"\s*[A-Za-z]{3}\s*$|^\s*[A-Za-z]{3}\s*")
_LAST_SEPARATOR = re.compile(r"[.,](\d+)$")


class AmountError(ValueError):
    pass


def parse_amount(text: str, decimal_separator: str = ".", thousands_separator: str = "") -> Decimal:
    if decimal_separator == "." and not thousands_separator and _PLAIN.fullmatch(text):
        return Decimal(text)  # already plain (XML formats write amounts so): nothing to undo
    raw = text.strip()
    if not raw:
        raise AmountError("the amount is empty")
    value = _CURRENCY_CODE.sub("", raw) if raw[-1:].isalpha() or raw[:1].isalpha() else raw
    value = value.translate(_NOISE).replace("\u2212", "-")  # U+2212 is the typographic minus
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.startswith(("-", "+")):
        negative, value = negative ^ (value[0] == "-"), value[1:]
    elif value.endswith(("-", "+")):
        negative, value = negative ^ (value[-1] == "-"), value[:-1]
    if thousands_separator and thousands_separator not in " \u00a0'":
        value = value.replace(thousands_separator, "")
    if decimal_separator != ".":
        if "." in value:
            raise AmountError(f"{raw!r} is not an amount with decimal {decimal_separator!r}")
        value = value.replace(decimal_separator, ".")
    if not _PLAIN.fullmatch(value):
        raise AmountError(f"{raw[:40]!r} is not a readable amount")
    amount = Decimal(value)
    return -amount if negative else amount


def infer_separators(values: Iterable[str]) -> tuple[str, str]:
    """(decimal, thousands) separators for a column, or ("", "") when it gives no evidence.

    A separator followed by other than three digits at the end is decimal; a value with both kinds
    settles which is which. ``1,234`` alone is ambiguous and does not vote.
    """
    comma = point = 0
    for raw in values:
        value = raw.strip().rstrip("-+)").translate(_NOISE)
        if "," in value and "." in value:
            if value.rfind(",") > value.rfind("."):
                comma += 1
            else:
                point += 1
            continue
        match = _LAST_SEPARATOR.search(value)
        if match and len(match.group(1)) != 3:
            if value[match.start()] == ",":
                comma += 1
            else:
                point += 1
    if comma and not point:
        return ",", "."
    if point and not comma:
        return ".", ","
    return "", ""
