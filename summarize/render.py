"""Briefings as Markdown for people and JSON for programs.

Article text is data, not markup: angle brackets are escaped so an article carrying
HTML or script stays inert in any Markdown viewer.
"""
from __future__ import annotations

import datetime as dt
import json

from polybrief.core.dates import short
from polybrief.core.markdown import inert, mt_label

from .briefing import Briefing, Item, Source


def _citation(item: Item, numbers: dict[str, int]) -> str:
    if not item.cited:
        return "[no supporting article]"
    return "[" + ", ".join(str(numbers[d]) for d in item.cited) + "]"


def _trust_cell(source: Source) -> str:
    """'check before quoting: reason' for a translated source, '' for a native one."""
    if not source.verdict:
        return ""
    return inert(f"{source.verdict} ({source.verdict_reason})" if source.verdict_reason else source.verdict)


def _footer(briefing: Briefing) -> str:
    if briefing.abstractive:
        return (f"_Abstractive briefing by `{inert(briefing.method)}`: generated text, not quotations; numbers in "
                "brackets cite the articles that say the same._")
    return (f"_Extractive briefing by `{briefing.method}`: every sentence is quoted from the articles (or "
            "translated from them, as noted); numbers in brackets cite the articles that report it._")


def _when(item: Item, briefing: Briefing) -> str:
    """' _(reported 31 Oct)_' when the cluster spans more than a day and the item's article is dated."""
    dates = {s.date for s in briefing.sources if s.date}
    if len(dates) < 2 or not item.reported:
        return ""
    years = {d[:4] for d in dates}
    return f" _(reported {short(dt.date.fromisoformat(item.reported), len(years) > 1)})_"


def _date_cell(source: Source) -> str:
    return f"{source.date}{' (from text)' if source.date_from_text else ''}" if source.date else ""


def to_markdown(briefing: Briefing) -> str:
    numbers = {s.doc_id: s.number for s in briefing.sources}
    topic = f" ({inert(briefing.topic)})" if briefing.topic else ""
    headline = briefing.headline
    lines = [f"# Briefing: {inert(briefing.cluster_id)}{topic}", "",
             f"**{inert(headline.text)}** {_citation(headline, numbers)}{_when(headline, briefing)}", ""]
    lines += [f"- _{inert(f['trend'])}_" for f in briefing.figures if f.get("trend")]  # how the headline's count moved
    lines += [f"- {inert(b.text)} {_citation(b, numbers)}{_when(b, briefing)}" for b in briefing.bullets]
    lines += [f"- _{inert(f['conflict'])}_" for f in briefing.figures if f.get("conflict")]
    dated = any(s.date for s in briefing.sources)  # undated clusters keep the table they always had
    lines += ["", "## Sources", "", "| # | article | title | words | language | machine-translated | trust |"
              + (" date |" if dated else ""), "|---|---|---|---|---|---|---|" + ("---|" if dated else "")]
    for s in briefing.sources:
        lines.append(f"| {s.number} | {inert(s.doc_id)} | {inert(s.title or '')} | {s.words} | "
                     f"{s.language or '?'} | {mt_label(s.machine_translated, s.source_language)} | "
                     f"{_trust_cell(s)} |" + (f" {_date_cell(s)} |" if dated else ""))
    lines += [""] + [f"_Note: {inert(n)}_" for n in briefing.notes]
    lines.append(_footer(briefing))
    return "\n".join(lines).rstrip() + "\n"


def to_json(briefing: Briefing) -> str:
    return json.dumps(briefing.to_dict(), ensure_ascii=False)
