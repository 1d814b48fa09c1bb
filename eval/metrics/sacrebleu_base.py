"""What polybrief's sacreBLEU metrics (BLEU, chrF/chrF++, TER) share: a sacreBLEU metric object whose
definitions they keep, and its signature. Each metric counts and scores statistics its own way (BLEU
and chrF with polybrief's faster counters, TER with sacreBLEU's code); every call into sacreBLEU's
internals goes through ``eval.metrics._fast.sacrebleu_api``.
"""
from __future__ import annotations

from ._fast import sacrebleu_api
from .base import Metric


class SacreBLEUMetric(Metric):
    """A polybrief Metric around a sacreBLEU metric object (``self.impl``)."""

    impl: sacrebleu_api.SacreMetric

    def note_references(self, count: int) -> None:
        sacrebleu_api.set_reference_count(self.impl, count)

    def signature(self) -> str:
        return f"{self.name}|{sacrebleu_api.signature(self.impl)}"


__all__ = ["SacreBLEUMetric"]
