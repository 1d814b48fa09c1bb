"""The small base every metric stands on, after sacreBLEU's ``metrics/base.py``.

A metric turns (hypothesis, references, source) segments into *per-segment sufficient
statistics*: a float matrix with one row per segment. Corpus scores are computed from the
column sums of that matrix, so the same code gives the corpus score, the score of any
bootstrap resample (a weighted sum of rows) and the score of one segment (its own row).
Metrics whose corpus score is a mean of segment scores (ROUGE, BERTScore) simply store the
segment scores as their statistics. Every metric also reports a reproducibility signature.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from polybrief.core.errors import PolybriefError


@dataclass
class Segments:
    """Aligned inputs: one hypothesis per segment, any number of references, optional sources."""

    hypotheses: list[str]
    references: list[list[str]]  # references[k][i]: k-th reference of segment i
    sources: list[str] | None = None
    language: str = "en"

    def __post_init__(self) -> None:
        n = len(self.hypotheses)
        for k, refs in enumerate(self.references):
            if len(refs) != n:
                raise PolybriefError(f"reference set {k + 1} has {len(refs)} segments, hypotheses have {n}")
        if self.sources is not None and len(self.sources) != n:
            raise PolybriefError(f"sources have {len(self.sources)} segments, hypotheses have {n}")
        if n == 0:
            raise PolybriefError("no segments to score")

    def __len__(self) -> int:
        return len(self.hypotheses)

    def distinct(self) -> tuple[Segments, np.ndarray]:
        """The distinct segments (same hypothesis, references and source), first seen first, and the index
        of each input segment among them."""
        from ._fast.ngram_match import distinct

        sources = self.sources or [None] * len(self.hypotheses)
        keys, where = distinct(zip(self.hypotheses, zip(*self.references) if self.references else repeat(()), sources))
        references = [[refs[k] for _, refs, _ in keys] for k in range(len(self.references))]
        kept_sources = None if self.sources is None else [source for _, _, source in keys]
        return Segments([hyp for hyp, _, _ in keys], references, kept_sources, self.language), where


@dataclass(frozen=True)
class Score:
    """What ``corpus_score`` and ``sentence_score`` return: the primary score, every score the metric
    reports, and the signature that says how it was computed (as sacreBLEU's ``BLEUScore`` does)."""

    score: float
    scores: dict[str, float]
    signature: str

    def __str__(self) -> str:
        return f"{self.signature} = {self.score:.4g}"


class Metric(ABC):
    """A metric with per-segment sufficient statistics and a vectorised corpus score.

    From Python it is used as sacreBLEU's metrics are: ``Chrf().corpus_score(hypotheses, [references])``.
    """

    name: str = "metric"
    citation: str = ""  # how to cite the metric (shown by the evaluate module)
    score_names: tuple[str, ...] = ("score",)  # what scores_from_sums returns, column by column
    primary: str = "score"  # the score a table or a leaderboard shows first
    higher_is_better: bool = True
    needs_references: bool = True
    needs_sources: bool = False
    independent_rows: bool = True  # a segment's row depends on that segment alone (not on the others)

    @abstractmethod
    def segment_stats(self, segments: Segments) -> np.ndarray:
        """Sufficient statistics, shape (segments, k)."""

    def segment_stats_once(self, segments: Segments) -> np.ndarray:
        """``segment_stats`` with each distinct segment scored once: systems scored together often agree
        word for word (10-15% of the WMT23 dev systems' outputs repeat another system's)."""
        if not self.independent_rows:
            return self.segment_stats(segments)
        unique, where = segments.distinct()
        return self.segment_stats(segments) if len(unique) == len(segments) else self.segment_stats(unique)[where]

    @abstractmethod
    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        """Scores (rows, len(score_names)) from column sums (rows, k) over ``n`` segments."""

    @abstractmethod
    def signature(self) -> str:
        """A string that pins down everything the score depends on."""

    def note_references(self, count: int) -> None:  # noqa: B027 - an optional hook, a no-op by default
        """Told how many references the corpus has, for signatures computed before any scoring."""

    def check(self, segments: Segments) -> None:
        if self.needs_references and not segments.references:
            raise PolybriefError(f"{self.name} needs at least one reference")
        if self.needs_sources and segments.sources is None:
            raise PolybriefError(f"{self.name} needs sources (--src)")

    def corpus_scores(self, stats: np.ndarray) -> dict[str, float]:
        values = self.scores_from_sums(stats.sum(axis=0, keepdims=True), len(stats))[0]
        return dict(zip(self.score_names, map(float, values)))

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        """Each segment's own scores (segments, len(score_names))."""
        return self.scores_from_sums(stats, 1)

    def primary_index(self) -> int:
        return self.score_names.index(self.primary)

    def corpus_score(self, hypotheses: list[str], references: list[list[str]] | None = None,
                     sources: list[str] | None = None) -> Score:
        """The corpus score of ``hypotheses`` against reference streams (``references[k][i]`` is the k-th
        reference of segment i, sacreBLEU's layout), the same number ``polybrief score`` prints."""
        if isinstance(references, str) or any(isinstance(r, str) for r in references or []):
            raise PolybriefError("references are a list of reference streams, each a list of strings, one per "
                                 "hypothesis: corpus_score(hyps, [refs]) for one reference each")
        segments = Segments(list(hypotheses), [list(r) for r in references or []],
                            None if sources is None else list(sources), getattr(self, "language", "en"))
        self.check(segments)
        self.note_references(len(segments.references))
        scores = self.corpus_scores(self.segment_stats(segments))
        return Score(scores[self.primary], scores, self.signature())

    def sentence_score(self, hypothesis: str, references: list[str] | None = None, source: str | None = None) -> Score:
        """One segment's score against its references (a list of strings, as sacreBLEU takes them)."""
        return self.corpus_score([hypothesis], [[r] for r in references or []], None if source is None else [source])


class MeanMetric(Metric):
    """A metric whose corpus score is the mean of its segment scores."""

    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        return np.asarray(sums, dtype=np.float64) / max(n, 1)


def fmeasure(precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    """Harmonic mean, 0 where both are 0 (rouge-score's ``scoring.fmeasure``)."""
    total = precision + recall
    return np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)


__all__ = ["MeanMetric", "Metric", "Score", "Segments", "fmeasure"]
