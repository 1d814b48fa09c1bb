"""Translation Edit Rate through sacreBLEU (lower is better); Asian support by target language."""
from __future__ import annotations

from sacrebleu.metrics import TER

from .sacrebleu_base import SacreBLEUMetric


class Ter(SacreBLEUMetric):
    name = "ter"
    higher_is_better = False

    def __init__(self, language: str = "en", normalized: bool = False, case_sensitive: bool = False) -> None:
        asian = language.split("-")[0].lower() in ("zh", "ja", "ko")
        self.impl = TER(normalized=normalized, case_sensitive=case_sensitive, asian_support=asian)
