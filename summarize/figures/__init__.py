"""Figures that move or disagree: counts of people that articles report, read so as to claim nothing
the articles don't.

A story that runs for days changes its numbers (a toll of 231 on 31 Oct, 357 on 2 Nov) and outlets
disagree (21 wounded vs 24); a reader needs the latest figure first, how it changed, and to be told
when reports differ. Most numbers near a death word are not such a figure, and a made-up
disagreement is the worst line a briefing can print, so precision comes first: ``reading`` refuses
what is not a count of people, ``tracking`` compares only the same count in the same scope across
articles, ``wording`` says it in the reader's language.
"""
from .reading import KINDS, Count, counts_in, is_background
from .record import FigureRecord, FigureReport
from .tracking import Figure, FigureTrack, agree, track_figures
from .wording import LABELS, change_statement, conflict_statement

__all__ = ["KINDS", "LABELS", "Count", "Figure", "FigureRecord", "FigureReport", "FigureTrack", "agree",
           "change_statement", "conflict_statement", "counts_in", "is_background", "track_figures"]
