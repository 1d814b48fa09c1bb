"""The briefing: a headline, 3-5 cited bullets in reading order, and the list of sources.

Selection is the extractor's job; this module decides presentation. The top-ranked
sentence becomes the headline; the rest are ordered the way the articles tell the story
(earlier in an article first); and every sentence cites each article that reports the
same fact, not only the one it was taken from, so a reader sees how well-sourced it is.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from polybrief.core import defaults
from polybrief.core.document import Cluster
from polybrief.core.encoders import Encoder
from polybrief.core.errors import PolybriefError

from .algorithms import DEFAULT_METHOD, Budget, SentencePool, get_extractor
from .figures import FigureTrack, agree, change_statement, conflict_statement, counts_in, track_figures
from .figures.record import FigureRecord
from .figures.wording import spans_years

SUPPORT_COSINE = 0.3  # stemmed TF-IDF cosine at which another article is taken to report a fact
MIN_BULLETS, MAX_BULLETS = 3, defaults.MAX_BULLETS
HEADLINE_CHOICES = 3  # how far down the method's ranking a moved count may look for its headline


@dataclass
class Item:
    """One sentence of the briefing and the articles that support it (its origin first)."""

    text: str
    doc_id: str
    position: int
    cited: list[str]
    reported: str | None = None  # the date of the article it comes from (ISO), when known


@dataclass
class Source:
    """What the sources list says about one article."""

    number: int
    doc_id: str
    title: str | None
    words: int
    language: str | None
    machine_translated: bool
    source_language: str | None
    translated_by: str | None = None
    date: str | None = None  # ISO publication date, when known
    date_from_text: bool = False  # read from the article's dateline, not stated
    verdict: str | None = None  # how far to trust a machine translation: see summarize.trust
    verdict_reason: str | None = None
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class Briefing:
    """A cluster's briefing, ready to render as Markdown or JSON."""

    cluster_id: str
    topic: str | None
    method: str
    headline: Item
    bullets: list[Item]
    sources: list[Source]
    notes: list[str] = field(default_factory=list)
    language: str = "en"
    abstractive: bool = False
    figures: list[FigureRecord] = field(default_factory=list)  # counts that moved or disagree: see figures/

    @property
    def sentences(self) -> list[str]:
        return [self.headline.text] + [b.text for b in self.bullets]

    @property
    def text(self) -> str:
        """The briefing as plain text, one sentence per line (what metrics score)."""
        return "\n".join(self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def supporting_documents(pool: SentencePool, index: int) -> list[str]:
    """Ids of the articles that report candidate ``index``: its own first, then by order."""
    own = int(pool.doc_index[index])
    similarity = pool.tfidf_similarity[index]
    cited = [own]
    for doc in np.unique(pool.doc_index):
        members = pool.doc_index == doc
        if doc != own and similarity[members].max() >= SUPPORT_COSINE:
            cited.append(int(doc))
    return [pool.cluster.documents[d].doc_id for d in cited]


def same_count_support(cited: list[str], text: str, origin: str, tracks: list[FigureTrack]) -> list[str]:
    """``cited`` less the articles that give another value of a count the sentence states: the sentence
    says 44 died, an article on the same story says 27, so that article does not report this sentence's
    fact however alike the words are. Only counts tracked across articles are compared, and only when the
    sentence's own article reports that count with a value the sentence agrees with."""
    dropped = set()
    for count in counts_in(text):
        for track in tracks:
            by_doc = {f.doc_id: f.count for f in track.reports if f.kind == count.kind}
            if origin in by_doc and agree(by_doc[origin], count):
                dropped |= {doc for doc, other in by_doc.items() if not agree(other, count)}
    return [doc for doc in cited if doc == origin or doc not in dropped]


def make_sources(cluster: Cluster) -> list[Source]:
    return [Source(i + 1, d.doc_id, d.title, d.n_words, d.language, d.machine_translated,
                   d.source_language, d.translated_by, d.date.isoformat() if d.date else None, d.date_from_text)
            for i, d in enumerate(cluster.documents)]


def reported(cluster: Cluster, doc_id: str) -> str | None:
    """The ISO date of the article a sentence comes from, or None."""
    if not doc_id:
        return None
    date = cluster.document(doc_id).date
    return date.isoformat() if date else None


def cite_generated(pool: SentencePool, sentences: list[str]) -> list[list[str]]:
    """For each generated sentence, the articles with a sentence saying the same (TF-IDF cosine at
    least SUPPORT_COSINE), best first; an empty list flags a sentence no article supports."""
    from polybrief.core.terms import tfidf_rows

    pool_texts = [s.text for s in pool.all_sentences]
    matrix = tfidf_rows(pool_texts + sentences, pool.language)
    similarity = np.asarray((matrix[len(pool_texts):] @ matrix[:len(pool_texts)].T).todense())
    doc_of = np.array([s.doc_index for s in pool.all_sentences])
    cited = []
    for row in similarity:
        best = {int(d): float(row[doc_of == d].max()) for d in np.unique(doc_of)}
        docs = sorted((d for d, v in best.items() if v >= SUPPORT_COSINE), key=lambda d: -best[d])
        cited.append([pool.cluster.documents[d].doc_id for d in docs])
    return cited


def briefing_from_text(cluster: Cluster, text: str, method: str, max_bullets: int = MAX_BULLETS,
                       words: int | None = None) -> Briefing:
    """A briefing from generated text: first sentence the headline, the rest bullets, each cited by
    the articles that support it (the generator may write what no article says; those show it)."""
    from polybrief.core.sentences import split_text
    from polybrief.core.words import count_words

    pool = SentencePool(cluster, None)
    sentences = split_text(text, pool.language)[:max_bullets + 1]
    while words and len(sentences) > 1 and sum(count_words(s) for s in sentences) > words:
        sentences.pop()  # the model may run past the budget; whole sentences go, never half ones
    if not sentences:
        raise PolybriefError(f"cluster {cluster.cluster_id}: the model generated no text")
    cited = cite_generated(pool, sentences)
    items = [Item(t, c[0] if c else "", -1, c, reported(cluster, c[0]) if c else None)
             for t, c in zip(sentences, cited)]
    notes = list(cluster.notes)
    unsupported = sum(1 for c in cited if not c)
    if unsupported:
        notes.append(f"{unsupported} generated sentence(s) match no article: check them before use")
    return Briefing(cluster.cluster_id, cluster.topic, method, items[0], items[1:], make_sources(cluster), notes,
                    language=pool.language, abstractive=True)


def build_briefing(cluster: Cluster, method: str = DEFAULT_METHOD, words: int | None = defaults.WORDS,
                   max_bullets: int = MAX_BULLETS, encoder: Encoder | str | None = defaults.ENCODER,
                   **params: Any) -> Briefing:
    """Select sentences with ``method`` under ``words`` and lay them out as a briefing."""
    pool = SentencePool(cluster, encoder)
    if not len(pool):
        raise PolybriefError(f"cluster {cluster.cluster_id}: no sentence long enough to brief")
    extractor = get_extractor(method, **params)
    tracks = track_figures(cluster, pool.sentences)
    first, excluded = latest_first(pool, extractor, tracks)
    chosen = extractor.select(pool, Budget(words=words, sentences=max_bullets + 1), first, excluded)
    items = [Item(pool.sentences[i].text, pool.sentences[i].doc_id, pool.sentences[i].position,
                  same_count_support(supporting_documents(pool, i), pool.sentences[i].text, pool.sentences[i].doc_id,
                                     tracks), reported(cluster, pool.sentences[i].doc_id)) for i in chosen]
    order = sorted(range(1, len(chosen)), key=lambda k: (pool.sentences[chosen[k]].relative_position,
                                                         pool.sentences[chosen[k]].doc_index))
    notes = list(cluster.notes)
    if len(chosen) - 1 < MIN_BULLETS:
        notes.append(f"only {len(chosen) - 1} bullet(s) fit: the cluster or the word budget is small")
    return Briefing(cluster.cluster_id, cluster.topic, extractor.name, items[0],
                    [items[k] for k in order], make_sources(cluster), notes, language=pool.language,
                    figures=figure_records(tracks, cluster))


def main_track(tracks: list[FigureTrack], moved: bool) -> FigureTrack | None:
    """The most-reported count that moved (``moved``) or on which reports differ: the only one a
    briefing speaks of, once each; the rest stay in the JSON as evidence."""
    return next((t for t in tracks if (t.latest if moved else t.conflicts)), None)


def latest_first(pool: SentencePool, extractor: Any, tracks: list[FigureTrack]) -> tuple[int | None, frozenset[int]]:
    """When the main count moved over the days: among the HEADLINE_CHOICES best-ranked sentences, the
    best one that carries its latest value leads (a count never lifts a sentence from far down the
    ranking), and sentences stating an earlier value of that same count are left out (the change
    statement says how it moved). Otherwise: (None, nothing excluded)."""
    moved = main_track(tracks, moved=True)
    if moved is None:
        return None, frozenset()
    earlier = {f.value for f in moved.changes if f is not moved.latest}
    latest_in = {f.sentence for f in moved.reports if f.value == moved.latest.value}
    top = extractor.rank(pool)[:HEADLINE_CHOICES]
    first = next((i for i in top if i in latest_in), None)
    stating_earlier = {f.sentence for f in moved.reports if f.value in earlier}
    return first, frozenset(stating_earlier)


def figure_record(track: FigureTrack, span_years: bool, printed: tuple[bool, bool],
                  language: str = "en") -> FigureRecord:
    """A track as the JSON output carries it: every report with the sentence it was read from, what
    could be said, and what the briefing printed (``printed``: its trend, its first conflict)."""
    trend = [change_statement(track, span_years, language)] if track.latest else []
    conflicts = [conflict_statement(track, group, span_years, language) for group in track.conflicts]
    return FigureRecord.of(track, trend + conflicts, trend[0] if printed[0] else None,
                           conflicts[0] if printed[1] else None)


def figure_records(tracks: list[FigureTrack], cluster: Cluster, language: str = "en") -> list[FigureRecord]:
    """Every track's record, most-reported first; ``trend`` and ``conflict`` set where printed."""
    trend, conflict = main_track(tracks, moved=True), main_track(tracks, moved=False)
    span_years = spans_years(cluster)
    return [figure_record(t, span_years, (t is trend, t is conflict), language) for t in tracks]


__all__ = ["Briefing", "HEADLINE_CHOICES", "Item", "SUPPORT_COSINE", "Source", "briefing_from_text", "build_briefing",
           "cite_generated", "figure_record", "figure_records", "latest_first", "main_track", "make_sources",
           "reported", "same_count_support", "supporting_documents"]
