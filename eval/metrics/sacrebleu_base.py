"""The shared wrapper for sacreBLEU's metrics (BLEU, chrF/chrF++, TER).

sacreBLEU computes per-segment sufficient statistics and corpus scores from their sums;
we keep its code for both (``_extract_corpus_statistics`` and ``_compute_score_from_stats``,
the same internals its own significance tests call) and its signatures, and only replace the
resampling: resample sums are one matrix product instead of sacreBLEU's per-resample
materialised copies, which is where its paired bootstrap spends its time.
"""
from __future__ import annotations

import numpy as np

from .base import Metric, Segments


class SacreBLEUMetric(Metric):
    """A polybrief Metric around a sacreBLEU metric object (``self.impl``)."""

    impl: object
    segment_impl: object | None = None  # a variant for sentence-level scores (BLEU's effective order)

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        stats = self.impl._extract_corpus_statistics(segments.hypotheses, segments.references)
        return np.asarray(stats, dtype=np.float64)

    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        compute = self.impl._compute_score_from_stats
        return np.array([[compute(list(row)).score] for row in np.atleast_2d(sums)], dtype=np.float64)

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        compute = (self.segment_impl or self.impl)._compute_score_from_stats
        return np.array([[compute(list(row)).score] for row in stats], dtype=np.float64)

    def note_references(self, count: int) -> None:
        self.impl.num_refs = count

    def signature(self) -> str:
        args = dict(self.impl.__dict__)
        args.setdefault("num_refs", "?")  # sacreBLEU learns it on the first scoring call
        return f"{self.name}|{self.impl._SIGNATURE_TYPE(args)}"
