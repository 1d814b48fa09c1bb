"""Article dates: read from what the input states, or from an unambiguous date in the text itself.

A date is only as good as its reading. ISO dates (2024-10-31, with or without a time), and dates
that name the month (31 Oct 2024, October 31, 2024) read one way only; 03/04/2024 reads two ways
and is refused rather than guessed. A number or a list where a date belongs, a date in the future,
and a date found in the text (not stated) are each kept with a note a reader sees, never silently.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b")
NAMED = re.compile(rf"\b(?:(\d{{1,2}})\s+({MONTHS})\.?,?\s+(\d{{4}})|({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                   rf"(\d{{4}}))\b", re.IGNORECASE)
NUMERIC = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
TEXT_LINES = 3  # a dateline sits in the first lines of an article; later dates are about other things
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ON_WEEKDAY = re.compile(rf"\bon\s+({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)


def _month(name: str) -> int:
    return [m[:3] for m in MONTHS.split("|")[:12]].index(name[:3].lower()) + 1


def _from_match(text: str) -> dt.date | None:
    """The first unambiguous date written in ``text`` (ISO or with the month named), else None."""
    found = []
    for match in ISO.finditer(text):
        found.append((match.start(), (int(match[1]), int(match[2]), int(match[3]))))
    for match in NAMED.finditer(text):
        day, month, year = (match[1], match[2], match[3]) if match[1] else (match[5], match[4], match[6])
        found.append((match.start(), (int(year), _month(month), int(day))))
    for _, (year, month, day) in sorted(found):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def parse_date(value: Any, today: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """(date, note) for a stated date field; the note says why a value was not used or is odd."""
    today = today or dt.date.today()
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        date = value
    elif isinstance(value, bool) or not isinstance(value, str):
        kind = "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__
        return None, f"date {value!r} is a {kind}, not a date; ignored"
    else:
        numeric = NUMERIC.match(value)
        if numeric and int(numeric[1]) <= 12 and int(numeric[2]) <= 12 and numeric[1] != numeric[2]:
            return None, f"date {value!r} reads as day/month or month/day; write it as YYYY-MM-DD"
        if numeric:
            first, second = int(numeric[1]), int(numeric[2])
            day, month = (first, second) if first > 12 else (second, first)
            value = f"{numeric[3]}-{month:02d}-{day:02d}"
        date = _from_match(value)
        if date is None:
            return None, f"date {value!r} is not a date polybrief can read (use YYYY-MM-DD); ignored"
    if date > today:
        return date, f"date {date.isoformat()} is in the future; kept as given"
    return date, None


def date_in_text(text: str) -> dt.date | None:
    """An unambiguous date in an article's first lines (its dateline), else None."""
    return _from_match("\n".join(text.splitlines()[:TEXT_LINES]))


def weekday_in_text(text: str) -> int | None:
    """The weekday (0 = Monday) an article's first lines say its news happened on ("on Friday"), when
    they name exactly one; None when they name none or several."""
    lead = "\n".join(text.splitlines()[:TEXT_LINES])
    days = {WEEKDAYS.index(match[1].lower()) for match in ON_WEEKDAY.finditer(lead)}
    return days.pop() if len(days) == 1 else None


def resolve_weekday(weekday: int, stated: list[dt.date]) -> dt.date | None:
    """The one date with that weekday from a day before the earliest stated date of the cluster to a
    day after the latest; None without stated dates or when the window holds several (a week or more)."""
    if not stated:
        return None
    start, end = min(stated) - dt.timedelta(days=1), max(stated) + dt.timedelta(days=1)
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    matching = [d for d in days if d.weekday() == weekday]
    return matching[0] if len(matching) == 1 else None


def short(date: dt.date, span_years: bool = False) -> str:
    """'31 Oct' (or '31 Oct 2024' when a cluster spans years): how a bullet says when it was reported."""
    return f"{date.day} {date.strftime('%b')}" + (f" {date.year}" if span_years else "")


__all__ = ["ISO", "MONTHS", "NAMED", "NUMERIC", "ON_WEEKDAY", "TEXT_LINES", "WEEKDAYS", "date_in_text",
           "parse_date", "resolve_weekday", "short", "weekday_in_text"]
