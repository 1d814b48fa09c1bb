"""Translation Edit Rate through sacreBLEU (lower is better); Asian support by target language."""
from __future__ import annotations

import numpy as np

from ._fast import sacrebleu_api
from ._fast.sacrebleu_api import TER
from .base import Segments
from .sacrebleu_base import SacreBLEUMetric

CACHE_REFERENCES = 50_000  # reference sets kept between calls (every system is scored on the same ones)


class Ter(SacreBLEUMetric):
    """TER (Snover et al., 2006) as sacreBLEU computes it: edits (insertions, deletions, substitutions,
    shifts) per reference word. Lower is better.

    Args:
        language: target language; zh/ja/ko turn on sacreBLEU's Asian-script support.
        normalized: apply sacreBLEU's TER normalisation.
        case_sensitive: count case differences as edits.

    Scores: ``score`` (edits per 100 reference words, lower is better).

    Example:
        >>> ter = get_metric("ter")
        >>> ter.corpus_scores(ter.segment_stats(Segments(["the cat sat"], [["the cat sat"]])))
        {'score': 0.0}
    """

    citation = 'Matthew Snover et al. 2006. A Study of Translation Edit Rate with Targeted Human Annotation. AMTA.'
    name = "ter"
    higher_is_better = False

    def __init__(self, language: str = "en", normalized: bool = False, case_sensitive: bool = False) -> None:
        asian = language.split("-")[0].lower() in ("zh", "ja", "ko")
        self.impl = TER(normalized=normalized, case_sensitive=case_sensitive, asian_support=asian)
        self._references: dict[tuple[str, ...], object] = {}

    def segment_stats(self, segments: Segments) -> np.ndarray:
        """sacreBLEU's per-segment statistics, with each reference set processed once per process: an
        experiment scores every system against the same references, in batches, and sacreBLEU's own
        cache lives for one call (a memo of our own for speed; parity with sacreBLEU is tested)."""
        self.check(segments)
        if len(self._references) > CACHE_REFERENCES:  # bounded: a long streaming run stays flat
            self._references.clear()
        counts, stats = set(), []
        for hyp, refs in zip(segments.hypotheses, zip(*segments.references)):
            lines = tuple(r for r in refs if r is not None)
            counts.add(len(lines))
            info = self._references.get(lines)
            if info is None:
                info = self._references[lines] = sacrebleu_api.reference_info(self.impl, lines)
            stats.append(sacrebleu_api.segment_statistics(self.impl, hyp, info))
        sacrebleu_api.set_reference_count(self.impl, counts.pop() if len(counts) == 1 else -1)
        return np.asarray(stats, dtype=np.float64)

    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        return np.array([[sacrebleu_api.score_from_stats(self.impl, row)] for row in np.atleast_2d(sums)],
                        dtype=np.float64)


__all__ = ["Ter"]
