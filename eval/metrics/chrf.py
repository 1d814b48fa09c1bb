"""chrF and chrF++ (word_order=2): sacreBLEU's definition, signature and scoring; statistics
from ``eval.metrics._fast.chrf_stats`` (same numbers, faster: see there)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._fast import sacrebleu_api
from ._fast.chrf_stats import FastChrfStats
from ._fast.sacrebleu_api import CHRF
from .base import Segments
from .sacrebleu_base import SacreBLEUMetric
from .vectorized import chrf_scores

DEFAULT_BETA = 2  # chrF's beta; sacreBLEU's signature assumes it


def check_orders(word_order: Any, char_order: Any, beta: Any) -> None:
    """Refuse settings sacreBLEU takes but cannot score with: a zero or negative order crashes inside
    the n-gram counts, a NaN or negative beta turns every score into NaN."""
    for name, value, least in (("char_order", char_order, 1), ("word_order", word_order, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, not {value!r}")
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not math.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, not {beta!r}")


class Chrf(SacreBLEUMetric):
    """chrF (Popović, 2015) as sacreBLEU computes it: character n-gram F-score (n = 1..6, beta 2),
    optionally with word n-grams (chrF++). Per-segment statistics are counted by polybrief's faster
    extractor, equal to sacreBLEU's (tests/test_sacrebleu_metrics.py).

    Args:
        word_order: word n-gram order (0: chrF; 2: chrF++).
        char_order: character n-gram order (default 6).
        beta: weight of recall against precision (default 2).

    Scores: ``score`` (0-100, higher is better).

    Example:
        >>> chrf = get_metric("chrf")
        >>> round(chrf.corpus_scores(chrf.segment_stats(Segments(["the cat sat"], [["the cat sat"]])))["score"], 1)
        100.0
    """

    citation = ('Maja Popović. 2015. chrF: character n-gram F-score for automatic MT evaluation. WMT. '
                'https://aclanthology.org/W15-3049')
    name = "chrf"

    def __init__(self, word_order: int = 0, char_order: int = 6, beta: int = DEFAULT_BETA) -> None:
        check_orders(word_order, char_order, beta)
        self.impl = CHRF(char_order=char_order, word_order=word_order, beta=beta)
        self._fast = FastChrfStats(self.impl)
        if word_order:
            self.name = "chrf++"

    def signature(self) -> str:
        """sacreBLEU's chrF signature, plus ``beta`` when it is not chrF's 2: sacreBLEU's signature omits
        beta, yet it changes every score (issue 22: every parameter that changes a number is shown)."""
        beta = "" if self.impl.beta == DEFAULT_BETA else f"|beta:{self.impl.beta}"
        return super().signature() + beta

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        sacrebleu_api.set_reference_count(self.impl, len(segments.references))  # its signature reports it
        return self._fast.corpus(segments.hypotheses, segments.references)

    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        impl = self.impl
        return chrf_scores(np.atleast_2d(sums), impl.order, impl.beta, impl.eps_smoothing)[:, None]

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_sums(stats, 1)


class ChrfPlusPlus(Chrf):
    """chrF++ (Popović, 2017): chrF with word unigrams and bigrams (``word_order=2``).

    Args: as ``chrf``.

    Scores: ``score`` (0-100, higher is better).

    Example:
        >>> chrfpp = get_metric("chrf++")
        >>> chrfpp.signature().startswith("chrf++|")
        True
    """

    citation = 'Maja Popović. 2017. chrF++: words helping character n-grams. WMT. https://aclanthology.org/W17-4770'
    name = "chrf++"

    def __init__(self, **params: object) -> None:
        params.setdefault("word_order", 2)
        super().__init__(**params)  # type: ignore[arg-type]


__all__ = ["DEFAULT_BETA", "Chrf", "ChrfPlusPlus", "check_orders"]
