"""The periods of a report: counted without listing them, listed by fixed steps, bounded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from projections.errors import InvalidQuery
from projections.report_rules import MAX_POINTS, check_period, period_count, period_starts
from projections.reports import Interval

RANGES = [
    (date(2024, 1, 1), date(2024, 1, 1)),
    (date(2024, 1, 3), date(2024, 1, 7)),  # Wednesday to Sunday: one week
    (date(2024, 1, 7), date(2024, 1, 8)),  # Sunday to Monday: two weeks
    (date(2023, 12, 31), date(2024, 3, 1)),  # over a year's end and a leap day
    (date(2021, 1, 1), date(2025, 12, 31)),  # five years
]


@pytest.mark.parametrize("interval", list(Interval))
@pytest.mark.parametrize(("date_from", "date_to"), RANGES)
def test_the_period_count_is_the_number_of_periods_listed(
    interval: Interval, date_from: date, date_to: date
) -> None:
    starts = period_starts(date_from, date_to, interval)

    assert period_count(date_from, date_to, interval) == len(starts)
    assert starts[0] <= date_from < (starts[1] if len(starts) > 1 else date_to + timedelta(1))
    assert starts[-1] <= date_to


def test_weekly_periods_start_on_the_monday_of_each_week() -> None:
    assert period_starts(date(2024, 1, 3), date(2024, 1, 22), Interval.WEEK) == [
        date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15), date(2024, 1, 22),
    ]  # fmt: skip


@pytest.mark.parametrize(("interval", "unit"), [(Interval.DAY, 1), (Interval.WEEK, 7)])
def test_a_period_of_max_points_is_accepted_and_one_more_is_refused(
    interval: Interval, unit: int
) -> None:
    first = date(2000, 1, 3)  # a Monday
    check_period(first, first + timedelta(days=unit * MAX_POINTS - 1), interval)
    with pytest.raises(InvalidQuery, match="date_to"):
        check_period(first, first + timedelta(days=unit * MAX_POINTS), interval)


def test_listing_a_huge_range_stops_one_past_max_points() -> None:
    starts = period_starts(date(1900, 1, 1), date(2199, 12, 31), Interval.DAY)

    assert len(starts) == MAX_POINTS + 1
    assert starts[-1] == date(1900, 1, 1) + timedelta(days=MAX_POINTS)
