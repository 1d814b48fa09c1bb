"""Translation Edit Rate through sacreBLEU (lower is better); Asian support by target language."""
from __future__ import annotations

from sacrebleu.metrics import TER

from .sacrebleu_base import SacreBLEUMetric


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
