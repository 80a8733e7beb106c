"""A ``CsvMapping`` as plain JSON-able data (stored on the batch, remembered per account)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from application.errors import InvalidChoice
from application.statement import AmountSign, CsvMapping
from domain.errors import RuleBroken

_TUPLES = {"description_columns", "debit_markers", "pending_markers"}


class InvalidMapping(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"CSV mapping refused: {reason}")


def mapping_to_dict(mapping: CsvMapping) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in fields(CsvMapping):
        value = getattr(mapping, field.name)
        if isinstance(value, AmountSign):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        data[field.name] = value
    return data


def mapping_from_dict(data: dict[str, Any]) -> CsvMapping:
    known = {field.name for field in fields(CsvMapping)}
    unknown = set(data) - known
    if unknown:
        raise InvalidMapping(f"unknown fields {', '.join(sorted(unknown))}")
    values = dict(data)
    for name in _TUPLES & set(values):
        values[name] = tuple(str(v) for v in values[name])
    if "sign" in values:
        try:
            values["sign"] = AmountSign(values["sign"])
        except ValueError:
            raise InvalidChoice("sign", [s.value for s in AmountSign]) from None
    try:
        mapping = CsvMapping(**values)
    except TypeError as error:
        raise InvalidMapping(str(error)) from None
    if not mapping.date_column or not mapping.amount_column or not mapping.date_format:
        raise InvalidMapping("date_column, amount_column and date_format are required")
    if len(mapping.delimiter) != 1:
        raise InvalidMapping("the delimiter is one character")
    return mapping
