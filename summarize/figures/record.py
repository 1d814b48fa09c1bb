"""A figure track as a briefing carries it to its readers: typed, with one way to and from JSON.

The briefing's JSON ``figures`` is read by applications that show the evidence behind a line, and by
the renderer and the Spanish wording, which say the printed lines again. Each of them reads these
fields, never dict keys, so a renamed field fails at once instead of printing nothing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .tracking import Figure, FigureTrack

__all__ = ["FigureRecord", "FigureReport"]


@dataclass(frozen=True)
class FigureReport:
    """One article's report of a count, with the sentence it was read from (the evidence)."""

    value: float
    written: str  # as the article wrote it: "more than 250"
    doc_id: str
    source: int  # the article's number in the briefing's sources
    date: str | None  # ISO date of the article, when known
    sentence: str

    @classmethod
    def of(cls, figure: Figure) -> FigureReport:
        return cls(figure.value, figure.written, figure.doc_id, figure.doc_number,
                   figure.date.isoformat() if figure.date else None, figure.text)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FigureReport:
        return cls(**{f.name: data[f.name] for f in fields(cls)})


@dataclass(frozen=True)
class FigureRecord:
    """Every report of one count, what could be said about it, and what the briefing printed:
    ``trend`` and ``conflict`` are set only on the count a briefing speaks of (one of each at most)."""

    kind: str
    scope: list[str]
    articles: int
    latest: FigureReport | None
    changes: list[FigureReport] = field(default_factory=list)  # first report of each value, oldest first
    conflicts: list[list[FigureReport]] = field(default_factory=list)  # reports whose ranges do not meet
    reports: list[FigureReport] = field(default_factory=list)  # one per article
    statements: list[str] = field(default_factory=list)  # every line that could be said, printed or not
    trend: str | None = None  # the printed trend line
    conflict: str | None = None  # the printed conflict line

    @classmethod
    def of(cls, track: FigureTrack, statements: list[str], trend: str | None, conflict: str | None) -> FigureRecord:
        return cls(track.kind, list(track.scope), track.articles,
                   FigureReport.of(track.latest) if track.latest else None,
                   [FigureReport.of(f) for f in track.changes],
                   [[FigureReport.of(f) for f in group] for group in track.conflicts],
                   [FigureReport.of(f) for f in track.reports], statements, trend, conflict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FigureRecord:
        report = FigureReport.from_dict
        return cls(data["kind"], list(data["scope"]), data["articles"],
                   report(data["latest"]) if data["latest"] else None,
                   [report(r) for r in data["changes"]], [[report(r) for r in g] for g in data["conflicts"]],
                   [report(r) for r in data["reports"]], list(data["statements"]), data["trend"], data["conflict"])
