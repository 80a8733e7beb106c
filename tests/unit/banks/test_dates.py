"""Date layouts: strict parsing, and inference from a whole column without guessing."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.banks.dates import date_parser, infer_date_format
from application.statement import StatementRejected


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("%Y-%m-%d", "2024-02-29", date(2024, 2, 29)),
        ("%d.%m.%Y", "1.2.2024", date(2024, 2, 1)),
        ("%d.%m.%y", "31.12.99", date(1999, 12, 31)),
        ("%m/%d/%Y", "12/31/2024", date(2024, 12, 31)),
        ("%Y%m%d", "20240105", date(2024, 1, 5)),
        ("%d %b %Y", "05 Jan 2024", date(2024, 1, 5)),
    ],
)
def test_dates_are_read_in_the_given_layout(fmt: str, text: str, expected: date) -> None:
    assert date_parser(fmt)(text) == expected


@pytest.mark.parametrize(("fmt", "text"), [("%d/%m/%Y", "12/31/2024"), ("%d.%m.%Y", "01.02.24")])
def test_a_date_outside_its_layout_is_refused(fmt: str, text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        date_parser(fmt)(text)


def test_a_single_value_over_twelve_settles_the_whole_column() -> None:
    assert infer_date_format(["01/02/2024", "02/03/2024", "13/03/2024"]) == "%d/%m/%Y"
    assert infer_date_format(["01/02/2024", "02/13/2024"]) == "%m/%d/%Y"


def test_a_column_that_reads_both_ways_is_refused() -> None:
    with pytest.raises(StatementRejected, match="ambiguous"):
        infer_date_format(["01/02/2024", "02/03/2024"])
