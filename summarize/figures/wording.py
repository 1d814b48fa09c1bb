"""What a briefing says about a count, in the reader's language.

Only figure lines are written here, from templates, never by machine translation: a translator
may drop a hedge or garble a number, and these lines are claims. English and Spanish today; other
languages fall back to English.
"""
from __future__ import annotations

import datetime as dt

from .tracking import Figure, FigureTrack

__all__ = ["change_statement", "conflict_statement", "LABELS"]

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
    month = MONTHS_ES[date.month - 1] if _lang(language) == "es" else date.strftime("%b")
    return f"{date.day} {month}" + (f" {date.year}" if span_years else "")


def written(figure: Figure, language: str = "en") -> str:
    """The value as the article wrote it, its hedge and scale words in the reader's language."""
    text = figure.written
    if _lang(language) != "es":
        return text
    for english, spanish in sorted(HEDGES_ES.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(english + " "):
            text = spanish + text[len(english):]
            break
    for english, spanish in SCALES_ES.items():
        text = text.replace(f" {english}", f" {spanish}")
    return text


def change_statement(track: FigureTrack, span_years: bool, language: str = "en") -> str:
    """'The reported death toll rose from at least 231 (31 Oct) to more than 10,000 (6 Nov).'"""
    lang = _lang(language)
    words = WORDS[lang]
    first, last = track.changes[0], track.latest
    verb = words["rose"] if last.value > first.value else words["fell"]
    middle = [f for f in track.changes[1:] if f is not last]
    steps = ", ".join(f"{written(f, lang)} ({day(f.date, span_years, lang)})" for f in middle)
    middle_text = f", {words['through']} {steps}," if steps and len(middle) <= MAX_STEPS else ""
    label = LABELS[lang][track.kind]
    cited = ", ".join(str(f.doc_number) for f in [first, *middle, last] if middle_text or f in (first, last))
    return (f"{label[0].upper()}{label[1:]} {verb} {words['from']} {written(first, lang)} "
            f"({day(first.date, span_years, lang)}){middle_text} {words['to']} {written(last, lang)} "
            f"({day(last.date, span_years, lang)}). [{cited}]")


def conflict_statement(track: FigureTrack, group: list[Figure], span_years: bool = False,
                       language: str = "en") -> str:
    """'Reports differ on the reported death toll (11 Jul): 31 [2] vs 27 [3].' Reports of different
    days each carry their date."""
    lang = _lang(language)
    one_day = len({f.date for f in group}) == 1
    when = f" ({day(group[0].date, span_years, lang)})" if one_day and group[0].date else ""

    def report(f: Figure) -> str:
        dated = f" ({day(f.date, span_years, lang)})" if f.date and not one_day else ""
        return f"{written(f, lang)} [{f.doc_number}]{dated}"

    return f"{WORDS[lang]['differ']} {LABELS[lang][track.kind]}{when}: " + " vs ".join(map(report, group)) + "."
