"""What a briefing says about a count, in the reader's language.

Only figure lines are written here, from templates, never by machine translation: a translator
may drop a hedge or garble a number, and these lines are claims. English and Spanish today; other
languages fall back to English.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from polybrief.core.dates import short
from polybrief.core.document import Cluster

from .record import FigureRecord, FigureReport
from .tracking import Figure, FigureTrack

__all__ = ["LABELS", "Said", "change_statement", "conflict_statement", "day", "localized_lines", "spans_years"]


class Said(NamedTuple):
    """What a line needs of one report: from a Figure, or from the JSON record a briefing keeps."""

    value: float
    written: str
    date: dt.date | None
    doc_number: int

    @classmethod
    def of(cls, figure: Figure | FigureReport) -> Said:
        if isinstance(figure, FigureReport):
            date = dt.date.fromisoformat(figure.date) if figure.date else None
            return cls(figure.value, figure.written, date, figure.source)
        return cls(figure.value, figure.written, figure.date, figure.doc_number)

LABELS = {
    "en": {"deaths": "the reported death toll", "injured": "the number reported injured",
           "missing": "the number reported missing", "displaced": "the number reported evacuated or displaced",
           "arrested": "the number reported arrested"},
    "es": {"deaths": "el número de muertos informado", "injured": "el número de heridos informado",
           "missing": "el número de desaparecidos informado",
           "displaced": "el número de evacuados o desplazados informado",
           "arrested": "el número de detenidos informado"},
}
HEDGES_ES = {"at least": "al menos", "more than": "más de", "over": "más de", "as many as": "hasta",
             "up to": "hasta", "fewer than": "menos de", "less than": "menos de", "nearly": "casi",
             "almost": "casi", "close to": "cerca de", "about": "unos", "around": "unos", "some": "unos",
             "roughly": "unos", "approximately": "aproximadamente", "an estimated": "unos", "estimated": "unos"}
SCALES_ES = {"hundred": "cien", "thousand": "mil", "million": "millones", "billion": "mil millones"}
MONTHS_ES = "ene feb mar abr may jun jul ago sep oct nov dic".split()
WORDS = {
    "en": {"rose": "rose", "fell": "fell", "from": "from", "to": "to", "through": "through",
           "differ": "Reports differ on"},
    "es": {"rose": "subió", "fell": "bajó", "from": "de", "to": "a", "through": "pasando por",
           "differ": "Las fuentes difieren sobre"},
}
MAX_STEPS = 2  # values named between the first and the latest; more would bury the change


def _lang(language: str) -> str:
    return language if language in LABELS else "en"


def day(date: dt.date, span_years: bool, language: str = "en") -> str:
    """'31 Oct' ('31 oct' in Spanish), with the year when the cluster spans years."""
    if _lang(language) != "es":
        return short(date, span_years)
    return f"{date.day} {MONTHS_ES[date.month - 1]}" + (f" {date.year}" if span_years else "")


def spans_years(cluster: Cluster) -> bool:
    """Whether a cluster's dated articles span more than one year: then every date says its year."""
    return len({d.year for d in cluster.dates()}) > 1


def written(figure: Said, language: str = "en") -> str:
    """The value as the article wrote it, its hedge and scale words in the reader's language."""
    text = figure.written
    if _lang(language) != "es":
        return text
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", ".", text)  # 9,500 is 9.500 to a Spanish reader (9,5 would be a decimal)
    for english, spanish in sorted(HEDGES_ES.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(english + " "):
            text = spanish + text[len(english):]
            break
    for english, spanish in SCALES_ES.items():
        text = text.replace(f" {english}", f" {spanish}")
    return text


def _one_per_day(steps: list[Said], rises: bool) -> list[Said]:
    """The steps of a trend, one a day: the day's highest report for a rise, lowest for a fall (reports
    of one day that differ are a disagreement, said on its own line; "rose through 31, 27" reads as a fall)."""
    best: dict[dt.date | None, Said] = {}
    for step in steps:
        kept = best.get(step.date)
        if kept is None or (step.value > kept.value if rises else step.value < kept.value):
            best[step.date] = step
    return [s for s in steps if best[s.date] is s]


def change_statement(track: FigureTrack, span_years: bool, language: str = "en") -> str:
    """'The reported death toll rose from at least 231 (31 Oct) to more than 10,000 (6 Nov). [1, 4]'"""
    return change_line(track.kind, [Said.of(f) for f in track.changes], span_years, language)


def change_line(kind: str, changes: list[Said], span_years: bool, language: str = "en") -> str:
    """The change statement from the reports alone (the first report of each value, oldest first)."""
    lang = _lang(language)
    words = WORDS[lang]
    first, last = changes[0], changes[-1]
    rises = last.value > first.value
    verb = words["rose"] if rises else words["fell"]
    middle = _one_per_day(changes[1:-1], rises)
    steps = ", ".join(f"{written(f, lang)} ({day(f.date, span_years, lang)})" for f in middle)
    middle_text = f", {words['through']} {steps}," if steps and len(middle) <= MAX_STEPS else ""
    label = LABELS[lang][kind]
    cited = ", ".join(str(f.doc_number) for f in ([first, *middle, last] if middle_text else [first, last]))
    return (f"{label[0].upper()}{label[1:]} {verb} {words['from']} {written(first, lang)} "
            f"({day(first.date, span_years, lang)}){middle_text} {words['to']} {written(last, lang)} "
            f"({day(last.date, span_years, lang)}). [{cited}]")


def conflict_statement(track: FigureTrack, group: list[Figure], span_years: bool = False,
                       language: str = "en") -> str:
    """'Reports differ on the reported death toll (11 Jul): 31 [2] vs 27 [3].' Reports of different
    days each carry their date."""
    return conflict_line(track.kind, [Said.of(f) for f in group], span_years, language)


def conflict_line(kind: str, group: list[Said], span_years: bool = False, language: str = "en") -> str:
    """The conflict statement from the reports alone."""
    lang = _lang(language)
    one_day = len({f.date for f in group}) == 1
    when = f" ({day(group[0].date, span_years, lang)})" if one_day and group[0].date else ""

    def report(f: Said) -> str:
        dated = f" ({day(f.date, span_years, lang)})" if f.date and not one_day else ""
        return f"{written(f, lang)} [{f.doc_number}]{dated}"

    return f"{WORDS[lang]['differ']} {LABELS[lang][kind]}{when}: " + " vs ".join(map(report, group)) + "."


def localized_lines(record: FigureRecord, span_years: bool, language: str) -> dict[str, str | None]:
    """A figure record's printed trend and conflict, said again in ``language`` from its reports."""
    trend = change_line(record.kind, [Said.of(r) for r in record.changes], span_years, language) if record.trend \
        else None
    conflict = conflict_line(record.kind, [Said.of(r) for r in record.conflicts[0]], span_years,
                             language) if record.conflict else None
    return {"trend": trend, "conflict": conflict}
