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

CACHE_REFERENCES = 50_000  # reference sets kept between calls (every system is scored on the same ones)


class SacreBLEUMetric(Metric):
    """A polybrief Metric around a sacreBLEU metric object (``self.impl``)."""

    impl: object
    segment_impl: object | None = None  # a variant for sentence-level scores (BLEU's effective order)

    def segment_stats(self, segments: Segments) -> np.ndarray:
        """sacreBLEU's ``_extract_corpus_statistics``, with each reference set processed once per process:
        an experiment scores every system against the same references, in batches, and sacreBLEU's own
        cache lives for one call (a memo of our own for speed; parity with sacreBLEU is tested)."""
        self.check(segments)
        impl = self.impl
        if len(self._references) > CACHE_REFERENCES:  # bounded: a long streaming run stays flat
            self._references.clear()
        counts, stats = set(), []
        for hyp, refs in zip(segments.hypotheses, zip(*segments.references)):
            lines = tuple(r for r in refs if r is not None)
            counts.add(len(lines))
            info = self._references.get(lines)
            if info is None:
                info = self._references[lines] = impl._extract_reference_info(
                    [impl._preprocess_segment(r) for r in lines])
            stats.append(impl._compute_segment_statistics(impl._preprocess_segment(hyp), info))
        impl.num_refs = counts.pop() if len(counts) == 1 else -1
        return np.asarray(stats, dtype=np.float64)

    @property
    def _references(self) -> dict[tuple[str, ...], object]:
        memo = self.__dict__.get("_reference_memo")
        if memo is None:
            memo = self.__dict__["_reference_memo"] = {}
        return memo

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
