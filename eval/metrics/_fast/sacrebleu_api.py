"""Every use of sacreBLEU's private internals, in one place, for the versions pinned in pyproject.toml.

polybrief keeps sacreBLEU's own definitions (preprocessing, tokenizers, per-segment statistics, the
score from summed statistics, signatures) and only replaces how statistics are counted and resampled.
sacreBLEU's public API scores whole corpora or single sentences; the pieces in between are private
methods (``_preprocess_segment``, ``_compute_score_from_stats``, ...) that a minor release may rename.
Calling them from here alone means a sacreBLEU upgrade is checked in one file and one test
(tests/test_sacrebleu_api.py compares each function with sacreBLEU's public ``corpus_score``,
``sentence_score`` and ``get_signature``), and ``SUPPORTED`` says which versions were checked.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics import bleu as _bleu_module

SUPPORTED = ">=2.4,<2.7"  # the pin in pyproject.toml; tests/test_sacrebleu_api.py checks the two agree
SacreMetric = Union[BLEU, CHRF, TER]


def tokenizer_names() -> list[str]:
    """The tokenizers ``BLEU(tokenize=...)`` accepts."""
    return sorted(_bleu_module._TOKENIZERS)


def smooth_default(method: str) -> float | None:
    """BLEU's default smoothing value for ``method`` (floor, add-k)."""
    return BLEU.SMOOTH_DEFAULTS[method]


def preprocess(impl: SacreMetric, text: str) -> str:
    """The segment as the metric sees it (lowercasing, tokenizing, stripping, by metric)."""
    return impl._preprocess_segment(text)


def chrf_words(impl: CHRF, preprocessed: str) -> list[str]:
    """chrF++'s words of an already preprocessed segment (punctuation split off)."""
    return impl._remove_punctuation(preprocessed)


def reference_info(impl: SacreMetric, references: Sequence[str]) -> Any:
    """What the metric keeps of one segment's references (raw text in, preprocessed here)."""
    return impl._extract_reference_info([impl._preprocess_segment(r) for r in references])


def segment_statistics(impl: SacreMetric, hypothesis: str, info: Any) -> list[float]:
    """One segment's sufficient statistics against ``reference_info`` (raw hypothesis in)."""
    return impl._compute_segment_statistics(impl._preprocess_segment(hypothesis), info)


def score_from_stats(impl: SacreMetric, stats: Sequence[float]) -> float:
    """The score of (summed) statistics, as ``corpus_score`` computes it from their column sums."""
    return float(impl._compute_score_from_stats(list(stats)).score)


def chrf_f_score(impl: CHRF, stats: Sequence[float]) -> float:
    """chrF's F-score of one row of statistics (0-100), the value that picks the best reference."""
    return impl._compute_f_score(list(stats))


def set_reference_count(impl: SacreMetric, count: int) -> None:
    """Tell the metric how many references it scores against (-1: varies), as ``corpus_score`` does:
    the signature reports it."""
    impl.num_refs = count


def signature(impl: SacreMetric) -> str:
    """``impl.get_signature()`` as a string, also before any scoring (num_refs then shows as "?")."""
    args = dict(impl.__dict__)
    args.setdefault("num_refs", "?")
    return str(impl._SIGNATURE_TYPE(args))


__all__ = ["BLEU", "CHRF", "SUPPORTED", "TER", "SacreMetric", "chrf_f_score", "chrf_words", "preprocess",
           "reference_info", "score_from_stats", "segment_statistics", "set_reference_count", "signature",
           "smooth_default", "tokenizer_names"]
