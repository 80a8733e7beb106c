"""Reading CSV text into records that keep the line number they start on.

Also the two layout questions every CSV raises first: which delimiter, and which row is the header.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_LINES = 60


@dataclass(frozen=True, slots=True)
class CsvRecord:
    line_no: int  # 1-based physical line the record starts on
    cells: list[str]


class _Tap:
    """Feeds lines to ``csv.reader`` and counts them, so each record knows its first line (a
    quoted cell may span several)."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = iter(lines)
        self.consumed = 0

    def __iter__(self) -> _Tap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed += 1
        return line


class CsvRecordError(ValueError):
    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(reason)
        self.line_no = line_no
        self.reason = reason


def read_records(text: str, delimiter: str) -> Iterator[CsvRecord | CsvRecordError]:
    """Every record, or an error in its place for one the csv module cannot read."""
    tap = _Tap(text.splitlines(keepends=True))
    reader = csv.reader(tap, delimiter=delimiter, strict=True)
    while True:
        start = tap.consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield CsvRecordError(start, f"unreadable CSV record: {error}")
            continue
        yield CsvRecord(start, cells)


def sample_rows(text: str, delimiter: str, limit: int = _SAMPLE_LINES) -> list[CsvRecord]:
    head = "".join(text.splitlines(keepends=True)[:limit])
    return [
        record
        for record in read_records(head, delimiter)
        if isinstance(record, CsvRecord) and any(cell.strip() for cell in record.cells)
    ]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most sample lines into the same, largest number of cells."""
    best, best_score = ",", (0, 0)
    lines = [line for line in text.splitlines()[:_SAMPLE_LINES] if line.strip()]
    for delimiter in DELIMITERS:
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width, frequency = counts.most_common(1)[0] if counts else (1, 0)
        score = (frequency, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
