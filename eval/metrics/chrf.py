"""chrF and chrF++ (word_order=2): sacreBLEU's definition, signature and scoring; statistics
from ``eval.chrf_stats`` (same numbers, faster: see there)."""
from __future__ import annotations

import numpy as np
from sacrebleu.metrics import CHRF

from ..chrf_stats import FastChrfStats
from .base import Segments
from .sacrebleu_base import SacreBLEUMetric


class Chrf(SacreBLEUMetric):
    name = "chrf"

    def __init__(self, word_order: int = 0, char_order: int = 6, beta: int = 2) -> None:
        self.impl = CHRF(char_order=char_order, word_order=word_order, beta=beta)
        self._fast = FastChrfStats(self.impl)
        if word_order:
            self.name = "chrf++"

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        self.impl.num_refs = len(segments.references)  # what sacreBLEU's signature reports
        return self._fast.corpus(segments.hypotheses, segments.references)


class ChrfPlusPlus(Chrf):
    name = "chrf++"

    def __init__(self, **params: object) -> None:
        params.setdefault("word_order", 2)
        super().__init__(**params)  # type: ignore[arg-type]
