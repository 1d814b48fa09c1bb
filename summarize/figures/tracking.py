"""Which reported counts are the same count, and whether they moved over the days or disagree.

Two values are compared only when they count the same kind in the same scope, in different
articles: one article that gives several numbers of a kind is listing different things, and two
scopes ("in Honduras", "in Nicaragua"; "Dutch passengers", everyone on board) are different counts.
A name the whole story carries (the storm's, the town's, present in half the articles or more) does
not split a scope, unless the count's reports name different such places: then each is its own
count. Hedges and rounding agree ("more than 4,000" and 4,447); a disagreement is two reports whose
ranges do not meet. A count moved when dated articles give a new value and no later article keeps
the old one; deaths, injuries and arrests only rise, so a fall between reports is a disagreement.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from polybrief.core.document import Cluster
from polybrief.core.sentences import Sentence

from .reading import Count, counts_in

__all__ = ["Figure", "FigureTrack", "agree", "differ", "track_figures"]

CUMULATIVE = {"deaths", "injured", "arrested"}  # counts that only grow as a story goes on
# reports further apart than this factor count different things (26 killed in a reprisal strike and
# 224 in the bombings) far more often than outlets disagree (21 vs 24 wounded): no conflict is said
CONFLICT_RATIO = 2.5
STORY_SHARE = 0.5  # a name in at least this share of the articles belongs to the whole story


@dataclass(frozen=True)
class Figure:
    """One article's report of a count: what it says, and the sentence it says it in."""

    count: Count
    doc_id: str
    doc_number: int  # the article's place in the cluster, for citations
    sentence: int  # index of its sentence in the list given to track_figures
    text: str  # that sentence, the evidence an application can show
    date: dt.date | None

    @property
    def value(self) -> float:
        return self.count.value

    @property
    def written(self) -> str:
        return self.count.written

    @property
    def kind(self) -> str:
        return self.count.kind


@dataclass
class FigureTrack:
    """Every article's report of one count (kind and scope), how it moved, and where reports differ."""

    kind: str
    scope: tuple[str, ...]
    reports: list[Figure]  # one per article, in article order
    latest: Figure | None = None  # set when dated reports moved
    changes: list[Figure] = field(default_factory=list)  # first report of each value, oldest first
    conflicts: list[list[Figure]] = field(default_factory=list)  # reports whose ranges do not meet

    @property
    def articles(self) -> int:
        return len(self.reports)


def agree(a: Count, b: Count) -> bool:
    """Whether two reports can both be true: their hedged ranges meet ("nearly 300" and 298)."""
    return a.low <= b.high and b.low <= a.high


def differ(a: Count, b: Count) -> bool:
    """Whether two reports of one count disagree: they cannot both be true, yet are close enough to
    be two accounts of one number (see CONFLICT_RATIO)."""
    return not agree(a, b) and max(a.value, b.value) <= CONFLICT_RATIO * min(a.value, b.value)


def track_figures(cluster: Cluster, sentences: list[Sentence]) -> list[FigureTrack]:
    """A track for every count that two or more articles report, most-reported first."""
    figures = _read(cluster, sentences)
    story = _story_names(cluster, {name for f in figures for name in f.count.names})
    named: dict[str, list[set[str]]] = {}  # per kind: the story's places each report names
    for figure in figures:
        if figure.count.names & story:
            named.setdefault(figure.kind, []).append(figure.count.names & story)
    by_key: dict[tuple[str, tuple[str, ...]], list[Figure]] = {}
    for figure in figures:
        by_key.setdefault((figure.kind, _key_scope(figure, named.get(figure.kind, []), story)), []).append(figure)
    tracks = []
    for (kind, scope), found in by_key.items():
        reports = _one_per_article(found)
        if len({f.doc_id for f in reports}) > 1:
            tracks.append(_track(kind, scope, reports))
    _distrust_rises(tracks, figures)
    return sorted(tracks, key=lambda t: -t.articles)


def _distrust_rises(tracks: list[FigureTrack], figures: list[Figure]) -> None:
    """A rise is withdrawn when any report of its kind, whatever its scope, still gives an older value
    once the newer one was out (AP's "21 Israelis" beside another outlet's 24 people), or when the two
    articles behind it disagree on a toll elsewhere (one says more than 250 killed, the next day's 224):
    then they are two sources, not a story moving on. A stale report that another article contradicts
    on its day or later is said as what it is, a disagreement between those two reports."""
    disagreeing = _disagreeing_articles(figures)
    for track in tracks:
        if not track.latest:
            continue
        pair = frozenset((track.changes[0].doc_id, track.latest.doc_id))
        kin = sorted((f for f in figures if f.kind == track.kind and f.date), key=lambda f: f.date)
        stale = _stale(kin, track.changes)
        if pair in disagreeing or stale:
            track.latest, track.changes = None, []
        if stale and not track.conflicts and stale[0].doc_id != stale[1].doc_id and differ(*(f.count for f in stale)):
            track.conflicts = [sorted(stale, key=lambda f: f.doc_number)]


def _disagreeing_articles(figures: list[Figure]) -> set[frozenset[str]]:
    """Pairs of articles where the later gives a lower toll than the earlier (in any scope)."""
    pairs = set()
    for a in figures:
        for b in figures:
            if a.kind == b.kind and a.kind in CUMULATIVE and a.date and b.date and a.date < b.date \
                    and b.count.high < a.count.low and differ(a.count, b.count):
                pairs.add(frozenset((a.doc_id, b.doc_id)))
    return pairs


def _read(cluster: Cluster, sentences: list[Sentence]) -> list[Figure]:
    number_of = {d.doc_id: i + 1 for i, d in enumerate(cluster.documents)}
    date_of = {d.doc_id: d.date for d in cluster.documents}
    found = []
    for index, sentence in enumerate(sentences):
        date = date_of.get(sentence.doc_id)
        for count in counts_in(sentence.text, date.year if date else None):
            found.append(Figure(count, sentence.doc_id, number_of.get(sentence.doc_id, 0), index, sentence.text,
                                date))
    return found


def _story_names(cluster: Cluster, names: set[str]) -> set[str]:
    """The names among ``names`` that half the articles or more mention: the story's own (never a
    possessive: "Ranariddh's supporters" are a group, whoever the story is about)."""
    names = {n for n in names if not n.endswith("'s")}
    if not names:
        return set()
    texts = [d.text.lower() for d in cluster.documents]
    need = max(2, STORY_SHARE * len(texts))
    return {n for n in names if sum(bool(re.search(rf"\b{re.escape(n)}\b", t)) for t in texts) >= need}


def _key_scope(figure: Figure, named: list[set[str]], story: set[str]) -> tuple[str, ...]:
    """The scope a figure is compared in: without the story's names, unless this kind's reports set
    such names against each other (one says Honduras, another Nicaragua). A report naming several of
    the story's places at once ("the bombings in Kenya and Tanzania") gives their total, which is what
    the unscoped reports give, unless the reports count two of those places each on its own: then it
    is one partial sum among others (Honduras and Nicaragua of a storm that hit four countries). ``named``:
    the story's places named by each report of this figure's kind."""
    names = figure.count.names
    alone = {n for places in named if len(places) == 1 for n in places}  # places counted on their own
    if len(names & story & alone) == 1 and len(names & story) > 1:
        return tuple(sorted(figure.count.group | (names - story)))  # the story's total (see above)
    partitioned = any(a - b and b - a for a in named for b in named)
    return tuple(sorted(figure.count.group | (names if partitioned else names - story)))


def _one_per_article(found: list[Figure]) -> list[Figure]:
    """Each article's report, or none when its numbers for the count disagree: it lists several things."""
    by_doc: dict[str, list[Figure]] = {}
    for figure in found:
        by_doc.setdefault(figure.doc_id, []).append(figure)
    reports = []
    for figures in by_doc.values():
        if all(agree(a.count, b.count) for a in figures for b in figures):
            reports.append(figures[0])
    return sorted(reports, key=lambda f: f.doc_number)


def _track(kind: str, scope: tuple[str, ...], reports: list[Figure]) -> FigureTrack:
    result = FigureTrack(kind, scope, reports)
    result.conflicts = _same_day_conflicts(reports)
    dated = sorted((f for f in reports if f.date), key=lambda f: (f.date, f.doc_number))
    changes = _changes(dated)
    days = len({f.date for f in changes})  # reports of one day that differ disagree; a move takes two days
    if days > 1 and not _stale(dated, changes) and _monotone(kind, changes):
        rises = changes[-1].value > changes[0].value
        if rises or kind not in CUMULATIVE:
            result.changes, result.latest = changes, changes[-1]
    elif len(changes) > 1 and kind in CUMULATIVE and not result.conflicts:
        falls = [[a, b] for k, a in enumerate(changes) for b in changes[k + 1:]
                 if b.date > a.date and b.count.high < a.count.low and differ(a.count, b.count)]
        if falls:  # a toll that went down is two reports that differ, not a story that moved
            result.conflicts = falls[:1]
    return result


def _same_day_conflicts(reports: list[Figure]) -> list[list[Figure]]:
    """Groups of reports of one day (or all undated) whose ranges do not all meet."""
    by_day: dict[dt.date | None, list[Figure]] = {}
    for figure in reports:
        by_day.setdefault(figure.date, []).append(figure)
    groups = []
    for figures in by_day.values():
        pairs = [(a, b) for a in figures for b in figures if a.doc_number < b.doc_number and differ(a.count, b.count)]
        if pairs:
            distinct: dict[float, Figure] = {}
            for figure in sorted({f for pair in pairs for f in pair}, key=lambda f: f.doc_number):
                distinct.setdefault(figure.value, figure)
            groups.append(list(distinct.values()))
    return groups


def _changes(dated: list[Figure]) -> list[Figure]:
    """The first report of each new value, in date order (a value that agrees with an earlier one is
    not new: "at least 12" then "more than 12")."""
    changes: list[Figure] = []
    for figure in dated:
        if all(f.value != figure.value for f in changes):
            changes.append(figure)
    return changes


def _stale(dated: list[Figure], changes: list[Figure]) -> tuple[Figure, Figure] | None:
    """An article that still gives an older number once a newer one was out (21 on the day another
    says 24), with that newer report: then the outlets disagree, the count did not move."""
    for k, newer in enumerate(changes[1:], 1):
        older = [old for old in changes[:k] if old.date < newer.date]
        rising = newer.value > changes[0].value
        for figure in dated:
            behind = figure.count.high < newer.count.low if rising else figure.count.low > newer.count.high
            if figure.date >= newer.date and behind and any(figure.value == old.value for old in older):
                return figure, newer
    return None


def _monotone(kind: str, changes: list[Figure]) -> bool:
    """A move goes one way: each day's new value above (or, for missing and displaced, all below) the
    earlier days' values."""
    days = Counter(f.date for f in changes)
    values = [max(f.value for f in changes if f.date == day) for day in sorted(days)]
    rising = all(b >= a for a, b in zip(values, values[1:]))
    falling = all(b <= a for a, b in zip(values, values[1:]))
    return rising or (falling and kind not in CUMULATIVE)
