"""Figures that move or disagree: the same quantity reported with different values.

A story that runs for days changes its numbers (a toll of 231 on 31 Oct, more than 10,000 by 6 Nov)
and same-day reports disagree (231 vs 357). A reader needs the latest figure first, how it
changed, and to be told when reports differ; an extractive briefing otherwise quotes whichever
sentence ranked highest. A figure here is a number in a sentence tied to one of a few kinds of
count that news reports track (deaths, injured, missing, displaced, arrested): the kind is named
by a word within a few words after the number ("231 people were confirmed dead") or just before it
("the death toll rose to 112"). Other numbers (years, speeds, amounts) are left alone: calling two
unrelated numbers a conflict would be worse than saying nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from polybrief.core.dates import MONTHS, short
from polybrief.core.document import Cluster
from polybrief.core.sentences import Sentence

KINDS = {  # a kind of count and the word stems that name it
    "deaths": ("dead", "die", "died", "kill", "death", "toll", "fatalit", "bodies", "lives"),
    "injured": ("injur", "wound", "hurt"),
    "missing": ("missing",),
    "displaced": ("evacuat", "displac", "homeless", "fled", "shelter"),
    "arrested": ("arrest", "detain"),
}
NUMBER = re.compile(r"(?<![\w.,])(?:(at least|more than|over|nearly|almost|about|around|some|up to)\s+)?"
                    r"(\d{1,3}(?:,\d{3})+|\d+)(?:\s+(thousand|million))?(?![\w.,]*\d)(?!\s*(?:degrees|km|kilomet|per|%))",
                    re.IGNORECASE)
WORD = re.compile(r"[a-z]+")
AFTER, BEFORE = 4, 8  # words after / before the number where the kind may be named
MONTH = re.compile(rf"^(?:{MONTHS})")
LABELS = {"deaths": "the reported death toll", "injured": "the number reported injured",
          "missing": "the number reported missing", "displaced": "the number reported evacuated or displaced",
          "arrested": "the number reported arrested"}
SCALE = {"thousand": 1_000, "million": 1_000_000}
# a sentence can hold a figure only if it has a digit and names a kind: two quick tests rule out most
DIGITS = "0123456789"
KIND_WORD = re.compile(r"\b(?:" + "|".join(stem for stems in KINDS.values() for stem in stems) + ")")  # on lower case


@dataclass
class Figure:
    """One reported count: its value as written, the number, the kind, and where it was said."""

    kind: str
    value: float
    written: str  # "more than 10,000"
    doc_id: str
    doc_number: int  # the article's place in the cluster, for citations
    sentence: int  # index of its sentence in the list given to track_figures
    date: dt.date | None


@dataclass
class FigureTrack:
    """Every report of one kind of count in a cluster, the latest, and where reports disagree."""

    kind: str
    reports: list[Figure]
    latest: Figure | None = None  # set when dated reports differ: the story moved
    changes: list[Figure] = field(default_factory=list)  # first report of each value, oldest first
    conflicts: list[list[Figure]] = field(default_factory=list)  # same day (or undated), different values


def kind_of(words_before: list[str], words_after: list[str]) -> str | None:
    """The kind named right after the number, else just before it."""
    for window in (words_after[:AFTER], list(reversed(words_before[-BEFORE:]))):
        for word in window:
            for kind, stems in KINDS.items():
                if word.startswith(stems):
                    return kind
    return None


def figures_in(sentence: Sentence, index: int, doc_number: int, date: dt.date | None) -> list[Figure]:
    text = sentence.text
    found: list[Figure] = []
    if not any(digit in text for digit in DIGITS) or not KIND_WORD.search(text.lower()):
        return found
    for match in NUMBER.finditer(text):
        number = float(match[2].replace(",", "")) * SCALE.get((match[3] or "").lower(), 1)
        if 1900 <= number <= 2100 and not match[1] and "," not in match[2]:
            continue  # a year
        before = WORD.findall(text[max(0, match.start() - 90):match.start()].lower())  # ~BEFORE words
        after = WORD.findall(text[match.end():match.end() + 60].lower())
        if (before and MONTH.match(before[-1])) or (after and MONTH.match(after[0])):
            continue  # the day of a date ("November 6, 2024", "6 Nov")
        kind = kind_of(before, after)
        if kind:
            written = " ".join(part for part in (match[1] and match[1].lower(), match[2], match[3]) if part)
            found.append(Figure(kind, number, written, sentence.doc_id, doc_number, index, date))
    return found


def track(kind: str, reports: list[Figure]) -> FigureTrack:
    """Latest value and change history when dated reports differ; conflicts within a day or undated."""
    result = FigureTrack(kind, reports)
    by_day: dict[dt.date | None, dict[float, Figure]] = {}
    for figure in reports:
        by_day.setdefault(figure.date, {}).setdefault(figure.value, figure)
    for values in by_day.values():
        if len(values) > 1:
            result.conflicts.append(sorted(values.values(), key=lambda f: f.doc_number))
    dated = sorted(d for d in by_day if d is not None)
    values_seen = {f.value for d in dated for f in by_day[d].values()}
    if len(dated) > 1 and len(values_seen) > 1:
        last_day = by_day[dated[-1]]
        result.latest = max(last_day.values(), key=lambda f: f.value) if len(last_day) > 1 else next(
            iter(last_day.values()))
        seen: set[float] = set()
        for day in dated:
            for figure in sorted(by_day[day].values(), key=lambda f: f.doc_number):
                if figure.value not in seen:
                    seen.add(figure.value)
                    result.changes.append(figure)
    return result


def track_figures(cluster: Cluster, sentences: list[Sentence]) -> list[FigureTrack]:
    """Tracks for every kind of count reported with more than one value, most-reported first."""
    number_of = {d.doc_id: i + 1 for i, d in enumerate(cluster.documents)}
    date_of = {d.doc_id: d.date for d in cluster.documents}
    reports: dict[str, list[Figure]] = {}
    for index, sentence in enumerate(sentences):
        for figure in figures_in(sentence, index, number_of[sentence.doc_id], date_of[sentence.doc_id]):
            reports.setdefault(figure.kind, []).append(figure)
    tracks = [track(kind, found) for kind, found in reports.items() if len({f.value for f in found}) > 1]
    return sorted((t for t in tracks if t.latest or t.conflicts), key=lambda t: -len(t.reports))


def change_statement(track: FigureTrack, span_years: bool) -> str:
    """'The reported death toll rose from at least 231 (31 Oct) to more than 10,000 (6 Nov).'"""
    first, last = track.changes[0], track.latest
    direction = "rose" if last.value > first.value else "fell" if last.value < first.value else "changed"
    steps = ", ".join(f"{f.written} ({short(f.date, span_years)})" for f in track.changes[1:] if f is not last)
    middle = f", through {steps}," if steps else ""
    label = LABELS[track.kind]
    return (f"{label[0].upper()}{label[1:]} {direction} from {first.written} ({short(first.date, span_years)})"
            f"{middle} to {last.written} ({short(last.date, span_years)}).")


def conflict_statement(track: FigureTrack, group: list[Figure], span_years: bool = False) -> str:
    """'Reports differ on the reported death toll: at least 18 [1] vs 21 [2].'"""
    when = f" ({short(group[0].date, span_years)})" if group[0].date else ""
    return (f"Reports differ on {LABELS[track.kind]}{when}: "
            + " vs ".join(f"{f.written} [{f.doc_number}]" for f in group) + ".")
