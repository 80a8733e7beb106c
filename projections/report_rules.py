"""Checks for the report queries (balances, series, category totals, cash flow).

They reuse the list's rules (``query_rules``: date bounds, inverted ranges) and add what a chart
needs: a period of at most ``MAX_POINTS`` points for its interval.
"""

from __future__ import annotations

from datetime import date, timedelta

from projections.errors import InvalidQuery
from projections.query_rules import check_date, check_range
from projections.reports import Interval

MAX_POINTS = 4000  # ten years of days; a century of months
_DAYS = {Interval.DAY: 1, Interval.WEEK: 7}


def check_interval(interval: str) -> Interval:
    try:
        return Interval(interval)
    except ValueError:
        choices = ", ".join(i.value for i in Interval)
        raise InvalidQuery("interval", f"must be one of {choices}") from None


def check_as_of(as_of: date | None) -> None:
    check_date("as_of", as_of)


def check_period(date_from: date, date_to: date, interval: Interval = Interval.MONTH) -> None:
    check_date("date_from", date_from)
    check_date("date_to", date_to)
    check_range("date_from", date_from, "date_to", date_to)
    if period_count(date_from, date_to, interval) > MAX_POINTS:
        raise InvalidQuery("date_to", f"at most {MAX_POINTS} {interval.value}s in one query")


def period_count(date_from: date, date_to: date, interval: Interval) -> int:
    """How many periods overlap ``date_from``..``date_to``, counted without listing them."""
    first, last = period_start(date_from, interval), period_start(date_to, interval)
    if interval is Interval.MONTH:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // _DAYS[interval] + 1


def period_start(day: date, interval: Interval) -> date:
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day


def period_starts(date_from: date, date_to: date, interval: Interval) -> list[date]:
    """The start of every period that overlaps ``date_from``..``date_to``, bounded to one more
    than ``MAX_POINTS`` so that a huge range is refused without building it."""
    current = period_start(date_from, interval)
    if interval is not Interval.MONTH:  # days and weeks are fixed steps of day ordinals
        step = _DAYS[interval]
        stop = min(date_to.toordinal(), current.toordinal() + step * MAX_POINTS)
        return [date.fromordinal(n) for n in range(current.toordinal(), stop + 1, step)]
    starts: list[date] = []
    while current <= date_to and len(starts) <= MAX_POINTS:
        starts.append(current)
        current = next_period(current, interval)
    return starts


def next_period(start: date, interval: Interval) -> date:
    if interval is Interval.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=_DAYS[interval])
