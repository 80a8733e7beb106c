"""Dates in the layouts banks use, and choosing the layout from a whole column, never one value.

A column of ``03/04/2024``-style dates is read day-first or month-first only if some value proves it
(a part above 12); if no value does, the column is ambiguous and the caller must refuse, not guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

from application.statement import StatementRejected

DateParser = Callable[[str], date]

# Candidate layouts, most specific first. Two-digit years are read as 2000-2069 / 1970-1999.
CANDIDATE_FORMATS = (
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d-%m-%Y",
    "%m-%d-%Y",
)
MIN_SHARE = 0.8  # below this share of readable values the column is not a date column
_PROBE = 64
_CACHE_SIZE = 4096
_PART = re.compile(r"%[dmYy]")
_DAY_MONTH_SWAPS = {("%d/%m/%Y", "%m/%d/%Y"), ("%d/%m/%y", "%m/%d/%y"), ("%d-%m-%Y", "%m-%d-%Y")}


def date_parser(fmt: str) -> DateParser:
    """A fast, strict parser for ``fmt``; unusual formats fall back to ``strptime``."""
    parts = _PART.findall(fmt)
    separators = set(_PART.sub("\x00", fmt).split("\x00")) - {""}
    if sorted(parts, key=str.lower) != ["%d", "%m", "%Y"] and sorted(parts) != ["%d", "%m", "%y"]:
        return lambda text: datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
    if len(separators) > 1:
        return lambda text: datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
    separator = separators.pop() if separators else ""
    order = tuple(part[1] for part in parts)
    seen: dict[str, date] = {}  # statements repeat the same few hundred days

    def cached(text: str) -> date:
        found = seen.get(text)
        if found is None:
            if len(seen) > _CACHE_SIZE:
                seen.clear()
            found = seen[text] = parse(text)
        return found

    def parse(text: str) -> date:
        value = text.strip()
        if separator:
            pieces = value.split(separator)
        else:
            if len(value) != 8 or not value.isdigit():
                raise ValueError(f"{value!r} is not a date in format {fmt}")
            pieces = [value[0:4], value[4:6], value[6:8]]  # %Y%m%d is the only unseparated layout
        if len(pieces) != 3 or not all(p.isdigit() and 0 < len(p) <= 4 for p in pieces):
            raise ValueError(f"{value[:20]!r} is not a date in format {fmt}")
        fields = dict(zip(order, pieces, strict=True))
        year_text = fields.get("Y") or fields["y"]
        if ("Y" in fields) != (len(year_text) == 4) or ("y" in fields and len(year_text) != 2):
            raise ValueError(f"{value!r} is not a date in format {fmt}")
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000 if year < 70 else 1900
        return date(year, int(fields["m"]), int(fields["d"]))

    return cached


def infer_date_format(values: Iterable[str], what: str = "date column") -> str:
    """The layout most values fit (the rest become line errors); refuse ambiguity, never guess."""
    samples = [value.strip() for value in values if value.strip()]
    if not samples:
        raise StatementRejected(f"The {what} is empty.")
    head = samples[:_PROBE]  # layouts that fail the first values are not counted over them all
    probed = [
        f for f in CANDIDATE_FORMATS if fit_count(date_parser(f), head) >= len(head) * MIN_SHARE
    ]
    scores = {
        fmt: fit_count(date_parser(fmt), samples) if fmt in probed else 0
        for fmt in CANDIDATE_FORMATS
    }
    best = max(scores.values())
    if best == 0 or best < len(samples) * MIN_SHARE:
        raise StatementRejected(
            f"The {what} has values such as {samples[0][:20]!r} that are not a recognised date."
        )
    fitting = [fmt for fmt in CANDIDATE_FORMATS if scores[fmt] == best]
    if len(fitting) > 1 and tuple(fitting[:2]) in _DAY_MONTH_SWAPS:
        raise StatementRejected(
            f"The {what} is ambiguous: every value (e.g. {samples[0]!r}) reads both day-first and "
            "month-first. Choose the date format in the column mapping."
        )
    return fitting[0]


def fit_count(parse: DateParser, samples: list[str]) -> int:
    count = 0
    for sample in samples:
        try:
            parse(sample)
        except ValueError:
            continue
        count += 1
    return count
