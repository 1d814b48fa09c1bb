"""Briefings as Markdown for people and JSON for programs.

Article text is data, not markup: angle brackets are escaped so an article carrying
HTML or script stays inert in any Markdown viewer.
"""
from __future__ import annotations

import datetime as dt
import json

from polybrief.core.markdown import inert, mt_label

from .briefing import Briefing, Item, Source
from .figures.wording import day
from .notes import localized_note

HEADINGS = {  # what the renderer itself writes, in the briefing's language (English otherwise)
    "en": {"briefing": "Briefing", "sources": "Sources", "note": "Note", "reported": "reported",
           "columns": "| # | article | title | words | language | machine-translated | trust |", "date": " date |",
           "unsupported": "[no supporting article]",
           "extractive": ("_Extractive briefing by `{method}`: every sentence is quoted from the articles (or "
                          "translated from them, as noted); numbers in brackets cite the articles that report it._"),
           "abstractive": ("_Abstractive briefing by `{method}`: generated text, not quotations; numbers in "
                           "brackets cite the articles that say the same._")},
    "es": {"briefing": "Resumen", "sources": "Fuentes", "note": "Nota", "reported": "publicado",
           "columns": "| # | artículo | título | palabras | idioma | traducción automática | confianza |",
           "date": " fecha |", "unsupported": "[ningún artículo lo respalda]",
           "extractive": ("_Resumen extractivo por `{method}`: cada frase se cita de los artículos (o se tradujo de "
                          "ellos, como se indica); los números entre corchetes citan los artículos que lo informan._"),
           "abstractive": ("_Resumen abstractivo por `{method}`: texto generado, no citas; los números entre "
                           "corchetes citan los artículos que dicen lo mismo._")},
}


def _words(briefing: Briefing) -> dict[str, str]:
    return HEADINGS.get(briefing.language, HEADINGS["en"])


def _citation(item: Item, numbers: dict[str, int], unsupported: str = HEADINGS["en"]["unsupported"]) -> str:
    if not item.cited:
        return unsupported
    return "[" + ", ".join(str(numbers[d]) for d in item.cited) + "]"


def _trust_cell(source: Source) -> str:
    """'check before quoting: reason' for a translated source, '' for a native one."""
    if not source.verdict:
        return ""
    return inert(f"{source.verdict} ({source.verdict_reason})" if source.verdict_reason else source.verdict)


def _footer(briefing: Briefing) -> str:
    words = _words(briefing)
    return words["abstractive" if briefing.abstractive else "extractive"].format(method=inert(briefing.method))


def _when(item: Item, briefing: Briefing) -> str:
    """' _(reported 31 Oct)_' when the cluster spans more than a day and the item's article is dated."""
    dates = {s.date for s in briefing.sources if s.date}
    if len(dates) < 2 or not item.reported:
        return ""
    years = {d[:4] for d in dates}
    reported = day(dt.date.fromisoformat(item.reported), len(years) > 1, briefing.language)
    return f" _({_words(briefing)['reported']} {reported})_"


def _date_cell(source: Source) -> str:
    return f"{source.date}{' (from text)' if source.date_from_text else ''}" if source.date else ""


def to_markdown(briefing: Briefing) -> str:
    numbers = {s.doc_id: s.number for s in briefing.sources}
    words = _words(briefing)
    topic = f" ({inert(briefing.topic)})" if briefing.topic else ""
    headline = briefing.headline
    lines = [f"# {words['briefing']}: {inert(briefing.cluster_id)}{topic}", "",
             f"**{inert(headline.text)}** {_citation(headline, numbers, words['unsupported'])}"
             f"{_when(headline, briefing)}", ""]
    lines += [f"- _{inert(f.trend)}_" for f in briefing.figures if f.trend]  # how the headline's count moved
    lines += [f"- {inert(b.text)} {_citation(b, numbers, words['unsupported'])}{_when(b, briefing)}"
              for b in briefing.bullets]
    lines += [f"- _{inert(f.conflict)}_" for f in briefing.figures if f.conflict]
    dated = any(s.date for s in briefing.sources)  # undated clusters keep the table they always had
    lines += ["", f"## {words['sources']}", "", words["columns"] + (words["date"] if dated else ""),
              "|---|---|---|---|---|---|---|" + ("---|" if dated else "")]
    for s in briefing.sources:
        lines.append(f"| {s.number} | {inert(s.doc_id)} | {inert(s.title or '')} | {s.words} | "
                     f"{s.language or '?'} | {mt_label(s.machine_translated, s.source_language)} | "
                     f"{_trust_cell(s)} |" + (f" {_date_cell(s)} |" if dated else ""))
    lines += [""] + [f"_{words['note']}: {inert(localized_note(n, briefing.language))}_" for n in briefing.notes]
    lines.append(_footer(briefing))
    return "\n".join(lines).rstrip() + "\n"


def to_json(briefing: Briefing) -> str:
    return json.dumps(briefing.to_dict(), ensure_ascii=False)


__all__ = ["HEADINGS", "to_json", "to_markdown"]
