"""Neural MT with any Hugging Face seq2seq translation model a user points at.

MarianMT (one model per pair) needs nothing but the sentences; multilingual models need
language codes: NLLB wants 'spa_Latn', M2M100 and mBART-50 want their own tags. Those
are looked up in the tokenizer's vocabulary from the ISO 639-1 code, and can be given
outright as ``source_code``/``target_code`` for models with other conventions.
"""
from __future__ import annotations

from typing import Any

from polybrief.core.errors import PolybriefError

from ..generation import GenerationOptions, Generator, load_config, model_kind
from .base import Translator

# ISO 639-1 to the FLORES-200 codes NLLB uses, for the languages news clusters mix most.
NLLB = {"en": "eng_Latn", "es": "spa_Latn", "tr": "tur_Latn", "fr": "fra_Latn", "de": "deu_Latn",
        "pt": "por_Latn", "it": "ita_Latn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "ar": "arb_Arab",
        "zh": "zho_Hans", "ja": "jpn_Jpan", "ko": "kor_Hang", "hi": "hin_Deva", "pl": "pol_Latn",
        "nl": "nld_Latn", "ca": "cat_Latn", "fa": "pes_Arab", "id": "ind_Latn", "vi": "vie_Latn"}


class HFTranslator(Translator):
    """A seq2seq translation model (MarianMT, NLLB, M2M100, mBART-50, ...) from a folder or hub id."""

    name = "hf"

    def __init__(self, model: str, options: GenerationOptions | None = None, source_code: str | None = None,
                 target_code: str | None = None, pairs: list[tuple[str, str]] | None = None) -> None:
        if model_kind(load_config(model), model) != "seq2seq":
            raise PolybriefError(f"model {model!r} is a causal LM; translation needs a seq2seq model")
        self.generator = Generator(model, options or GenerationOptions(batch_size=16))
        self.name = f"hf:{model}"
        self.codes = {"source": source_code, "target": target_code}
        self.pairs = pairs  # None: any pair the model's codes allow (a Marian model: the one it was built for)

    def _code(self, language: str, role: str) -> str | None:
        """The model's tag for ``language``, or None for single-pair models that need none."""
        if self.codes[role]:
            return self.codes[role]
        vocab = self.generator.tokenizer.get_vocab()
        for candidate in (NLLB.get(language), f"__{language}__", language):
            if candidate and candidate in vocab and (candidate != language or hasattr(self.generator.tokenizer,
                                                                                       "lang_code_to_id")):
                return candidate
        return None

    def supports(self, source: str, target: str) -> bool:
        return self.pairs is None or (source, target) in self.pairs

    def check_pair(self, source: str, target: str) -> None:
        if not self.supports(source, target):
            raise PolybriefError(f"{self.name} translates {', '.join(f'{a}->{b}' for a, b in self.pairs or [])}, "
                                 f"not {source}->{target}")

    def translate_segments(self, segments: list[str], source: str, target: str) -> list[str]:
        tokenizer = self.generator.tokenizer
        src, tgt = self._code(source, "source"), self._code(target, "target")
        if src and hasattr(tokenizer, "src_lang"):
            tokenizer.src_lang = src
        extra: dict[str, Any] = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(tgt)} if tgt else {}
        room = self.generator.room("")
        pieces = [self.generator.truncate(s, room) for s in segments]  # a sentence is never this long in news
        return self.generator.generate(pieces, "", **extra)


__all__ = ["HFTranslator", "NLLB"]
