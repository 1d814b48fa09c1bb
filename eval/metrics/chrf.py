"""chrF and chrF++ (word_order=2) through sacreBLEU."""
from __future__ import annotations

from sacrebleu.metrics import CHRF

from .sacrebleu_base import SacreBLEUMetric


class Chrf(SacreBLEUMetric):
    name = "chrf"

    def __init__(self, word_order: int = 0, char_order: int = 6, beta: int = 2) -> None:
        self.impl = CHRF(char_order=char_order, word_order=word_order, beta=beta)
        if word_order:
            self.name = "chrf++"


class ChrfPlusPlus(Chrf):
    name = "chrf++"

    def __init__(self, **params: object) -> None:
        params.setdefault("word_order", 2)
        super().__init__(**params)  # type: ignore[arg-type]
